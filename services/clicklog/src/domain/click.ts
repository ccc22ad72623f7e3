/**
 * A click as the resolver reported it (decoded from kurt.clicks.v1), and as
 * clicklog stores it once enriched. The client address exists only in the
 * raw form: enrichment turns it into a visitor hash.
 */
export interface RawClick {
  readonly eventId: string;
  /** The link's stored domain: "" for the default domain (DEFAULT_DOMAIN of @kurt/core/link-domain). */
  readonly domain: string;
  readonly code: string;
  readonly occurredAt: Date;
  readonly referrer: string;
  readonly userAgent: string;
  readonly clientAddress: string;
  readonly redirectStatus: number;
  /** The resolver's LookupLayer number. */
  readonly servedBy: number;
  readonly requestId: string;
  /** A prefetch or a link preview: counted apart, never as a human or bot visit. */
  readonly prefetch: boolean;
}

/** What a user agent says about the client. */
export interface UserAgentClass {
  readonly browser: string;
  readonly os: string;
  /** "desktop", "mobile", "tablet", "bot", … or "unknown". */
  readonly device: string;
  readonly bot: boolean;
}

export interface EnrichedClick extends UserAgentClass {
  readonly eventId: string;
  /** As in RawClick: "" for the default domain. */
  readonly domain: string;
  readonly code: string;
  readonly occurredAt: Date;
  /** Lower-case host of the Referer, or "direct". */
  readonly referrerHost: string;
  /** ISO 3166-1 alpha-2 country of the client address ("DE"), or "unknown". The address itself is not kept. */
  readonly country: string;
  readonly visitorHash: Buffer;
  readonly userAgent: string;
  readonly redirectStatus: number;
  readonly servedBy: number;
  readonly requestId: string;
  readonly prefetch: boolean;
}

/** The value stored for a dimension nobody could tell (no user agent, an unparsable referrer, an address of no known country). */
export const UNKNOWN = "unknown";
/** The referrer host of a click without a Referer. */
export const DIRECT = "direct";
