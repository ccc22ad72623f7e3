import type { ClickPartitions } from "./click-ports.js";
import type { ClickRetention } from "./click-retention.js";
import { addDays, utcDay } from "./utc-time.js";
import type { VisitorKeys } from "./visitor-hash.js";

/**
 * Visitor keys live for today and the two days before: long enough for
 * clicks that reach clicklog late (Kafka was down for a while) to hash like
 * the rest of their day, short enough that yesterday's hashes soon become
 * unlinkable. A click older than that gets a fresh key for its day, so its
 * visitor may be counted once more that day.
 */
export const VISITOR_KEY_DAYS = 3;

export interface MaintenanceResult {
  readonly droppedDays: readonly string[];
  readonly deletedKeys: number;
}

/**
 * The periodic housekeeping every replica runs: partitions for today and
 * tomorrow exist before their first click, partitions past the retention are
 * dropped, old visitor keys are deleted. Each step is safe to run on several
 * replicas at once.
 */
export function createClickMaintenance(deps: {
  readonly partitions: ClickPartitions;
  readonly visitorKeys: VisitorKeys;
  readonly retention: ClickRetention;
  readonly now?: () => Date;
}): () => Promise<MaintenanceResult> {
  const now = deps.now ?? (() => new Date());
  return async () => {
    const at = now();
    const today = utcDay(at);
    await deps.partitions.ensure([today, addDays(today, 1)]);
    const droppedDays = await deps.partitions.dropBefore(deps.retention.firstKeptDay(at));
    const deletedKeys = await deps.visitorKeys.deleteBefore(addDays(today, -(VISITOR_KEY_DAYS - 1)));
    return { droppedDays, deletedKeys };
  };
}
