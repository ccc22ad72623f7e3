import { LINKS_TOPIC, LinkEvent } from "@kurt/contract";
import { linkKey } from "@kurt/core/link-domain";
import { type Logger, superviseConsumer } from "@kurt/platform";
import { Kafka, logLevel } from "kafkajs";

export interface LinkEventsConsumerOptions {
  readonly brokers: readonly string[];
  /** Unique per process: every resolver replica must see every event. */
  readonly groupId: string;
  /** Called with the link key (@kurt/core/link-domain) of each link that was created, updated or deleted. */
  readonly onLinkChanged: (key: string) => void;
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
  const kafka = new Kafka({
    clientId: options.groupId,
    brokers: [...options.brokers],
    connectionTimeout: 3_000,
    // Short client retries: the supervising loop owns the long-term retrying, with its own backoff.
    retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    // kafkajs logs every retry; our own loop reports failures once per attempt.
    logCreator:
      () =>
      ({ namespace, log }) =>
        logger.debug("kafkajs", { namespace, detail: log.message, error: log.error }),
  });

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
    if (event.code !== "") options.onLinkChanged(linkKey(event.domain, event.code));
  };

  const supervised = superviseConsumer({
    kafka,
    consumer: { groupId: options.groupId, maxWaitTimeInMs: 1_000 },
    subscribe: async (consumer) => {
      consumer.on(consumer.events.FETCH, () => markReady());
      await consumer.subscribe({ topic: LINKS_TOPIC, fromBeginning: false });
    },
    run: { autoCommit: false, eachMessage: async ({ message }) => handle(message.value) },
    onJoined: () => logger.info("consuming link events", { groupId: options.groupId }),
    logger,
    failureMessage: "link events unavailable; retrying",
    retryDelayMs: options.retryDelayMs ?? 1_000,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 5_000,
    stopWaitMs: STOP_WAIT_MS,
  });

  return { ready, stop: () => supervised.stop() };
}
