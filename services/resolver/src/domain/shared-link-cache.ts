import type { LinkCacheEntry } from "@kurt/contract/link-cache";

/** The cache all resolver replicas and the shortener share (Redis Cluster). */
export interface SharedLinkCache {
  /** The entry, or undefined when absent or unreadable. Rejects when the cache cannot answer in time. */
  get(code: string): Promise<LinkCacheEntry | undefined>;
  /**
   * Stores what the database said unless an entry is already there: the
   * shortener writes through after each commit, and its entry is newer than
   * anything a (possibly lagging) replica returned.
   */
  fillIfAbsent(code: string, entry: LinkCacheEntry): Promise<void>;
}
