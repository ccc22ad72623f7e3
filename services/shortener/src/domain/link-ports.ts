import type { Link, LinkChanges, LinkId, LinkPosition, ListedLink, NewLink } from "./link.js";
import type { LinkFilter } from "./link-filter.js";

/** The links table on the primary. Every method is one statement, so one transaction. */
export interface LinkStore {
  /** Inserts unless the domain's code is taken (by any row, deleted or not): then undefined. Never check-then-insert. */
  insert(link: NewLink): Promise<Link | undefined>;
  /** Deleted links are answered too; the caller decides what they mean. */
  find(id: LinkId): Promise<Link | undefined>;
  /** Links not deleted that pass every filter set, newest first, strictly after `after`. */
  list(limit: number, after: LinkPosition | undefined, filter?: LinkFilter): Promise<ListedLink[]>;
  /** Applies the changes to a link that is not deleted; undefined when there is none. */
  update(id: LinkId, changes: LinkChanges): Promise<Link | undefined>;
  /** Marks a link deleted; undefined when there is none (or it was deleted already). */
  markDeleted(id: LinkId): Promise<Link | undefined>;
}

/**
 * The Redis entry that resolvers read first. Called after the commit; it
 * must never reject (Postgres is the truth, the entry only a copy) and must
 * answer within a short bound so that a slow cache cannot stall a write.
 */
export interface LinkCacheWriter {
  write(link: Link): Promise<void>;
}

export type LinkChangeKind = "created" | "updated" | "deleted";

export interface LinkChange {
  readonly kind: LinkChangeKind;
  readonly link: Link;
  readonly requestId: string | undefined;
}

/**
 * The link event on Kafka that tells resolvers to drop their copies.
 * Fire-and-forget: it never throws and never delays the call.
 */
export interface LinkChangePublisher {
  publish(change: LinkChange): void;
}
