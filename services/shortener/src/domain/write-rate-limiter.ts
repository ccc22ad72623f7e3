import { KurtError } from "@kurt/platform/errors";

/**
 * The write budget of each API key (DESIGN.md §2: `/v1/` writes are
 * rate-limited per API key; a request without a valid key never uses up
 * anyone's budget): a token bucket per key id, holding up to `burst` tokens
 * and refilled at `perSecond`. Callers take a token only once the key is
 * verified and grants the call's scope. In memory, per replica (ADR 17).
 *
 * Memory stays bounded: a bucket that has refilled to the brim is the same
 * as no bucket and is dropped, and at most `maxKeys` buckets are kept; past
 * that the least recently used one goes (its key starts again from a full
 * bucket, a leniency only ever granted to a key idle for the longest).
 */
export interface WriteRateLimiterOptions {
  readonly burst: number;
  readonly perSecond: number;
  /** Milliseconds from any fixed origin; must not go backwards (performance.now, a fake clock in tests). */
  readonly now: () => number;
  readonly maxKeys?: number;
}

export type WriteDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

export interface WriteRateLimiter {
  /** Takes one token of the key's bucket, or says how long until there is one. */
  take(keyId: string): WriteDecision;
  /** How many buckets are held (for tests and metrics). */
  readonly trackedKeys: number;
  readonly burst: number;
  readonly perSecond: number;
}

export const DEFAULT_MAX_TRACKED_KEYS = 10_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function createWriteRateLimiter(options: WriteRateLimiterOptions): WriteRateLimiter {
  const { burst, perSecond, now } = options;
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_TRACKED_KEYS;
  if (!(burst >= 1 && perSecond > 0 && maxKeys >= 1))
    throw new Error(
      `write rate limit needs burst ≥ 1, perSecond > 0 and maxKeys ≥ 1, got ${burst}, ${perSecond}, ${maxKeys}`,
    );
  const perMs = perSecond / 1000;
  // Any bucket untouched this long is full again, whatever it held.
  const refillMs = burst / perMs;
  // Least recently used first: a bucket is moved to the end whenever it is used.
  const buckets = new Map<string, Bucket>();

  const dropRefilled = (at: number) => {
    for (const [keyId, bucket] of buckets) {
      if (at - bucket.updatedAt < refillMs) return;
      buckets.delete(keyId);
    }
  };

  return {
    take(keyId) {
      const at = now();
      dropRefilled(at);
      const held = buckets.get(keyId);
      const bucket: Bucket =
        held === undefined
          ? { tokens: burst, updatedAt: at }
          : { tokens: Math.min(burst, held.tokens + Math.max(0, at - held.updatedAt) * perMs), updatedAt: at };
      buckets.delete(keyId);
      if (bucket.tokens < 1) {
        buckets.set(keyId, bucket);
        return { allowed: false, retryAfterMs: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs)) };
      }
      bucket.tokens -= 1;
      buckets.set(keyId, bucket);
      if (buckets.size > maxKeys) {
        const oldest = buckets.keys().next();
        if (!oldest.done) buckets.delete(oldest.value);
      }
      return { allowed: true };
    },
    get trackedKeys() {
      return buckets.size;
    },
    burst,
    perSecond,
  };
}

/** The refusal of a write over its key's budget: RESOURCE_EXHAUSTED (HTTP 429), saying when to try again. */
export function writeRateLimitExceeded(limiter: WriteRateLimiter, retryAfterMs: number): KurtError {
  return new KurtError(
    "resource_exhausted",
    `write rate limit of ${limiter.perSecond} per second (bursts of ${limiter.burst}) for this API key exceeded; retry in ${retryAfterMs} ms`,
  );
}
