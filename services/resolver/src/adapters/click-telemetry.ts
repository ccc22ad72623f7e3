import type { Logger } from "@kurt/platform";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { ClickDropReason, ClickObserver } from "../domain/click-observer.js";

export interface ClickTelemetryOptions {
  readonly registry: Registry;
  readonly logger: Logger;
  /** At most one warning per kind (drops, send failures) per this period, with what it left out. */
  readonly warnEveryMs?: number;
  readonly now?: () => number;
}

const DROP_REASONS: readonly ClickDropReason[] = ["queue_full", "requeue_full", "shutdown"];

/** One warning per period; the next one says how many were left out, so an outage cannot flood the log. */
function throttledWarning(logger: Logger, message: string, everyMs: number, now: () => number) {
  let last: number | undefined;
  let leftOut = 0;
  let leftOutClicks = 0;
  return (clicks: number, fields: Record<string, unknown>) => {
    const at = now();
    if (last !== undefined && at - last < everyMs) {
      leftOut += 1;
      leftOutClicks += clicks;
      return;
    }
    logger.warn(message, { ...fields, clicks, alsoLeftOut: leftOut, alsoLeftOutClicks: leftOutClicks });
    last = at;
    leftOut = 0;
    leftOutClicks = 0;
  };
}

/** resolver_click_queue_depth, read when Prometheus scrapes rather than updated on every click. */
export function exposeClickQueueDepth(registry: Registry, depth: () => number): void {
  new Gauge({
    name: "resolver_click_queue_depth",
    help: "Click events waiting in memory to be sent to Kafka",
    registers: [registry],
    collect() {
      this.set(depth());
    },
  });
}

/**
 * The click producer's metrics, all prefixed resolver_click_: clicks recorded, sent and dropped (by reason), failed sends, and how long
 * each batch took to be acknowledged.
 */
export function createClickTelemetry(options: ClickTelemetryOptions): ClickObserver {
  const registers = [options.registry];
  const warnEveryMs = options.warnEveryMs ?? 10_000;
  const now = options.now ?? Date.now;
  const enqueued = new Counter({
    name: "resolver_click_events_enqueued_total",
    help: "Click events recorded for redirects answered",
    registers,
  });
  const sent = new Counter({
    name: "resolver_click_events_sent_total",
    help: "Click events acknowledged by Kafka",
    registers,
  });
  const failed = new Counter({
    name: "resolver_click_events_send_failures_total",
    help: "Click events in batches that Kafka did not acknowledge (they are retried)",
    registers,
  });
  const dropped = new Counter({
    name: "resolver_click_events_dropped_total",
    help: "Click events never sent, by reason: queue_full (the oldest made room for a new one), requeue_full (a failed batch no longer fitted), shutdown (still queued when the flush at exit timed out)",
    labelNames: ["reason"],
    registers,
  });
  const droppedBy = new Map(DROP_REASONS.map((reason) => [reason, dropped.labels({ reason })]));
  for (const child of droppedBy.values()) child.inc(0);
  const sendSeconds = new Histogram({
    name: "resolver_click_send_duration_seconds",
    help: "Time for Kafka to acknowledge one batch of click events",
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const warnDropped = throttledWarning(
    options.logger,
    "click events dropped: they will not be counted",
    warnEveryMs,
    now,
  );
  const warnFailed = throttledWarning(options.logger, "click events not sent to Kafka; retrying", warnEveryMs, now);

  return {
    enqueued() {
      enqueued.inc();
    },
    sent(count, seconds) {
      sent.inc(count);
      sendSeconds.observe(seconds);
    },
    sendFailed(count, error) {
      failed.inc(count);
      warnFailed(count, { error });
    },
    dropped(reason, count) {
      (droppedBy.get(reason) ?? dropped.labels({ reason })).inc(count);
      warnDropped(count, { reason });
    },
  };
}
