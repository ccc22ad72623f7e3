import type { RawClick } from "./click.js";
import type { ClickEnricher } from "./click-enricher.js";
import type { ClickPartitions, ClickStore } from "./click-ports.js";
import type { ClickRetention } from "./click-retention.js";
import { clickProblem } from "./click-validation.js";
import { utcDay } from "./utc-time.js";

export interface IngestResult {
  /** New clicks, now stored and counted. */
  readonly stored: number;
  /** Clicks stored before (redelivered), or repeated within the batch. */
  readonly duplicates: number;
  /** Clicks outside the accepted days (see ClickRetention): skipped. */
  readonly outOfWindow: number;
  /** Clicks that cannot be counted at all, with the reason. */
  readonly invalid: readonly { readonly eventId: string; readonly reason: string }[];
}

export type ClickIngest = (clicks: readonly RawClick[]) => Promise<IngestResult>;

/**
 * One batch of clicks from Kafka to storage. Everything it writes is done by
 * ClickStore.store in one transaction, and it is safe to run again on the
 * same clicks: that is what makes a redelivery after a crash harmless.
 */
export function createClickIngest(deps: {
  readonly enrich: ClickEnricher;
  readonly store: ClickStore;
  readonly partitions: ClickPartitions;
  readonly retention: ClickRetention;
  readonly now?: () => Date;
}): ClickIngest {
  const now = deps.now ?? (() => new Date());
  return async (clicks) => {
    const at = now();
    const invalid: { eventId: string; reason: string }[] = [];
    const accepted = new Map<string, RawClick>();
    let outOfWindow = 0;
    let repeated = 0;
    for (const click of clicks) {
      const problem = clickProblem(click);
      if (problem !== undefined) {
        invalid.push({ eventId: click.eventId.slice(0, 128), reason: problem });
      } else if (!deps.retention.accepts(click.occurredAt, at)) {
        outOfWindow += 1;
      } else {
        const key = `${click.eventId}@${click.occurredAt.getTime()}`;
        if (accepted.has(key)) repeated += 1;
        else accepted.set(key, click);
      }
    }
    if (accepted.size === 0) return { stored: 0, duplicates: repeated, outOfWindow, invalid };
    const unique = [...accepted.values()];
    await deps.partitions.ensure([...new Set(unique.map((click) => utcDay(click.occurredAt)))]);
    const stored = await deps.store.store(await deps.enrich(unique));
    return { stored, duplicates: repeated + unique.length - stored, outOfWindow, invalid };
  };
}
