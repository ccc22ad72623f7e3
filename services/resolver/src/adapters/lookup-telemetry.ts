import type { Logger } from "@kurt/platform";
import { Counter, type Registry } from "prom-client";
import type { LookupLayer } from "../domain/lookup-layer.js";
import type { LookupObserver, LookupResult } from "../domain/lookup-observer.js";

export interface LookupTelemetryOptions {
  readonly registry: Registry;
  readonly logger: Logger;
  /** At most one warning per layer per this period: an outage must not flood the log at the request rate. */
  readonly warnEveryMs?: number;
  readonly now?: () => number;
}

const SERIES: Record<LookupLayer, readonly LookupResult[]> = {
  memory: ["hit", "miss", "negative"],
  redis: ["hit", "miss", "error"],
  replica: ["hit", "miss", "error"],
  primary: ["hit", "miss", "error"],
};

/** resolver_lookups_total{layer, result} and throttled warnings when a layer fails. */
export function createLookupTelemetry(options: LookupTelemetryOptions): LookupObserver {
  const { logger } = options;
  const warnEveryMs = options.warnEveryMs ?? 5_000;
  const now = options.now ?? Date.now;
  const lookups = new Counter({
    name: "resolver_lookups_total",
    help: "Resolver lookups by layer (memory, redis, replica, primary) and result (hit, miss, negative, error)",
    labelNames: ["layer", "result"],
    registers: [options.registry],
  });
  // Every series a dashboard expects exists from the start, at zero; the hot path reuses the bound children.
  const children = new Map<string, Counter.Internal>();
  for (const [layer, results] of Object.entries(SERIES)) {
    for (const result of results) {
      const child = lookups.labels({ layer, result });
      child.inc(0);
      children.set(`${layer}:${result}`, child);
    }
  }
  const lastWarned = new Map<LookupLayer, number>();
  const suppressed = new Map<LookupLayer, number>();
  return {
    lookup(layer: LookupLayer, result: LookupResult) {
      const child = children.get(`${layer}:${result}`);
      if (child === undefined) lookups.inc({ layer, result });
      else child.inc();
    },
    layerFailed(layer, error) {
      const at = now();
      const last = lastWarned.get(layer);
      if (last !== undefined && at - last < warnEveryMs) {
        suppressed.set(layer, (suppressed.get(layer) ?? 0) + 1);
        return;
      }
      lastWarned.set(layer, at);
      const alsoFailed = suppressed.get(layer) ?? 0;
      suppressed.set(layer, 0);
      logger.warn("lookup layer failed", { layer, error, alsoFailed });
    },
  };
}
