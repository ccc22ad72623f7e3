import { Gauge, type Registry } from "prom-client";

/** The little of an ioredis Cluster (or its node clients) that the gauges read; all of it is public API. */
export interface RedisClusterState {
  readonly status: string;
  nodes(role?: "all" | "master" | "slave"): ReadonlyArray<{
    readonly status: string;
    readonly commandQueue: { readonly length: number };
  }>;
}

/**
 * redis_client_* gauges for one ioredis Cluster client, read at scrape time:
 * whether the client is ready, its node connections by role and state, and
 * the commands sent and still unanswered (a growing number means a slow or
 * unreachable node).
 */
export function exposeRedisClusterMetrics(registry: Registry, cluster: RedisClusterState): void {
  const registers = [registry];
  new Gauge({
    name: "redis_client_ready",
    help: "1 when the Redis Cluster client is ready (slots known, connected), else 0",
    registers,
    collect() {
      this.set(cluster.status === "ready" ? 1 : 0);
    },
  });
  new Gauge({
    name: "redis_client_node_connections",
    help: "The client's connections to cluster nodes, by node role (master, replica) and connection status (ready, connecting, reconnecting, …)",
    labelNames: ["role", "status"],
    registers,
    collect() {
      this.reset();
      for (const [role, nodeRole] of [
        ["master", "master"],
        ["replica", "slave"],
      ] as const) {
        const counts = new Map<string, number>([["ready", 0]]);
        for (const node of cluster.nodes(nodeRole)) counts.set(node.status, (counts.get(node.status) ?? 0) + 1);
        for (const [status, count] of counts) this.set({ role, status }, count);
      }
    },
  });
  new Gauge({
    name: "redis_client_pending_commands",
    help: "Commands sent to cluster nodes and not yet answered",
    registers,
    collect() {
      let pending = 0;
      for (const node of cluster.nodes("all")) pending += node.commandQueue.length;
      this.set(pending);
    },
  });
}
