/**
 * The Redis Cluster entry for a link: written through by the shortener after
 * each commit, read (and filled on a miss) by the resolver. Both sides use
 * these functions so that the format lives in one place.
 *
 * The entry holds what a redirect needs and the facts that make a link gone;
 * whether it is gone is decided at read time by @kurt/core/link-state, so an
 * expiry takes effect at its instant, not when some cache entry ages out.
 */

import type { RedirectRule } from "@kurt/core/redirect-rule";

export interface LinkCacheEntry {
  readonly url: string;
  readonly redirectStatus: number;
  /** Seconds a browser may keep the redirect; 0: not at all. */
  readonly cacheSeconds: number;
  /** Epoch milliseconds, or null when the link never expires. */
  readonly expiresAtMs: number | null;
  /** Epoch milliseconds before which the link answers 404, or null. */
  readonly validSinceMs: number | null;
  /** Whether a redirect adds the request's query parameters to the target's. */
  readonly forwardQuery: boolean;
  /** The cap on human visits, or null. The count itself lives only in Postgres (it changes with every visit). */
  readonly maxVisits: number | null;
  /** The password's slow salted hash, or null: a resolver checks a visitor's password against it. */
  readonly passwordHash: string | null;
  /** In order, as the shortener stored them. */
  readonly rules: readonly RedirectRule[];
  readonly disabled: boolean;
  readonly deleted: boolean;
  /** Epoch milliseconds of the committed version; a newer version wins. */
  readonly updatedAtMs: number;
}

const VERSION = 1;

/** `key` is @kurt/core's linkKey(domain, code): the bare code for the default domain, as before domains existed. */
export function linkCacheKey(key: string): string {
  return `kurt:link:v${VERSION}:${key}`;
}

/** How long an entry lives in Redis: a bound on the staleness a lost write-through could leave. */
export const LINK_CACHE_TTL_SECONDS = 6 * 60 * 60;

/**
 * A JSON array. Later fields are appended so that the 7th element stays the
 * version the shortener's guarded write compares: cacheSeconds (issue 11) is
 * the 8th, validSinceMs the 9th, forwardQuery the 10th, maxVisits the 11th,
 * passwordHash the 12th and the rules the 13th (issue 15). An older, shorter
 * entry reads as 0, null, false and [] for what it lacks.
 */
export function encodeLinkCacheEntry(entry: LinkCacheEntry): string {
  return JSON.stringify([
    VERSION,
    entry.url,
    entry.redirectStatus,
    entry.expiresAtMs,
    entry.disabled ? 1 : 0,
    entry.deleted ? 1 : 0,
    entry.updatedAtMs,
    entry.cacheSeconds,
    entry.validSinceMs,
    entry.forwardQuery ? 1 : 0,
    entry.maxVisits,
    entry.passwordHash,
    entry.rules,
  ]);
}

/** Undefined for anything that is not a well-formed entry of this version (treated as a miss). */
export function decodeLinkCacheEntry(text: string): LinkCacheEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length < 7 || value.length > 13 || value[0] !== VERSION) return undefined;
  const [
    ,
    url,
    redirectStatus,
    expiresAtMs,
    disabled,
    deleted,
    updatedAtMs,
    cacheSeconds = 0,
    validSinceMs = null,
    forwardQuery = 0,
    maxVisits = null,
    passwordHash = null,
    rules = [],
  ] = value as unknown[];
  if (typeof url !== "string" || typeof redirectStatus !== "number" || typeof updatedAtMs !== "number")
    return undefined;
  if (expiresAtMs !== null && typeof expiresAtMs !== "number") return undefined;
  if (typeof cacheSeconds !== "number") return undefined;
  if (validSinceMs !== null && typeof validSinceMs !== "number") return undefined;
  if (maxVisits !== null && typeof maxVisits !== "number") return undefined;
  if (passwordHash !== null && typeof passwordHash !== "string") return undefined;
  if (!Array.isArray(rules) || !rules.every(isRule)) return undefined;
  return {
    url,
    redirectStatus,
    cacheSeconds,
    expiresAtMs,
    validSinceMs,
    forwardQuery: forwardQuery === 1,
    maxVisits,
    passwordHash,
    rules,
    disabled: disabled === 1,
    deleted: deleted === 1,
    updatedAtMs,
  };
}

const optionalString = (value: unknown) => value === undefined || typeof value === "string";

/** The shape of a stored rule (the shortener validated its values); anything else makes the entry a miss. */
function isRule(value: unknown): value is RedirectRule {
  if (typeof value !== "object" || value === null) return false;
  const rule = value as Record<string, unknown>;
  const query = rule.query as Record<string, unknown> | undefined;
  return (
    typeof rule.url === "string" &&
    optionalString(rule.device) &&
    optionalString(rule.country) &&
    optionalString(rule.language) &&
    (query === undefined ||
      (typeof query === "object" && query !== null && typeof query.name === "string" && optionalString(query.value)))
  );
}
