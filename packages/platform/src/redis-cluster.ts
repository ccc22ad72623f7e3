import { Cluster, type ClusterOptions, type RedisOptions } from "ioredis";

/**
 * "host:port" seeds (KURT_REDIS_NODES) as ioredis cluster nodes. An empty
 * list, a missing port or one outside 1–65535 stops start-up with a message
 * naming the value, instead of a client that retries a node that cannot exist.
 */
export function parseRedisNodes(nodes: readonly string[]): Array<{ host: string; port: number }> {
  if (nodes.length === 0) throw new Error("no Redis nodes given");
  return nodes.map((node) => {
    const match = /^(.+):(\d{1,5})$/.exec(node);
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > 65535)
      throw new Error(`Redis node ${JSON.stringify(node)} is not host:port`);
    return { host: match[1] as string, port };
  });
}

export interface RedisClusterOptions {
  /** "host:port" of the seed nodes; the client learns the rest of the cluster from them. */
  readonly nodes: readonly string[];
  /** The nodes' requirepass (KURT_REDIS_PASSWORD), proven on every node connection. */
  readonly password?: string;
  /** The caller's tuning of the cluster client (failover retries, slot refresh, offline queue…). */
  readonly cluster: Omit<ClusterOptions, "redisOptions">;
  /** The caller's tuning of each node connection (command and connect timeouts…). */
  readonly node: Omit<RedisOptions, "password">;
}

/**
 * The one way a service makes its Redis Cluster client: validated seeds and
 * the password on every node connection. The timeouts and retries are the
 * caller's, since a write-through and a read path want different ones.
 */
export function createRedisCluster(options: RedisClusterOptions): Cluster {
  return new Cluster(parseRedisNodes(options.nodes), {
    ...options.cluster,
    redisOptions: {
      ...options.node,
      ...(options.password === undefined ? {} : { password: options.password }),
    },
  });
}
