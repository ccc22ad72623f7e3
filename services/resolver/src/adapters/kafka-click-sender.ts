import { CLICKS_TOPIC } from "@kurt/contract";
import type { Logger } from "@kurt/platform";
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import type { Click } from "../domain/click.js";
import type { ClickSender } from "../domain/click-sender.js";
import { toClickRecord } from "../messages/click-event.js";

export interface KafkaClickSenderOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** kurt.clicks.v1 unless a test sends elsewhere. */
  readonly topic?: string;
  /** How long one send may take before it fails and its batch is retried. */
  readonly requestTimeoutMs?: number;
}

/**
 * Sends batches of clicks to kurt.clicks.v1 with an idempotent producer
 * (acks from all in-sync replicas; a retry inside one send is not written
 * twice). Across failed sends delivery is at least once: clicklog dedups by
 * event id, which is what makes counting exactly once.
 *
 * The producer connects on the first send. After any failure it is thrown
 * away and the next send builds a fresh one: a producer that lost its broker
 * may hold dead connections or idempotence sequence numbers the broker no
 * longer accepts, and the click publisher's backoff spaces the attempts.
 */
export function createKafkaClickSender(options: KafkaClickSenderOptions): ClickSender {
  const logger = options.logger.child({ component: "kafka-click-sender" });
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: 3_000,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    // A couple of quick retries inside one send; the publisher's loop retries beyond that, with its own backoff.
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 },
    logLevel: logLevel.WARN,
    // Failures reach the publisher's telemetry (counted, throttled); kafkajs would log each retry again.
    logCreator:
      () =>
      ({ namespace, log }) => {
        const { message, ...fields } = log;
        logger.debug(`kafkajs: ${message}`, { namespace, ...fields });
      },
  });

  const topic = options.topic ?? CLICKS_TOPIC;
  let producer: Promise<Producer> | undefined;
  let closed = false;

  const connected = (): Promise<Producer> => {
    if (producer === undefined) {
      const created = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // The launcher creates the topic with its partitions; where nothing did (a bare broker), clicks still flow.
        allowAutoTopicCreation: true,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      producer = created.connect().then(() => created);
      producer.catch(() => created.disconnect().catch(() => {}));
    }
    return producer;
  };

  const discard = (failed: Promise<Producer>) => {
    if (producer !== failed) return;
    producer = undefined;
    failed.then((p) => p.disconnect()).catch(() => {});
  };

  return {
    async send(batch: readonly Click[]) {
      if (closed) throw new Error("the click sender is closed");
      if (batch.length === 0) return;
      const current = connected();
      try {
        await (await current).send({ topic, acks: -1, messages: batch.map(toClickRecord) });
      } catch (error) {
        discard(current);
        throw error;
      }
    },
    async close() {
      closed = true;
      const current = producer;
      producer = undefined;
      if (current === undefined) return;
      await current.then((p) => p.disconnect()).catch(() => {});
    },
  };
}
