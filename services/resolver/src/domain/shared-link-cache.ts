import type { LinkCacheEntry } from "@kurt/contract/link-cache";

/**
 * The cache all resolver replicas and the shortener share (Redis Cluster),
 * by link key (@kurt/core/link-domain's linkKey of domain and code).
 */
export interface SharedLinkCache {
  /** The entry, or undefined when absent or unreadable. Rejects when the cache cannot answer in time. */
  get(key: string): Promise<LinkCacheEntry | undefined>;
  /**
   * Stores what the database said unless an entry is already there: the
   * shortener writes through after each commit, and its entry is newer than
   * anything a (possibly lagging) replica returned.
   */
  fillIfAbsent(key: string, entry: LinkCacheEntry): Promise<void>;
}
