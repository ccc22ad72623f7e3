import { createRedisCluster as createCluster } from "@kurt/platform";
import type { Cluster } from "ioredis";

export interface RedisClusterAuth {
  /** The nodes' requirepass (KURT_REDIS_PASSWORD), proven on every node connection. */
  readonly password?: string;
}

/**
 * A Redis Cluster client for the write-through. During a failover a moved
 * slot answers MOVED/CLUSTERDOWN until a replica takes over (up to the
 * cluster-node-timeout, 2 s here), so retryDelayOnFailover ×
 * maxRedirections (200 ms × 16 = 3.2 s) must outlast it. The per-command
 * timeout keeps one dead master from holding a write; the caller bounds the
 * whole write anyway. Auto-pipelining sends the writes issued in one turn of
 * the event loop (a batch of creates committing together) to each master as
 * one pipeline.
 */
export function createRedisCluster(nodes: readonly string[], auth: RedisClusterAuth = {}): Cluster {
  return createCluster({
    nodes,
    ...(auth.password === undefined ? {} : { password: auth.password }),
    cluster: {
      retryDelayOnFailover: 200,
      maxRedirections: 16,
      retryDelayOnClusterDown: 200,
      slotsRefreshTimeout: 2_000,
      enableAutoPipelining: true,
    },
    node: { commandTimeout: 1_000, connectTimeout: 2_000, maxRetriesPerRequest: 2 },
  });
}
