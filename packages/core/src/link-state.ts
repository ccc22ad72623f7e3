/**
 * Whether a link redirects, decided at read time so that an expiry takes
 * effect at its instant, not when some cache entry ages out. The Redis entry
 * (@kurt/contract's LinkCacheEntry) and every other record of a link carry
 * these facts.
 */

export interface LinkStateFacts {
  /** Epoch milliseconds, or null when the link never expires. */
  readonly expiresAtMs: number | null;
  /** Epoch milliseconds before which the link does not redirect yet, or null. */
  readonly validSinceMs: number | null;
  readonly disabled: boolean;
  readonly deleted: boolean;
}

/** "pending": not valid yet, which DESIGN.md §2 answers like an unknown code (404), not like a gone one. */
export type LinkState = "active" | "pending" | "disabled" | "deleted" | "expired";

/** Whether a link redirects at `nowMs`, or why it does not (yet, or any more). */
export function linkState(facts: LinkStateFacts, nowMs: number): LinkState {
  if (facts.deleted) return "deleted";
  if (facts.disabled) return "disabled";
  if (facts.expiresAtMs !== null && facts.expiresAtMs <= nowMs) return "expired";
  if (facts.validSinceMs !== null && facts.validSinceMs > nowMs) return "pending";
  return "active";
}
