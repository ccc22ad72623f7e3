import { createRedisCluster as createCluster } from "@kurt/platform";
import type { Cluster } from "ioredis";

export interface RedisClusterOptions {
  /** "host:port" of the seed nodes; the client learns the rest of the cluster from them. */
  readonly nodes: readonly string[];
  /**
   * The read path's deadline for one call. ioredis's own per-command timeout
   * is only a backstop, ten times longer (at least a second), that frees
   * commands a caller gave up on: it fires before pending replies are read,
   * so at the deadline itself a busy event loop would fail replies that had
   * arrived in time. The deadline that callers wait for is theirs
   * (redis-link-cache.ts).
   */
  readonly commandTimeoutMs: number;
  /** The nodes' requirepass (KURT_REDIS_PASSWORD), proven on every node connection. */
  readonly password?: string;
}

/**
 * A Cluster client for the read path: it never queues commands while it has
 * no connection (a cache that cannot answer now is worth nothing later), and
 * it keeps ioredis's failover retries long enough to outlast the cluster's
 * node timeout (retryDelayOnFailover × maxRedirections > 2 s), so that once
 * a replica has taken over, the client finds it by itself.
 */
export function createRedisCluster(options: RedisClusterOptions): Cluster {
  return createCluster({
    nodes: options.nodes,
    ...(options.password === undefined ? {} : { password: options.password }),
    cluster: {
      enableOfflineQueue: false,
      retryDelayOnFailover: 300,
      maxRedirections: 16,
      // A dead master is noticed by the periodic refresh even when no command hits its slots.
      slotsRefreshInterval: 2_000,
      slotsRefreshTimeout: 1_000,
      // GETs issued in the same tick go out in one write per node instead of one write each.
      enableAutoPipelining: true,
    },
    node: { commandTimeout: Math.max(1_000, 10 * options.commandTimeoutMs), connectTimeout: 1_000 },
  });
}
