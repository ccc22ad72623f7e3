import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { LINKS_TOPIC, LinkEvent, LinkEventKind } from "@kurt/contract";
import { linkKey } from "@kurt/core/link-domain";
import type { Logger } from "@kurt/platform";
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import { Counter, Gauge, type Registry } from "prom-client";
import type { LinkChange, LinkChangeKind, LinkChangePublisher } from "../domain/link-ports.js";
import { toLinkMessage } from "../messages/link-message.js";

const KINDS: Record<LinkChangeKind, LinkEventKind> = {
  created: LinkEventKind.LINK_EVENT_KIND_CREATED,
  updated: LinkEventKind.LINK_EVENT_KIND_UPDATED,
  deleted: LinkEventKind.LINK_EVENT_KIND_DELETED,
};

export interface KafkaLinkEvents extends LinkChangePublisher {
  /** Connects in the background, retrying until Kafka answers: the service serves without it meanwhile. */
  start(): void;
  /** Waits (bounded) for events in flight, then disconnects. */
  close(): Promise<void>;
}

/** The protobuf LinkEvent for a committed change; the link is left out of DELETED, as events.proto says. */
export function encodeLinkEvent(change: LinkChange, publicUrl: string, now: Date = new Date()): Buffer {
  const event: LinkEvent = {
    eventId: randomUUID(),
    kind: KINDS[change.kind],
    code: change.link.code,
    domain: change.link.domain,
    link: change.kind === "deleted" ? undefined : toLinkMessage(change.link, publicUrl),
    occurredAt: now,
    requestId: change.requestId ?? "",
  };
  return Buffer.from(LinkEvent.encode(event).finish());
}

/**
 * Link events on kurt.links.v1, keyed by code so that a link's events stay
 * on one partition. One send at a time, each carrying everything queued
 * meanwhile: that keeps the events of a link in commit order (separate
 * concurrent sends may overtake each other) and batches under load; a send
 * starts lingerMs after the first event it carries, so that events arriving
 * together leave together. The producer is idempotent, so a retried batch is
 * not written twice.
 *
 * Publishing never fails or delays a call: an event that cannot be sent is
 * logged and counted, and resolvers then serve their in-process copy until
 * its short TTL ends, which bounds the staleness. So Kafka may be down at
 * start-up, or go down later, without the write side going down with it.
 */
export function createKafkaLinkEvents(options: {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly publicUrl: string;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Events waiting for Kafka beyond this are dropped rather than piling up in memory. */
  readonly maxQueued?: number;
  readonly flushTimeoutMs?: number;
  /**
   * How long an event waits for others before a send starts (default 5 ms):
   * the events of a batch of creates, whose cache writes end a few moments
   * apart, then share one produce request, and the resolvers one fetch.
   */
  readonly lingerMs?: number;
}): KafkaLinkEvents {
  const logger = options.logger.child({ component: "kafka-link-events" });
  const maxQueued = options.maxQueued ?? 10_000;
  const lingerMs = options.lingerMs ?? 5;
  let connected = false;
  let closed = false;
  const stopConnecting = new AbortController();
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    // A few quick retries per attempt; the loop below keeps trying for as long as it takes.
    retry: { initialRetryTime: 300, retries: 3 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ log }) => {
        // Until the first connection the loop below reports, once per attempt, instead of kafkajs once per broker retry.
        if (!connected) return;
        // Warnings only: Kafka trouble degrades the cache invalidation, it is not an error of this service.
        const { message, ...fields } = log;
        logger.warn(`kafkajs: ${message}`, fields);
      },
  });
  const producer: Producer = kafka.producer({
    idempotent: true,
    allowAutoTopicCreation: true,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const published = new Counter({
    name: "kurt_shortener_link_events_published_total",
    help: "Link events acknowledged by Kafka",
    registers: [options.registry],
  });
  const failed = new Counter({
    name: "kurt_shortener_link_events_failed_total",
    help: "Link events not published, by reason (disconnected, backlog, error)",
    labelNames: ["reason"],
    registers: [options.registry],
  });
  for (const reason of ["disconnected", "backlog", "error"]) failed.labels({ reason }).inc(0);

  interface Queued {
    readonly change: LinkChange;
    readonly message: { key: string; value: Buffer };
  }
  let queue: Queued[] = [];
  let sending = 0;
  let draining: Promise<void> | undefined;
  new Gauge({
    name: "kurt_shortener_link_events_queue_depth",
    help: "Link events waiting for Kafka: queued plus the batch being sent",
    registers: [options.registry],
    collect() {
      this.set(queue.length + sending);
    },
  });

  const dropped = (reason: string, changes: readonly LinkChange[], error?: unknown) => {
    failed.inc({ reason }, changes.length);
    for (const change of changes)
      logger.warn("link event not published", {
        code: change.link.code,
        kind: change.kind,
        reason,
        requestId: change.requestId,
        ...(error === undefined ? {} : { error: (error as Error).message }),
      });
  };

  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      sending = batch.length;
      try {
        await producer.send({ topic: LINKS_TOPIC, acks: -1, messages: batch.map((item) => item.message) });
        published.inc(batch.length);
      } catch (error) {
        dropped(
          "error",
          batch.map((item) => item.change),
          error,
        );
      } finally {
        sending = 0;
      }
    }
  };

  const kick = () => {
    if (draining !== undefined) return;
    const gathered = lingerMs > 0 && !closed ? sleep(lingerMs) : Promise.resolve();
    draining = gathered.then(drain).finally(() => {
      draining = undefined;
      // Anything queued between the last batch and this moment would otherwise wait for the next publish.
      if (queue.length > 0) kick();
    });
  };

  const connectInBackground = async () => {
    let delayMs = 1_000;
    while (!closed) {
      try {
        await producer.connect();
        connected = true;
        logger.info("connected to Kafka", { brokers: options.brokers });
        return;
      } catch (error) {
        if (closed) return;
        logger.warn("Kafka unavailable; link events are dropped until it answers", {
          error: (error as Error).message,
          retryInMs: delayMs,
        });
        await sleep(delayMs, undefined, { signal: stopConnecting.signal }).catch(() => {});
        delayMs = Math.min(delayMs * 2, 30_000);
      }
    }
  };

  return {
    start() {
      void connectInBackground();
    },

    publish(change) {
      if (!connected || closed) return dropped("disconnected", [change]);
      if (queue.length >= maxQueued) return dropped("backlog", [change]);
      queue.push({
        change,
        message: {
          key: linkKey(change.link.domain, change.link.code),
          value: encodeLinkEvent(change, options.publicUrl),
        },
      });
      kick();
    },

    async close() {
      closed = true;
      stopConnecting.abort();
      const flushTimeoutMs = options.flushTimeoutMs ?? 5_000;
      const flushed = await Promise.race([
        (draining ?? Promise.resolve()).then(() => true),
        sleep(flushTimeoutMs, undefined, { ref: false }).then(() => false),
      ]);
      if (!flushed) logger.warn("link events still unacknowledged at shutdown", { count: queue.length });
      // Also when still connecting: it ends the attempt in progress instead of letting it run its retries.
      await producer.disconnect().catch(() => {});
    },
  };
}
