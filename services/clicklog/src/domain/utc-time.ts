/**
 * UTC calendar arithmetic. Partitions, rollup hours, stats buckets and the
 * daily visitor key all follow UTC days, whatever the machine's time zone.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** "2026-11-27" for any instant of that UTC day. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Midnight UTC starting the day "YYYY-MM-DD". */
export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

export function addDays(day: string, days: number): string {
  return utcDay(new Date(dayStart(day).getTime() + days * DAY_MS));
}

export function floorTo(date: Date, stepMs: number): Date {
  return new Date(Math.floor(date.getTime() / stepMs) * stepMs);
}

export function ceilTo(date: Date, stepMs: number): Date {
  return new Date(Math.ceil(date.getTime() / stepMs) * stepMs);
}
