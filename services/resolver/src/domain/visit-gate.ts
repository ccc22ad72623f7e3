import { gone } from "@kurt/platform/errors";
import type { Redirect } from "./link-resolver.js";

/**
 * maxVisits (DESIGN.md §2): a capped link answers 410 once its human visits
 * are used up; bots, HEAD and prefetches never use one. The count lives on
 * the Postgres primary and is taken in the same statement that checks the
 * cap, so however many resolvers serve the link at once, exactly maxVisits
 * human visits are granted (ADR 30). Links without a cap never get here.
 */
export interface VisitCounter {
  /** Takes one visit: false when none is left (or the link is gone meanwhile). */
  take(domain: string, code: string): Promise<boolean>;
  /** Whether a visit is left, taking none (for bots, HEAD and prefetches). */
  hasLeft(domain: string, code: string): Promise<boolean>;
}

export const OUT_OF_VISITS = "link has used all its visits";

/**
 * Lets a visit through the link's cap, or throws gone. `human`: a GET or a
 * password form's POST from a person (not a bot, not a prefetch).
 */
export async function passVisitCap(
  counter: VisitCounter,
  link: { readonly domain: string; readonly code: string },
  redirect: Redirect,
  human: boolean,
): Promise<void> {
  if (redirect.maxVisits === null) return;
  const open = human ? await counter.take(link.domain, link.code) : await counter.hasLeft(link.domain, link.code);
  if (!open) throw gone(OUT_OF_VISITS);
}
