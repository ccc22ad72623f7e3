import { addDays, utcDay } from "./utc-time.js";

/**
 * Which clicks may be stored, and which daily partitions may go. Storing is
 * idempotent only while a click's row exists, so a click is accepted only on
 * a day that is not about to be dropped, and the drop spares one more day:
 * with retention R, clicks of the last R days (today included) are accepted,
 * partitions of days older than R+1 days are dropped, and the day in between
 * is neither, so a replica storing and another dropping never race.
 */
export interface ClickRetention {
  readonly days: number;
  /** The oldest day whose clicks are still accepted. */
  oldestAcceptedDay(now: Date): string;
  /** Partitions of days before this one are dropped. */
  firstKeptDay(now: Date): string;
  /** The newest day accepted: clicks from later are clock errors, not clicks. */
  newestAcceptedDay(now: Date): string;
  accepts(occurredAt: Date, now: Date): boolean;
}

export function createClickRetention(days: number): ClickRetention {
  if (!Number.isInteger(days) || days < 1) throw new Error(`retention must be at least one day, got ${days}`);
  const oldestAcceptedDay = (now: Date) => addDays(utcDay(now), -(days - 1));
  const newestAcceptedDay = (now: Date) => addDays(utcDay(now), 1);
  return {
    days,
    oldestAcceptedDay,
    firstKeptDay: (now) => addDays(oldestAcceptedDay(now), -1),
    newestAcceptedDay,
    accepts(occurredAt, now) {
      if (Number.isNaN(occurredAt.getTime())) return false;
      const day = utcDay(occurredAt);
      return day >= oldestAcceptedDay(now) && day <= newestAcceptedDay(now);
    },
  };
}
