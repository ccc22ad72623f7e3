import { createRequire } from "node:module";

/**
 * kafkajs 2.2.4 (the last release) has a known bug: every connection's
 * request queue re-arms a timer with a negative delay whenever it has
 * checked its pending requests, even when none are pending, so each
 * connection spins on a ~1 ms timer for as long as it lives
 * (tulios/kafkajs#1556, #1704; the fix, #1667, was never released). Here
 * that cost each idle Kurt service some 35 ms of CPU per second.
 *
 * This replaces the one method with the behaviour the library meant: a
 * check is scheduled only when requests are pending, at the end of a broker
 * throttle or, when not throttled, after the library's own 10 ms interval.
 * Requests that are not pending need no timer: the queue checks again when
 * one is pushed and when an in-flight one completes.
 */
interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

/** kafkajs's CHECK_PENDING_REQUESTS_INTERVAL. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
const REPAIRED = Symbol.for("kurt.kafkajs-idle-loop-repaired");

/** The clock and timer the repaired method uses: the real ones, or a test's fake. */
export interface QueueClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): NodeJS.Timeout;
}

const REAL_CLOCK: QueueClock = { now: () => Date.now(), setTimeout: (callback, ms) => setTimeout(callback, ms) };

/** The repaired `scheduleCheckPendingRequests`, on `clock`. */
export function createScheduleCheckPendingRequests(clock: QueueClock = REAL_CLOCK) {
  return function scheduleCheckPendingRequests(this: RequestQueueState): void {
    if (this.pending.length === 0 || this.throttleCheckTimeoutId) return;
    const untilUnthrottled = this.throttledUntil - clock.now();
    this.throttleCheckTimeoutId = clock.setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS,
    );
  };
}

export const scheduleCheckPendingRequests = createScheduleCheckPendingRequests();

/** Repairs the request queue of the kafkajs this process loads; idempotent. Call before any Kafka client connects. */
export function repairKafkaJsIdleLoop(): void {
  const require = createRequire(import.meta.url);
  const RequestQueue = require("kafkajs/src/network/requestQueue/index.js") as {
    prototype: Record<string | symbol, unknown>;
  };
  const prototype = RequestQueue.prototype;
  if (prototype[REPAIRED]) return;
  if (typeof prototype.scheduleCheckPendingRequests !== "function")
    throw new Error("kafkajs's RequestQueue has changed: review packages/platform/src/kafkajs-idle-loop.ts");
  prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  prototype[REPAIRED] = true;
}
