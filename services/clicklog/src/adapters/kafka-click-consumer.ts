import { type Logger, superviseConsumer } from "@kurt/platform";
import type { EachBatchPayload, Kafka, KafkaMessage } from "kafkajs";
import type { RawClick } from "../domain/click.js";
import type { ClickIngest } from "../domain/click-ingest.js";
import { decodeClickMessage } from "./click-event-decoder.js";
import type { ClickMetrics } from "./click-metrics.js";

/*
 * Why a click is counted exactly once, whatever crashes where.
 *
 * For each chunk of a partition's batch, in this order:
 *   1. one Postgres transaction inserts the clicks whose (event_id,
 *      occurred_at) is new and adds only those rows to the rollups;
 *   2. only after it committed, the chunk's offsets are resolved and
 *      committed to Kafka.
 * - A crash before (1) commits: nothing was written; the offsets were not
 *   committed, so the group delivers the chunk again, and it is stored then.
 *   No loss.
 * - A crash between (1) and (2): the clicks are stored but Kafka delivers
 *   them again; the insert finds every event id present, inserts nothing,
 *   and so adds nothing to the rollups. No double count.
 * - A crash after (2): the chunk is never seen again.
 * - Rebalances are the same story: a partition taken away mid-chunk is
 *   re-read by its new owner from the last committed offset, and a chunk
 *   stored by both at once is counted by whichever commits first (the other
 *   waits on the unique index, then conflicts).
 * Raw rows and rollups change in one transaction, so the stats (read from
 *   the rollups) always equal the stored clicks. Idempotency lasts as long
 *   as a click's row does, which the retention guarantees past any
 *   redelivery Kafka can make (see ClickRetention).
 */

export interface ClickConsumerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  /** Partitions to create the topic with, if it does not exist yet. */
  readonly topicPartitions: number;
  readonly groupId: string;
  /** Partitions of a batch fetch processed side by side, each in its own transaction. */
  readonly concurrency: number;
  /** The most messages stored in one transaction; a bigger batch is stored in several, in order. */
  readonly maxTransactionSize: number;
  /**
   * A fetch answers once this many bytes wait, or after fetchMaxWaitMs. Under
   * load, each transaction then stores many clicks instead of a handful: the
   * cost of a commit (and of its replication) is shared. Default 1 byte.
   */
  readonly fetchMinBytes?: number;
  /** Default 500 ms. */
  readonly fetchMaxWaitMs?: number;
  readonly ingest: ClickIngest;
  /** Called when a transaction failed, before it is retried. */
  readonly onStoreFailure?: (error: unknown) => void;
  readonly metrics: ClickMetrics;
  readonly logger: Logger;
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

export interface ClickConsumer {
  /** Leaves the group after the transaction in progress; uncommitted offsets stay uncommitted. */
  stop(): Promise<void>;
}

const STOP_WAIT_MS = 5_000;

/** Waits `ms`, calling `heartbeat` every second so that the group keeps this member while it waits. */
async function pause(ms: number, heartbeat: () => Promise<void>, stillWanted: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && stillWanted()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, until - Date.now())));
    await heartbeat();
  }
}

/**
 * The consumer group that stores clicks. Starting never waits for Kafka:
 * while it is unreachable, stats are still served, and this keeps trying to
 * join in the background.
 */
export function startClickConsumer(options: ClickConsumerOptions): ClickConsumer {
  const { logger, metrics, topic } = options;
  const firstDelay = options.retryDelayMs ?? 500;
  const maxDelay = options.maxRetryDelayMs ?? 5_000;

  const decodeChunk = (partition: number, messages: readonly KafkaMessage[]): RawClick[] => {
    const clicks: RawClick[] = [];
    let malformed = 0;
    let firstProblem: { offset: string; problem: string } | undefined;
    for (const message of messages) {
      const decoded = decodeClickMessage(message.value, message.timestamp);
      if ("click" in decoded) {
        clicks.push(decoded.click);
      } else {
        malformed += 1;
        firstProblem ??= { offset: message.offset, problem: decoded.problem };
      }
    }
    if (firstProblem !== undefined) {
      metrics.malformed.inc(malformed);
      logger.warn("malformed click events skipped", { topic, partition, count: malformed, ...firstProblem });
    }
    return clicks;
  };

  /** Stores one chunk, retrying until it is stored or this member must let go of the partition. */
  const storeChunk = async (payload: EachBatchPayload, messages: readonly KafkaMessage[]): Promise<boolean> => {
    const { batch, heartbeat, isRunning, isStale } = payload;
    const started = process.hrtime.bigint();
    const clicks = decodeChunk(batch.partition, messages);
    let delay = firstDelay;
    for (;;) {
      try {
        const result = await options.ingest(clicks);
        metrics.stored.inc(result.stored);
        metrics.duplicates.inc(result.duplicates);
        metrics.outOfWindow.inc(result.outOfWindow);
        if (result.invalid.length > 0) {
          metrics.malformed.inc(result.invalid.length);
          logger.warn("click events that cannot be counted skipped", {
            topic,
            partition: batch.partition,
            count: result.invalid.length,
            first: result.invalid[0],
          });
        }
        if (result.outOfWindow > 0) {
          logger.warn("click events outside the accepted days skipped", {
            partition: batch.partition,
            count: result.outOfWindow,
          });
        }
        break;
      } catch (error) {
        metrics.storeFailures.inc();
        options.onStoreFailure?.(error);
        if (!isRunning() || isStale()) return false;
        logger.warn("storing clicks failed; retrying", { partition: batch.partition, retryInMs: delay, error });
        await pause(delay, heartbeat, () => isRunning() && !isStale());
        if (!isRunning() || isStale()) return false;
        delay = Math.min(delay * 2, maxDelay);
      }
    }
    metrics.consumed.inc(messages.length);
    metrics.batchSize.observe(messages.length);
    metrics.batchSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    return true;
  };

  const eachBatch = async (payload: EachBatchPayload) => {
    const { batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale } = payload;
    for (let i = 0; i < batch.messages.length; i += options.maxTransactionSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(i, i + options.maxTransactionSize);
      if (!(await storeChunk(payload, chunk))) return;
      // Only now that the transaction committed may Kafka forget these messages.
      const last = (chunk.at(-1) as KafkaMessage).offset;
      resolveOffset(last);
      await commitOffsetsIfNecessary({
        topics: [
          { topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(BigInt(last) + 1n) }] },
        ],
      });
      await heartbeat();
    }
  };

  return superviseConsumer({
    kafka: options.kafka,
    consumer: {
      groupId: options.groupId,
      // A replica killed without leaving the group holds its partitions until its session
      // expires: short enough for a quick takeover, long enough for a busy event loop.
      sessionTimeout: 10_000,
      heartbeatInterval: 2_000,
      rebalanceTimeout: 30_000,
      minBytes: options.fetchMinBytes ?? 1,
      maxWaitTimeInMs: options.fetchMaxWaitMs ?? 500,
    },
    subscribe: async (consumer) => {
      const admin = options.kafka.admin();
      await admin.connect();
      try {
        // The first replica makes the topic with room for several consumers; if the resolver's first
        // click made it already (broker auto-creation), it stays as it is.
        await admin.createTopics({
          topics: [{ topic, numPartitions: options.topicPartitions }],
          waitForLeaders: true,
        });
      } finally {
        await admin.disconnect();
      }
      // A new group reads from the start: clicks produced before clicklog first ran are counted too.
      await consumer.subscribe({ topic, fromBeginning: true });
    },
    run: {
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.concurrency,
      eachBatch,
    },
    onJoined: (payload) =>
      logger.info("joined the click consumer group", {
        groupId: options.groupId,
        partitions: payload.memberAssignment[topic] ?? [],
      }),
    logger,
    failureMessage: "click consumer unavailable; retrying",
    retryDelayMs: firstDelay,
    maxRetryDelayMs: maxDelay,
    // While Kafka is unreachable a connection attempt can take a while to give up; there is
    // nothing to commit then, so shutdown does not wait for it.
    stopWaitMs: STOP_WAIT_MS,
  });
}
