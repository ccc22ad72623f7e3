import { Cluster } from "ioredis";

export interface RedisClusterOptions {
  /** "host:port" of the seed nodes; the client learns the rest of the cluster from them. */
  readonly nodes: readonly string[];
  /** A command not answered within this is abandoned (the caller moves on to Postgres). */
  readonly commandTimeoutMs: number;
}

function parseNode(text: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65535)
    throw new Error(`Redis node ${JSON.stringify(text)} is not host:port`);
  return { host: match[1] as string, port };
}

/**
 * A Cluster client for the read path: it never queues commands while it has
 * no connection (a cache that cannot answer now is worth nothing later), and
 * it keeps ioredis's failover retries long enough to outlast the cluster's
 * node timeout (retryDelayOnFailover × maxRedirections > 2 s), so that once
 * a replica has taken over, the client finds it by itself.
 */
export function createRedisCluster(options: RedisClusterOptions): Cluster {
  if (options.nodes.length === 0) throw new Error("no Redis nodes given");
  return new Cluster(options.nodes.map(parseNode), {
    enableOfflineQueue: false,
    retryDelayOnFailover: 300,
    maxRedirections: 16,
    // A dead master is noticed by the periodic refresh even when no command hits its slots.
    slotsRefreshInterval: 2_000,
    slotsRefreshTimeout: 1_000,
    redisOptions: {
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: 1_000,
    },
  });
}
