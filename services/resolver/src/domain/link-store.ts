import type { LinkCacheEntry } from "@kurt/contract/link-cache";

/** One Postgres server's view of the links (the replica, or the primary). */
export interface LinkStore {
  /** The link's row, or undefined when this server has none. Rejects when the server cannot answer. */
  find(domain: string, code: string): Promise<LinkCacheEntry | undefined>;
}
