import { LINKS_TOPIC, LinkEvent } from "@kurt/contract";
import type { Logger } from "@kurt/platform";
import { type Consumer, Kafka, logLevel } from "kafkajs";

export interface LinkEventsConsumerOptions {
  readonly brokers: readonly string[];
  /** Unique per process: every resolver replica must see every event. */
  readonly groupId: string;
  /** Called with the code of each link that was created, updated or deleted. */
  readonly onLinkChanged: (code: string) => void;
  readonly logger: Logger;
  /** First wait before reconnecting after a failure; doubles up to maxRetryDelayMs. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

const STOP_WAIT_MS = 3_000;

export interface LinkEventsConsumer {
  /** Settles once the consumer fetches from the topic: events published from then on are seen. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Consumes kurt.links.v1 so that this process drops what it holds about a
 * link the moment it changes. Starting never waits for Kafka: while it is
 * unreachable the resolver serves anyway (the in-process TTL bounds how stale
 * an answer can be) and this keeps retrying in the background.
 *
 * Each process has its own group, starts at the latest offset and commits
 * nothing: old events are worthless to a fresh cache, and a group without
 * offsets leaves nothing behind in Kafka when the process goes away.
 */
export function startLinkEventsConsumer(options: LinkEventsConsumerOptions): LinkEventsConsumer {
  const { logger } = options;
  const firstDelay = options.retryDelayMs ?? 1_000;
  const maxDelay = options.maxRetryDelayMs ?? 5_000;
  const kafka = new Kafka({
    clientId: options.groupId,
    brokers: [...options.brokers],
    connectionTimeout: 3_000,
    // Short client retries: the loop below owns the long-term retrying, with its own backoff.
    retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    // kafkajs logs every retry; our own loop reports failures once per attempt.
    logCreator:
      () =>
      ({ namespace, log }) =>
        logger.debug("kafkajs", { namespace, detail: log.message, error: log.error }),
  });

  let stopped = false;
  let current: Consumer | undefined;
  let wakeUp: (() => void) | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const handle = (value: Buffer | null) => {
    if (value === null) return;
    let event: LinkEvent;
    try {
      event = LinkEvent.decode(value);
    } catch (error) {
      logger.warn("undecodable link event skipped", { error });
      return;
    }
    // Any kind, even one this build does not know, may mean the cached link is stale; dropping is always safe.
    if (event.code !== "") options.onLinkChanged(event.code);
  };

  /**
   * Runs one consumer until it fails for good (kafkajs restarts it itself
   * after retriable errors), or until stop() is called during its start.
   */
  const runOnce = async (consumer: Consumer) => {
    const ended = new Promise<unknown>((resolve) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) resolve(payload.error);
      });
      consumer.on(consumer.events.STOP, () => resolve(undefined));
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      delay = firstDelay;
      logger.info("consuming link events", { groupId: options.groupId });
    });
    consumer.on(consumer.events.FETCH, () => markReady());
    await consumer.connect();
    if (stopped) return;
    await consumer.subscribe({ topic: LINKS_TOPIC, fromBeginning: false });
    if (stopped) return;
    await consumer.run({ autoCommit: false, eachMessage: async ({ message }) => handle(message.value) });
    const error = await ended;
    if (!stopped) throw error ?? new Error("the consumer stopped");
  };

  let delay = firstDelay;
  const loop = async () => {
    while (!stopped) {
      const consumer = kafka.consumer({
        groupId: options.groupId,
        maxWaitTimeInMs: 1_000,
        // kafkajs would restart a crashed consumer on its own timer while this loop makes a new one:
        // two consumers after an outage. The loop is the only one that restarts.
        retry: { restartOnFailure: async () => false },
      });
      current = consumer;
      try {
        await runOnce(consumer);
      } catch (error) {
        if (!stopped) logger.warn("link events unavailable; retrying", { retryInMs: delay, error });
      }
      await consumer.disconnect().catch(() => {});
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      delay = Math.min(delay * 2, maxDelay);
    }
  };
  const running = loop();

  return {
    ready,
    async stop() {
      stopped = true;
      wakeUp?.();
      await current?.disconnect().catch(() => {});
      // A connect attempt in progress cannot be cancelled; the loop disconnects it when it ends, unawaited.
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    },
  };
}
