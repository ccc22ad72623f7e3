import { invalidArgument } from "@kurt/platform/errors";
import { EARLIEST_TIMESTAMP, validateTimestamp } from "@kurt/platform/timestamps";
import { ceilTo, DAY_MS, floorTo, HOUR_MS } from "./utc-time.js";

export type StatsInterval = "hour" | "day";

export const DEFAULT_INTERVAL: StatsInterval = "day";
/** Without `from`, stats cover this many days before `to`. */
export const DEFAULT_WINDOW_DAYS = 7;
/** The widest range per interval: a year by day, a month by hour (744 points). */
export const MAX_RANGE_DAYS: Readonly<Record<StatsInterval, number>> = { hour: 31, day: 366 };

const STEP_MS: Readonly<Record<StatsInterval, number>> = { hour: HOUR_MS, day: DAY_MS };

export interface StatsRangeRequest {
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  readonly interval?: StatsInterval | undefined;
}

/** [start, end) in whole UTC intervals. */
export interface StatsRange {
  readonly start: Date;
  readonly end: Date;
  readonly interval: StatsInterval;
  readonly stepMs: number;
}

function validTime(field: string, value: Date | undefined): Date | undefined {
  return value === undefined ? undefined : validateTimestamp(field, value);
}

/**
 * The range stats cover. Rollups count whole hours, so the range widens to
 * whole intervals (UTC): `from` down to the start of its hour or day, `to` up
 * to the end of its own. Every figure of the answer (totals, series,
 * breakdowns, visitors) covers this same widened range, so they agree.
 */
export function resolveStatsRange(request: StatsRangeRequest, now: Date): StatsRange {
  const interval = request.interval ?? DEFAULT_INTERVAL;
  const stepMs = STEP_MS[interval];
  const requestedFrom = validTime("from", request.from);
  const to = validTime("to", request.to) ?? now;
  // The default window stops at the earliest time rather than reaching before it.
  const from =
    requestedFrom ?? new Date(Math.max(EARLIEST_TIMESTAMP.getTime(), to.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS));
  if (from.getTime() >= to.getTime()) {
    const end = request.to === undefined ? "now (to is unset)" : to.toISOString();
    throw invalidArgument("from", `must be before to: from is ${from.toISOString()}, to is ${end}`);
  }
  const maxDays = MAX_RANGE_DAYS[interval];
  if (to.getTime() - from.getTime() > maxDays * DAY_MS) {
    throw invalidArgument(
      "from",
      `the range may span at most ${maxDays} days with interval ${interval} (${MAX_RANGE_DAYS.day} by day, ${MAX_RANGE_DAYS.hour} by hour)`,
    );
  }
  return { start: floorTo(from, stepMs), end: ceilTo(to, stepMs), interval, stepMs };
}
