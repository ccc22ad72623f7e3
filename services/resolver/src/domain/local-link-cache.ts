import type { LinkCacheEntry } from "@kurt/contract/link-cache";
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
  /**
   * Milliseconds on a clock that only moves forward, the TTLs' clock;
   * performance.now by default (a test passes its own, so no test waits).
   */
  readonly now?: () => number;
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

interface HeldLink {
  readonly entry: LinkCacheEntry;
  readonly storedAtMs: number;
}

const monotonicNow = () => performance.now();

/**
 * The TTLs are kept here rather than by lru-cache (whose clock cannot be
 * replaced): an entry is stale once more than its TTL has passed since it
 * was stored, as lru-cache counts it; a stale entry is never answered and a
 * read of it drops it.
 */
export function createLocalLinkCache(options: LocalLinkCacheOptions): LocalLinkCache {
  const now = options.now ?? monotonicNow;
  const { ttlMs, negativeTtlMs } = options;
  const links = new LRUCache<string, HeldLink>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: (held, code) => ENTRY_OVERHEAD_BYTES + code.length + held.entry.url.length,
  });
  // The value is when the code was found unknown.
  const unknown = new LRUCache<string, number>({ max: options.negativeMaxEntries });

  // Age from the fill, not from the last read: a hot link is re-read from Redis every TTL.
  const liveLink = (code: string, at: number): HeldLink | undefined => {
    const held = links.get(code);
    if (held === undefined || at - held.storedAtMs <= ttlMs) return held;
    links.delete(code);
    return undefined;
  };
  const isUnknown = (code: string, at: number): boolean => {
    const since = unknown.get(code);
    if (since === undefined) return false;
    if (at - since <= negativeTtlMs) return true;
    unknown.delete(code);
    return false;
  };
  const purgeStale = <V extends NonNullable<unknown>>(cache: LRUCache<string, V>, isStale: (value: V) => boolean) => {
    const stale: string[] = [];
    for (const [code, value] of cache.entries()) if (isStale(value)) stale.push(code);
    for (const code of stale) cache.delete(code);
  };

  return {
    get(code) {
      const at = now();
      const held = liveLink(code, at);
      if (held !== undefined) return { kind: "link", entry: held.entry };
      return isUnknown(code, at) ? UNKNOWN : undefined;
    },
    setLink(code, entry) {
      unknown.delete(code);
      links.set(code, { entry, storedAtMs: now() });
    },
    setUnknown(code) {
      links.delete(code);
      unknown.set(code, now());
    },
    drop(code) {
      links.delete(code);
      unknown.delete(code);
    },
    purgeExpired() {
      const at = now();
      const before = links.size + unknown.size;
      purgeStale(links, (held) => at - held.storedAtMs > ttlMs);
      purgeStale(unknown, (since) => at - since > negativeTtlMs);
      return before - (links.size + unknown.size);
    },
    get size() {
      return links.size + unknown.size;
    },
  };
}
