import {
  decodeLinkCacheEntry,
  encodeLinkCacheEntry,
  LINK_CACHE_TTL_SECONDS,
  type LinkCacheEntry,
  linkCacheKey,
} from "@kurt/contract";
import type { Cluster } from "ioredis";
import type { SharedLinkCache } from "../domain/shared-link-cache.js";

export interface RedisLinkCacheOptions {
  /** The whole call, retries included, is abandoned after this long. */
  readonly timeoutMs: number;
}

class RedisTimeoutError extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
    this.name = "RedisTimeoutError";
  }
}

/**
 * ioredis's own command timeout covers one attempt; during a failover the
 * cluster client retries for seconds. The read path cannot wait that long,
 * so each call races a deadline of its own.
 *
 * When the deadline passes, the call fails only after the sockets have been
 * read once more: Node runs expired timers before it reads sockets, so on a
 * busy event loop (a burst of redirects, a GC pause) a reply that Redis sent
 * in time would otherwise lose to its own timer, and each such false timeout
 * costs the redirect a Postgres query on top (ADR 13).
 */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new RedisTimeoutError(ms))), ms);
  });
  // The abandoned attempt may still fail later; nobody is waiting for it.
  promise.catch(() => {});
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export function createRedisLinkCache(cluster: Cluster, options: RedisLinkCacheOptions): SharedLinkCache {
  return {
    async get(code) {
      const text = await withDeadline(cluster.get(linkCacheKey(code)), options.timeoutMs);
      // A malformed or older-format entry is a miss; Postgres answers and the next write-through replaces it.
      return text === null ? undefined : decodeLinkCacheEntry(text);
    },
    async fillIfAbsent(code: string, entry: LinkCacheEntry) {
      await withDeadline(
        cluster.set(linkCacheKey(code), encodeLinkCacheEntry(entry), "EX", LINK_CACHE_TTL_SECONDS, "NX"),
        options.timeoutMs,
      );
    },
  };
}
