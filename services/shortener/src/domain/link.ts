import type { RedirectStatus } from "@kurt/contract/redirect-status";
import type { RedirectRule } from "@kurt/core/redirect-rule";

/** A link as stored. `deletedAt` is set once it was deleted: the row and its code stay. */
export interface Link {
  /** "" for the default domain (@kurt/core/link-domain). */
  readonly domain: string;
  readonly code: string;
  readonly url: string;
  readonly redirectStatus: RedirectStatus;
  /** Seconds a browser may keep the redirect; 0: not at all. */
  readonly cacheSeconds: number;
  readonly title: string | null;
  readonly tags: readonly string[];
  readonly expiresAt: Date | null;
  /** Before this instant the link answers 404; null: from its creation. */
  readonly validSince: Date | null;
  /** Whether a redirect adds the request's query parameters to the target's. */
  readonly forwardQuery: boolean;
  /** After this many human visits the link is gone; null: no cap. */
  readonly maxVisits: number | null;
  /** Human visits used up against maxVisits (counted by the resolver; 0 without a cap). */
  readonly visits: number;
  /** hashPassword's form (@kurt/platform/password-hash), or null: no password. Never leaves the services. */
  readonly passwordHash: string | null;
  /** In order; the first that holds gives the target. */
  readonly rules: readonly RedirectRule[];
  readonly disabled: boolean;
  readonly deletedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** The API key that created it. */
  readonly createdByKey: string | null;
}

/** A validated create, before the store gives it its timestamps. */
export interface NewLink {
  readonly domain: string;
  readonly code: string;
  readonly url: string;
  readonly redirectStatus: RedirectStatus;
  readonly cacheSeconds: number;
  readonly title: string | null;
  readonly tags: readonly string[];
  readonly expiresAt: Date | null;
  readonly validSince: Date | null;
  readonly forwardQuery: boolean;
  readonly maxVisits: number | null;
  readonly passwordHash: string | null;
  readonly rules: readonly RedirectRule[];
  readonly createdByKey: string | null;
}

/** A validated partial update: only the properties present change. */
export interface LinkChanges {
  readonly url?: string;
  readonly redirectStatus?: RedirectStatus;
  readonly cacheSeconds?: number;
  /** null removes the expiry. */
  readonly expiresAt?: Date | null;
  /** null removes the start. */
  readonly validSince?: Date | null;
  readonly forwardQuery?: boolean;
  /** null removes the cap. */
  readonly maxVisits?: number | null;
  /** null removes the password. */
  readonly passwordHash?: string | null;
  readonly rules?: readonly RedirectRule[];
  readonly disabled?: boolean;
  /** null removes the title. */
  readonly title?: string | null;
  readonly tags?: readonly string[];
}

/** Where a page of the newest-first listing ends: (created_at, code, domain), created_at in microseconds. */
export interface LinkPosition {
  readonly createdAtMicros: bigint;
  readonly code: string;
  readonly domain: string;
}

/** One link's identity: codes are unique per domain. */
export interface LinkId {
  readonly domain: string;
  readonly code: string;
}

export interface ListedLink {
  readonly link: Link;
  readonly position: LinkPosition;
}
