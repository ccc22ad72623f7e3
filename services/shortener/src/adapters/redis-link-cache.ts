import { encodeLinkCacheEntry, LINK_CACHE_TTL_SECONDS, linkCacheKey } from "@kurt/contract";
import { linkKey } from "@kurt/core/link-domain";
import type { Logger } from "@kurt/platform";
import type { Cluster } from "ioredis";
import { Counter, type Registry } from "prom-client";
import type { Link } from "../domain/link.js";
import type { LinkCacheWriter } from "../domain/link-ports.js";

/**
 * SET … EX, unless the entry already there is a newer version. Two replicas
 * (or a retry below) can finish their writes in the other order than their
 * commits; without the guard the older version could sit in Redis for the
 * entry's whole TTL. The version is the entry's updatedAtMs, the 7th element
 * of the contract's encoding (link-cache.ts, format version 1); an entry of
 * another format is overwritten.
 */
const SET_IF_NOT_OLDER = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, entry = pcall(cjson.decode, current)
  if ok and type(entry) == 'table' and entry[1] == 1 and type(entry[7]) == 'number'
     and entry[7] > tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
`;

const RETRY_DELAYS_MS = [1_000, 4_000, 16_000];

type GuardedSet = (key: string, value: string, version: string, ttlSeconds: string) => Promise<number>;

export interface RedisLinkCache extends LinkCacheWriter {
  /** Cancels pending retries. */
  close(): void;
}

/**
 * The write-through of committed links into Redis Cluster, where resolvers
 * look first. A failure never fails the call (Postgres is the truth): the
 * write is logged, counted and retried a few times in the background, and
 * the entry's TTL bounds how long a lost write can leave a stale copy.
 */
export function createRedisLinkCache(options: {
  readonly redis: Cluster;
  readonly logger: Logger;
  readonly registry: Registry;
  /** How long a call waits for Redis before it answers anyway. */
  readonly timeoutMs: number;
}): RedisLinkCache {
  const { redis, logger } = options;
  redis.defineCommand("kurtSetLinkIfNotOlder", { numberOfKeys: 1, lua: SET_IF_NOT_OLDER });
  const guardedSet = (redis as unknown as { kurtSetLinkIfNotOlder: GuardedSet }).kurtSetLinkIfNotOlder.bind(redis);
  const failures = new Counter({
    name: "kurt_shortener_cache_write_failures_total",
    help: "Write-throughs of a link to Redis that failed or timed out (each attempt)",
    registers: [options.registry],
  });
  const retries = new Set<NodeJS.Timeout>();

  const attempt = (link: Link): Promise<void> => {
    const entry = encodeLinkCacheEntry({
      url: link.url,
      redirectStatus: link.redirectStatus,
      cacheSeconds: link.cacheSeconds,
      expiresAtMs: link.expiresAt === null ? null : link.expiresAt.getTime(),
      validSinceMs: link.validSince === null ? null : link.validSince.getTime(),
      forwardQuery: link.forwardQuery,
      maxVisits: link.maxVisits,
      passwordHash: link.passwordHash,
      rules: link.rules,
      disabled: link.disabled,
      deleted: link.deletedAt !== null,
      updatedAtMs: link.updatedAt.getTime(),
    });
    const write = guardedSet(
      linkCacheKey(linkKey(link.domain, link.code)),
      entry,
      String(link.updatedAt.getTime()),
      String(LINK_CACHE_TTL_SECONDS),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    });
    // A write that times out here may still land later; the version guard makes that harmless.
    return Promise.race([write, timeout]).then(
      () => clearTimeout(timer),
      (error: unknown) => {
        clearTimeout(timer);
        throw error;
      },
    );
  };

  const retryLater = (link: Link, round: number) => {
    const delay = RETRY_DELAYS_MS[round];
    if (delay === undefined) {
      logger.error("link cache write abandoned; Redis keeps the previous entry until its TTL", {
        code: link.code,
        ttlSeconds: LINK_CACHE_TTL_SECONDS,
      });
      return;
    }
    const timer = setTimeout(() => {
      retries.delete(timer);
      attempt(link).then(
        () => logger.info("link cache write succeeded on retry", { code: link.code, round: round + 1 }),
        (error: unknown) => {
          failures.inc();
          logger.warn("link cache write retry failed", { code: link.code, round: round + 1, error });
          retryLater(link, round + 1);
        },
      );
    }, delay);
    timer.unref();
    retries.add(timer);
  };

  return {
    async write(link) {
      try {
        await attempt(link);
      } catch (error) {
        failures.inc();
        logger.warn("link cache write failed; retrying in the background", { code: link.code, error });
        retryLater(link, 0);
      }
    },
    close() {
      for (const timer of retries) clearTimeout(timer);
      retries.clear();
    },
  };
}
