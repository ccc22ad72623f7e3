import { DEFAULT_REDIRECT_STATUS, isRedirectStatus, type RedirectStatus } from "@kurt/contract/redirect-status";
import { invalidArgument } from "@kurt/platform/errors";
import { validateTimestamp } from "@kurt/platform/timestamps";
import { CONTROL_CHARACTER } from "./control-characters.js";

/**
 * Rules for the link fields other than the URL and the code. Field names in
 * messages are the JSON names a REST client sends.
 */

export const MAX_TITLE_LENGTH = 200;
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 50;

/**
 * Tags are labels for filtering and reporting, so they stay plain: 1 to 50
 * of letters, digits, `_`, `-`, `.` and `:` (room for "campaign:spring-24"
 * or "v1.2"). They are case-sensitive; duplicates are dropped, order is kept.
 */
export const TAG_PATTERN = /^[A-Za-z0-9_.:-]{1,50}$/;

export function validateRedirectStatus(value: number | undefined): RedirectStatus {
  if (value === undefined) return DEFAULT_REDIRECT_STATUS;
  if (!isRedirectStatus(value)) throw invalidArgument("redirectStatus", `must be 301, 302, 307 or 308, got ${value}`);
  return value;
}

/** A year: DESIGN.md §2's bound on how long a browser may keep a redirect. */
export const MAX_CACHE_SECONDS = 31_536_000;

export function validateCacheSeconds(value: number | undefined): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0 || value > MAX_CACHE_SECONDS)
    throw invalidArgument("cacheSeconds", `must be a whole number from 0 to ${MAX_CACHE_SECONDS}, got ${value}`);
  return value;
}

/** How far ahead an expiry may lie (DESIGN.md §2), in calendar years. */
export const MAX_EXPIRY_YEARS = 100;

/**
 * An expiry lies in the future and at most 100 years ahead. An invalid Date
 * (NaN) is refused with its reason; without the upper bound an expiry in the
 * year 11476 was stored, and no listing could print it any more.
 */
/** An instant later than 100 years from now is refused, to the millisecond. */
function refuseBeyondMaxYears(field: string, value: Date, now: Date): void {
  const latest = new Date(now.getTime());
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_EXPIRY_YEARS);
  if (value.getTime() > latest.getTime())
    throw invalidArgument(
      field,
      `must be at most ${MAX_EXPIRY_YEARS} years ahead (no later than ${latest.toISOString()}), got ${value.toISOString()}`,
    );
}

/**
 * The instant a link starts redirecting: any instant up to 100 years ahead
 * (one in the past simply means at once), and before its expiry when it has
 * one, or it would never redirect.
 */
export function validateValidSince(value: Date, now: Date, expiresAt: Date | null): Date {
  const ms = value.getTime();
  if (Number.isNaN(ms)) return validateTimestamp("validSince", value);
  refuseBeyondMaxYears("validSince", value, now);
  if (expiresAt !== null && ms >= expiresAt.getTime())
    throw invalidArgument(
      "validSince",
      `must be before expiresAt (${expiresAt.toISOString()}), got ${value.toISOString()}: the link would never redirect`,
    );
  return validateTimestamp("validSince", value);
}

export function validateExpiresAt(value: Date, now: Date): Date {
  const ms = value.getTime();
  if (Number.isNaN(ms)) return validateTimestamp("expiresAt", value);
  if (ms <= now.getTime())
    throw invalidArgument("expiresAt", `must be in the future, got ${value.toISOString()} (now ${now.toISOString()})`);
  refuseBeyondMaxYears("expiresAt", value, now);
  return validateTimestamp("expiresAt", value);
}

/** The empty title means "no title". */
export function validateTitle(value: string): string | null {
  if (value === "") return null;
  const length = [...value].length;
  if (length > MAX_TITLE_LENGTH)
    throw invalidArgument("title", `at most ${MAX_TITLE_LENGTH} characters, got ${length}`);
  if (CONTROL_CHARACTER.test(value)) throw invalidArgument("title", "must not contain control characters");
  return value;
}

/** Tags as the client sent them: any JSON values (an update's ListValue), of which each must be a valid tag string. */
export function validateTags(values: readonly unknown[]): string[] {
  if (values.length > MAX_TAGS) throw invalidArgument("tags", `at most ${MAX_TAGS} tags, got ${values.length}`);
  const tags: string[] = [];
  values.forEach((value, index) => {
    if (typeof value !== "string")
      throw invalidArgument(`tags[${index}]`, `must be a string, got ${value === null ? "null" : typeof value}`);
    if (!TAG_PATTERN.test(value)) {
      const shown = value.length > 60 ? `${JSON.stringify(value.slice(0, 60))}…` : JSON.stringify(value);
      throw invalidArgument(
        `tags[${index}]`,
        `must be 1 to ${MAX_TAG_LENGTH} characters of A-Z, a-z, 0-9, _, -, . and :, got ${shown}`,
      );
    }
    if (!tags.includes(value)) tags.push(value);
  });
  return tags;
}

/** Int32's largest value: the cap travels as an int32. */
export const MAX_MAX_VISITS = 2_147_483_647;

export function validateMaxVisits(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_MAX_VISITS)
    throw invalidArgument("maxVisits", `must be a whole number from 1 to ${MAX_MAX_VISITS}, got ${value}`);
  return value;
}

export const MIN_PASSWORD_LENGTH = 4;
export const MAX_PASSWORD_LENGTH = 128;

/** A link's password as a visitor types it in the form: 4 to 128 characters, none of them a control character. */
export function validatePassword(value: string): string {
  const length = [...value].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH)
    throw invalidArgument(
      "password",
      `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters, got ${length} ("" removes it on an update)`,
    );
  if (CONTROL_CHARACTER.test(value)) throw invalidArgument("password", "must not contain control characters");
  return value;
}
