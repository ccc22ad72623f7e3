import { createBoundedQueue } from "./bounded-queue.js";
import type { Click, ClickFacts } from "./click.js";
import type { ClickObserver } from "./click-observer.js";
import type { ClickSender } from "./click-sender.js";

const afterPendingIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The timers the publisher waits on: the real ones, or a test's fake that moves with its `now`. */
export interface ClickPublisherTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Lets the process exit while only this timer is left: the pump's waits are, close()'s deadline is not. */
  unref(handle: unknown): void;
}

const REAL_TIMERS: ClickPublisherTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
  unref: (handle) => (handle as NodeJS.Timeout).unref(),
};

export interface ClickPublisherDeps {
  readonly sender: ClickSender;
  readonly observer: ClickObserver;
  /** Most clicks held while the sender is slow or down; beyond it the oldest are dropped. */
  readonly queueMax: number;
  /** A batch is sent as soon as this many clicks wait… */
  readonly batchSize: number;
  /** …or once the oldest waiting click has waited this long. */
  readonly batchWindowMs: number;
  readonly newId: () => string;
  /** Epoch milliseconds: the clicks' time, and the clock of the window and retries. */
  readonly now: () => number;
  /** First wait after a failed send; doubles up to maxRetryDelayMs while sends keep failing. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** The window's, the retries' and close()'s waits; setTimeout and clearTimeout by default. */
  readonly timers?: ClickPublisherTimers;
}

export interface ClickPublisher {
  /**
   * Queues a click for a redirect already decided. Synchronous and O(1): it
   * never waits for, nor fails because of, the sender.
   */
  record(facts: ClickFacts): void;
  /** Clicks waiting to be sent, including a batch being retried. */
  readonly depth: number;
  /**
   * Sends what is queued, for at most `timeoutMs`, then stops: clicks still
   * waiting are dropped (and counted), and the sender is closed.
   */
  close(timeoutMs: number): Promise<void>;
}

/**
 * Clicks leave the redirect path through a bounded queue drained by one
 * sender loop. One send at a time keeps a link's clicks in order (they share
 * a partition) and lets batches grow with the load; a failed batch goes back
 * to the front of the queue and is retried with backoff, so an outage costs
 * clicks only once the queue overflows, oldest first.
 */
export function createClickPublisher(deps: ClickPublisherDeps): ClickPublisher {
  const { sender, observer, now } = deps;
  const timers = deps.timers ?? REAL_TIMERS;
  const batchSize = Math.max(1, deps.batchSize);
  const firstRetryMs = deps.retryDelayMs ?? 100;
  const maxRetryMs = deps.maxRetryDelayMs ?? 5_000;
  const queue = createBoundedQueue<Click>(deps.queueMax);

  let closing = false;
  let finished = false;
  let deadline = Number.POSITIVE_INFINITY;
  // The pump waits on one thing at a time; record() or close() ends a wait early.
  let interrupt: (() => void) | undefined;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        if (timer !== undefined) timers.clearTimeout(timer);
        interrupt = undefined;
        resolve();
      };
      const timer = Number.isFinite(ms) ? timers.setTimeout(done, Math.max(0, ms)) : undefined;
      if (timer !== undefined) timers.unref(timer);
      interrupt = done;
    });

  // While set, record() leaves the backoff alone.
  let retrying = false;
  const waitForRetry = async (ms: number) => {
    retrying = true;
    try {
      await wait(ms);
    } finally {
      retrying = false;
    }
  };

  const pump = async () => {
    let retryMs = firstRetryMs;
    while (!finished) {
      const oldest = queue.peek();
      if (oldest === undefined) {
        if (closing) return;
        await wait(Number.POSITIVE_INFINITY);
        continue;
      }
      if (queue.size < batchSize && !closing) {
        const waitMs = oldest.occurredAtMs + deps.batchWindowMs - now();
        if (waitMs > 0) {
          await wait(waitMs);
          continue;
        }
      }
      // record() may have woken this loop from inside a call handler: the answer goes out before any
      // batch is encoded, which takes milliseconds of this thread.
      await afterPendingIo();
      const batch = queue.take(batchSize);
      if (batch.length === 0) continue;
      const started = now();
      let ok = true;
      let failure: unknown;
      try {
        await sender.send(batch);
      } catch (error) {
        ok = false;
        failure = error;
      }
      if (ok) {
        observer.sent(batch.length, (now() - started) / 1000);
        retryMs = firstRetryMs;
        continue;
      }
      observer.sendFailed(batch.length, failure);
      if (finished) {
        observer.dropped("shutdown", batch.length);
        return;
      }
      const dropped = queue.requeueFront(batch);
      if (dropped > 0) observer.dropped("requeue_full", dropped);
      // Only close() cuts a backoff short: a filling queue must not hammer a broker that is down.
      await waitForRetry(closing ? Math.min(retryMs, deadline - now()) : retryMs);
      retryMs = Math.min(retryMs * 2, maxRetryMs);
    }
  };

  // Only a bug (an observer throwing) could end the loop early; it must not also become an unhandled rejection.
  const pumping = pump().catch(() => {});

  return {
    record(facts) {
      if (finished) {
        observer.dropped("shutdown", 1);
        return;
      }
      const dropped = queue.push({ ...facts, eventId: deps.newId(), occurredAtMs: now() });
      observer.enqueued();
      if (dropped > 0) observer.dropped("queue_full", dropped);
      // The pump sleeps while the queue is empty, or while a batch fills within its window.
      if (!retrying && (queue.size === 1 || queue.size === batchSize)) interrupt?.();
    },
    get depth() {
      return queue.size;
    },
    async close(timeoutMs) {
      closing = true;
      deadline = now() + timeoutMs;
      interrupt?.();
      let timer: unknown;
      await Promise.race([
        pumping,
        new Promise<void>((resolve) => {
          timer = timers.setTimeout(resolve, timeoutMs);
        }),
      ]);
      timers.clearTimeout(timer);
      finished = true;
      interrupt?.();
      const left = queue.take(queue.size).length;
      if (left > 0) observer.dropped("shutdown", left);
      await sender.close();
    },
  };
}
