import type { LoadOutcome } from "./measure.js";

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

/** The percentiles of latencies (milliseconds) a scenario's own client measured, as LoadOutcome reports them. */
export function latencySummary(latencies: readonly number[]): LoadOutcome["latency"] {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    p999: percentile(sorted, 0.999),
    max: sorted.at(-1) ?? 0,
  };
}
