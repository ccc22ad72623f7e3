/**
 * Whether a link redirects, decided at read time so that an expiry takes
 * effect at its instant, not when some cache entry ages out. The Redis entry
 * (@kurt/contract's LinkCacheEntry) and every other record of a link carry
 * these facts.
 */

export interface LinkStateFacts {
  /** Epoch milliseconds, or null when the link never expires. */
  readonly expiresAtMs: number | null;
  readonly disabled: boolean;
  readonly deleted: boolean;
}

export type LinkState = "active" | "disabled" | "deleted" | "expired";

/** Whether a link redirects at `nowMs`, or why it is gone. */
export function linkState(facts: LinkStateFacts, nowMs: number): LinkState {
  if (facts.deleted) return "deleted";
  if (facts.disabled) return "disabled";
  if (facts.expiresAtMs !== null && facts.expiresAtMs <= nowMs) return "expired";
  return "active";
}
