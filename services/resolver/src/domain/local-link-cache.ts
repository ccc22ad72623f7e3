import type { LinkCacheEntry } from "@kurt/contract";
import { LRUCache } from "lru-cache";

export interface LocalLinkCacheOptions {
  /** At most this many links are held. */
  readonly maxEntries: number;
  /** And at most about this many bytes (URL and code lengths plus a fixed overhead per entry). */
  readonly maxBytes: number;
  /** A held link is trusted this long; link events drop it sooner. */
  readonly ttlMs: number;
  /** An unknown code is remembered this long, so repeated junk does not reach the stores. */
  readonly negativeTtlMs: number;
  readonly negativeMaxEntries: number;
}

export type LocalLookup = { readonly kind: "link"; readonly entry: LinkCacheEntry } | { readonly kind: "unknown" };

/** The in-process layer: recently resolved links and recently unknown codes. */
export interface LocalLinkCache {
  get(code: string): LocalLookup | undefined;
  setLink(code: string, entry: LinkCacheEntry): void;
  setUnknown(code: string): void;
  /** Forgets both what is known and that the code was unknown (a create, an update, a delete). */
  drop(code: string): void;
  /**
   * Frees the entries whose TTL has passed. An expired entry is never
   * answered, but the LRU keeps it until the bounds push it out: without a
   * purge, a busy resolver holds mostly dead links (measured: ~100 MB of heap
   * for 100,000 entries of which a few thousand were live). Returns how many
   * it dropped.
   */
  purgeExpired(): number;
  readonly size: number;
}

// Keys, the entry object and the LRU's own bookkeeping, roughly; the point is a bound, not an exact count.
const ENTRY_OVERHEAD_BYTES = 200;

const UNKNOWN: LocalLookup = { kind: "unknown" };

export function createLocalLinkCache(options: LocalLinkCacheOptions): LocalLinkCache {
  const links = new LRUCache<string, LinkCacheEntry>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: (entry, code) => ENTRY_OVERHEAD_BYTES + code.length + entry.url.length,
    ttl: options.ttlMs,
    // Age from the fill, not from the last read: a hot link is re-read from Redis every TTL.
    updateAgeOnGet: false,
  });
  const unknown = new LRUCache<string, true>({ max: options.negativeMaxEntries, ttl: options.negativeTtlMs });
  return {
    get(code) {
      const entry = links.get(code);
      if (entry !== undefined) return { kind: "link", entry };
      return unknown.get(code) ? UNKNOWN : undefined;
    },
    setLink(code, entry) {
      unknown.delete(code);
      links.set(code, entry);
    },
    setUnknown(code) {
      links.delete(code);
      unknown.set(code, true);
    },
    drop(code) {
      links.delete(code);
      unknown.delete(code);
    },
    purgeExpired() {
      const before = links.size + unknown.size;
      links.purgeStale();
      unknown.purgeStale();
      return before - (links.size + unknown.size);
    },
    get size() {
      return links.size + unknown.size;
    },
  };
}
