import type { Redirect } from "./link-resolver.js";

/** What a visit shows of itself: its headers (HTTP names; gRPC metadata keeps them) and its path with the query. */
export interface Visit {
  readonly header: (name: string) => string | undefined;
  readonly url: string;
}

/**
 * The target a link's redirect rules give this visit, or undefined when no
 * rule holds (the link's own URL then). Called only for links with rules.
 */
export type RuleTarget = (redirect: Redirect, visit: Visit) => string | undefined;
