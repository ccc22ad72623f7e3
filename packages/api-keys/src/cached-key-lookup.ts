import type { KeyLookup, StoredKeyGrant } from "./authenticate.js";

export interface KeyCacheOptions {
  /**
   * How old an answer may be when it is used, counted from the moment its
   * lookup started: a revocation committed anywhere is refused by every
   * replica at most this long afterwards.
   */
  readonly maxAgeMs: number;
  /** Keys held at most; beyond it the oldest answers are dropped. */
  readonly maxEntries?: number;
  /** Milliseconds of a monotonic clock. */
  readonly now?: () => number;
}

export interface CachedKeyLookup<K extends StoredKeyGrant> {
  readonly lookup: KeyLookup<K>;
  /** Drops a key at once, and any lookup of it still in flight: for the replica that revoked it. */
  forget(id: string): void;
}

interface Entry<K> {
  readonly key: K;
  /** When the lookup that answered it started. */
  readonly fetchedAt: number;
}

interface Flight<K> {
  readonly startedAt: number;
  readonly answer: Promise<K | undefined>;
}

/**
 * Keys that were found, held for at most maxAgeMs, so that a busy client
 * costs a lookup per key and period instead of one per call. Once an answer
 * is half that old the next call refreshes it in the background, so a key in
 * steady use never waits for the database. Unknown keys are not held: a key
 * issued this instant on another replica must work on its first call. The
 * cache is indexed by the secret's hash, never by the secret.
 */
export function createCachedKeyLookup<K extends StoredKeyGrant>(
  source: KeyLookup<K>,
  options: KeyCacheOptions,
): CachedKeyLookup<K> {
  const { maxAgeMs } = options;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, Entry<K>>();
  const flights = new Map<string, Flight<K>>();
  // Bumped by forget(): an answer whose lookup started before it may predate the revocation.
  let generation = 0;

  const remember = (id: string, key: K, fetchedAt: number) => {
    entries.delete(id);
    entries.set(id, { key, fetchedAt });
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
  };

  const fetch = (id: string, secretHash: Buffer): Promise<K | undefined> => {
    const startedAt = now();
    const startedIn = generation;
    const answer = source(secretHash).then(
      (key) => {
        if (flights.get(id)?.answer === answer) flights.delete(id);
        if (key === undefined) entries.delete(id);
        else if (startedIn === generation) remember(id, key, startedAt);
        return key;
      },
      (error: unknown) => {
        if (flights.get(id)?.answer === answer) flights.delete(id);
        throw error;
      },
    );
    flights.set(id, { startedAt, answer });
    return answer;
  };

  return {
    lookup(secretHash) {
      const id = secretHash.toString("hex");
      const at = now();
      const entry = entries.get(id);
      const flight = flights.get(id);
      if (entry !== undefined && at - entry.fetchedAt < maxAgeMs) {
        if (at - entry.fetchedAt >= maxAgeMs / 2 && flight === undefined)
          // A failed refresh only means the entry is not renewed; the call that needs it then asks itself.
          fetch(id, secretHash).catch(() => {});
        return Promise.resolve(entry.key);
      }
      if (flight !== undefined && at - flight.startedAt < maxAgeMs) return flight.answer;
      return fetch(id, secretHash);
    },

    forget(id) {
      generation++;
      for (const [hash, entry] of entries) if (entry.key.id === id) entries.delete(hash);
      flights.clear();
    },
  };
}
