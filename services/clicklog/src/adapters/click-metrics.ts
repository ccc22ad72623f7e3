import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export interface ClickMetrics {
  /** Every message read from the topic: its rate is the events per second. */
  readonly consumed: Counter;
  /** Clicks stored and counted for the first time. */
  readonly stored: Counter;
  /** Clicks already stored (redelivered after a crash or a rebalance): skipped. */
  readonly duplicates: Counter;
  readonly malformed: Counter;
  readonly outOfWindow: Counter;
  readonly storeFailures: Counter;
  readonly batchSize: Histogram;
  readonly batchSeconds: Histogram;
  readonly lag: Gauge<"partition">;
}

export function createClickMetrics(registry: Registry): ClickMetrics {
  const registers = [registry];
  return {
    consumed: new Counter({
      name: "clicklog_events_consumed_total",
      help: "Click events read from kurt.clicks.v1",
      registers,
    }),
    stored: new Counter({
      name: "clicklog_events_stored_total",
      help: "Click events stored and counted for the first time",
      registers,
    }),
    duplicates: new Counter({
      name: "clicklog_events_duplicate_total",
      help: "Click events already stored (redelivered), not counted again",
      registers,
    }),
    malformed: new Counter({
      name: "clicklog_events_malformed_total",
      help: "Messages that are no valid click event (undecodable, no event id, no code): skipped",
      registers,
    }),
    outOfWindow: new Counter({
      name: "clicklog_events_out_of_window_total",
      help: "Click events older than the retention or dated in the future: skipped",
      registers,
    }),
    storeFailures: new Counter({
      name: "clicklog_store_failures_total",
      help: "Batches whose transaction failed (retried until stored)",
      registers,
    }),
    batchSize: new Histogram({
      name: "clicklog_batch_size",
      help: "Messages per stored batch (one transaction)",
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000],
      registers,
    }),
    batchSeconds: new Histogram({
      name: "clicklog_batch_seconds",
      help: "Time to decode, enrich and store one batch, retries included",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    }),
    lag: new Gauge({
      name: "clicklog_consumer_lag",
      help: "Messages of kurt.clicks.v1 not yet committed by the group, per partition (high watermark - committed offset)",
      labelNames: ["partition"],
      registers,
    }),
  };
}
