import type { LookupLayer } from "./lookup-layer.js";

/** What the resolver knew about one redirect it answered: the makings of a click event. */
export interface ClickFacts {
  /** The link's domain, "" for the default one. */
  readonly domain: string;
  readonly code: string;
  /** The Referer header as sent, "" when absent. */
  readonly referrer: string;
  /** The User-Agent header as sent, "" when absent. */
  readonly userAgent: string;
  /** The client's IP address, "" when unknown. */
  readonly clientAddress: string;
  readonly redirectStatus: number;
  readonly servedBy: LookupLayer;
  /** Envoy's x-request-id, "" when the call did not come through it. */
  readonly requestId: string;
  /** A prefetch or a link preview, counted apart from visits (visitor/prefetch.ts). */
  readonly prefetch: boolean;
}

/** One counted redirect, as it waits to be sent. */
export interface Click extends ClickFacts {
  /** Unique per click: clicklog's idempotency key, so a resent click is still counted once. */
  readonly eventId: string;
  /** Epoch milliseconds of the answer. */
  readonly occurredAtMs: number;
}

/** Where a counted redirect goes; recording is synchronous and never fails the answer. */
export interface ClickRecorder {
  record(facts: ClickFacts): void;
}
