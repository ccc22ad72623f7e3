import type { Consumer, ConsumerConfig, ConsumerGroupJoinEvent, ConsumerRunConfig, Kafka } from "kafkajs";
import type { Logger } from "./logger.js";

/** The timers the loop waits on: the real ones, or a test's fake. */
export interface ConsumerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: ConsumerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SupervisedConsumerOptions {
  readonly kafka: Pick<Kafka, "consumer">;
  /** The consumer's settings. kafkajs's own restart is always turned off: this loop is the only one that restarts. */
  readonly consumer: ConsumerConfig;
  /** Between connect and run: subscribe, and whatever else must come first (making the topic, listeners). */
  readonly subscribe: (consumer: Consumer) => Promise<void>;
  /** What each consumer runs: the per-message or per-batch work, untouched by the loop. */
  readonly run: ConsumerRunConfig;
  /** Each time a consumer joins its group; the backoff starts over then. */
  readonly onJoined?: (payload: ConsumerGroupJoinEvent["payload"]) => void;
  readonly logger: Logger;
  /** Logged (warn), with the error and the wait, each time a consumer fails. */
  readonly failureMessage: string;
  /** First wait before a new consumer after a failure; doubles up to maxRetryDelayMs. */
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** How long stop() waits for the loop to end (a connect attempt in progress cannot be cancelled). */
  readonly stopWaitMs: number;
  readonly timers?: ConsumerTimers;
}

export interface SupervisedConsumer {
  /** Disconnects the consumer (it leaves its group after the work in progress) and starts no other. */
  stop(): Promise<void>;
}

/**
 * Runs a kafkajs consumer for as long as the process lives. Starting never
 * waits for Kafka: connect, subscribe and run happen in the background, and
 * whenever they fail or the consumer crashes, that consumer is disconnected
 * and, after a backoff (reset by a group join), a new one takes its place.
 * kafkajs could restart a crashed consumer by itself, on a timer that may
 * fire after this loop has made the next one (two consumers in one
 * process), so its restart is off and every crash ends up here. What a
 * consumer does with messages (and when it commits) is the caller's `run`.
 */
export function superviseConsumer(options: SupervisedConsumerOptions): SupervisedConsumer {
  const { logger } = options;
  const timers = options.timers ?? REAL_TIMERS;
  let stopped = false;
  let current: Consumer | undefined;
  let wakeUp: (() => void) | undefined;
  let requestStop: () => void = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    requestStop = resolve;
  });
  let delay = options.retryDelayMs;

  /** Runs one consumer until it crashes (rejects with the cause) or stop() is called (resolves). */
  const runOnce = async (consumer: Consumer) => {
    const crashed = new Promise<unknown>((resolve) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(payload.error));
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      delay = options.retryDelayMs;
      options.onJoined?.(payload);
    });
    await consumer.connect();
    if (stopped) return;
    await options.subscribe(consumer);
    if (stopped) return;
    await consumer.run(options.run);
    const ended = await Promise.race([crashed, stopRequested.then(() => undefined)]);
    if (!stopped) throw ended ?? new Error("the consumer stopped");
  };

  const loop = async () => {
    while (!stopped) {
      const consumer = options.kafka.consumer({
        ...options.consumer,
        retry: { ...options.consumer.retry, restartOnFailure: async () => false },
      });
      current = consumer;
      try {
        await runOnce(consumer);
      } catch (error) {
        if (!stopped) logger.warn(options.failureMessage, { retryInMs: delay, error });
      }
      await consumer.disconnect().catch(() => {});
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = timers.setTimeout(resolve, delay);
        wakeUp = () => {
          timers.clearTimeout(timer);
          resolve();
        };
      });
      delay = Math.min(delay * 2, options.maxRetryDelayMs);
    }
  };
  const running = loop();

  return {
    async stop() {
      stopped = true;
      requestStop();
      wakeUp?.();
      await current?.disconnect().catch(() => {});
      let timer: unknown;
      const gaveUp = new Promise<void>((resolve) => {
        timer = timers.setTimeout(resolve, options.stopWaitMs);
        (timer as { unref?: () => void } | undefined)?.unref?.();
      });
      await Promise.race([running, gaveUp]);
      timers.clearTimeout(timer);
    },
  };
}
