import { redisBusPort, type Topology } from "@kurt/topology";
import type { StartedTestContainer } from "testcontainers";
import { type Component, type ComponentContext, ComponentError, type StatusLine } from "../components/component.js";
import { type NodeReport, nodeReport, notReadyReason } from "../components/redis-cluster-state.js";
import { onRedisNode, redisText } from "../components/redis-node.js";
import { waitFor } from "../wait.js";
import { CONTAINER_IMAGES } from "./images.js";
import { type ContainerSession, containerError, pullImages, shortId } from "./pod.js";

/**
 * Six redis-server containers in the pod, each on its topology port, joined
 * by one `redis-cli --cluster create` and then awaited with the local
 * component's own readiness rules (cluster_state:ok, every replica linked).
 */

const COMPONENT = "redis";
const daemonName = (port: number) => `redis-${port}`;

/** The local node's settings (see redis-cluster.ts), with the addresses a container needs. */
export function redisServerArgs(topology: Topology, port: number): string[] {
  return [
    "redis-server",
    ...["--port", String(port)],
    // Published ports arrive on the pod's interface; nothing outside the pod can reach it but those.
    ...["--bind", "0.0.0.0", "--protected-mode", "no"],
    ...["--cluster-enabled", "yes", "--cluster-config-file", `nodes-${port}.conf`],
    ...["--cluster-node-timeout", String(topology.redis.clusterNodeTimeoutMs)],
    // Clients on the host follow MOVED to these, and the nodes gossip over them: one loopback for both.
    ...["--cluster-announce-ip", topology.host],
    ...["--cluster-port", String(redisBusPort(topology, port))],
    ...["--cluster-announce-port", String(port), "--cluster-announce-bus-port", String(redisBusPort(topology, port))],
    ...["--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0"],
    // Failover tests send DEBUG from the host, which a container sees as a remote client ("local" would refuse).
    ...["--enable-debug-command", "yes"],
  ];
}

async function reportOf(host: string, port: number): Promise<NodeReport> {
  return onRedisNode(host, port, async (node) =>
    nodeReport(
      port,
      await redisText(node, "CLUSTER", "INFO"),
      await redisText(node, "INFO", "replication"),
      await redisText(node, "CLUSTER", "NODES"),
    ),
  );
}

async function waitUntilReady(ctx: ComponentContext, timeoutMs: number): Promise<void> {
  const { host, redis } = ctx.topology;
  let reason = "no answer yet";
  await waitFor(
    "the Redis Cluster to be ready",
    async () => {
      const why = notReadyReason(
        await Promise.all(redis.ports.map((port) => reportOf(host, port))),
        redis.ports.length,
      );
      if (why === undefined) return true;
      reason = why;
      return undefined;
    },
    { timeoutMs, intervalMs: 100 },
  ).catch(() => {
    throw new ComponentError(COMPONENT, `not ready after ${timeoutMs} ms: ${reason}`);
  });
}

export function createRedisClusterContainers(session: ContainerSession): Component {
  const nodes = new Map<number, StartedTestContainer>();
  let formed = false;
  return {
    name: COMPONENT,

    async install(ctx) {
      await pullImages([CONTAINER_IMAGES.redis], ctx.say);
    },

    async start(ctx) {
      const { ports } = ctx.topology.redis;
      if (formed) {
        await waitUntilReady(ctx, 30_000);
        return;
      }
      const { tc, member } = await session.pod(ctx);
      // Only the missing ones: an earlier start may have failed half-way.
      const missing = ports.filter((port) => !nodes.has(port));
      if (missing.length > 0) ctx.say(`redis: starting node containers on ${missing.join(", ")}`);
      await Promise.all(
        missing.map(async (port) => {
          try {
            const node = await member(CONTAINER_IMAGES.redis, daemonName(port))
              .withCommand(redisServerArgs(ctx.topology, port))
              .withWaitStrategy(tc.Wait.forLogMessage(/Ready to accept connections/))
              .start();
            nodes.set(port, node);
          } catch (error) {
            throw containerError(ctx, COMPONENT, daemonName(port), error);
          }
        }),
      );
      ctx.say("redis: creating the cluster (3 masters, 3 replicas)");
      const first = nodes.get(ports[0] as number) as StartedTestContainer;
      // In the pod, 127.0.0.1:<port> is every node's announced address.
      const created = await first.exec([
        "redis-cli",
        ...["--cluster", "create", ...ports.map((port) => `127.0.0.1:${port}`)],
        ...["--cluster-replicas", "1", "--cluster-yes"],
      ]);
      if (created.exitCode !== 0) {
        const output = created.output.trim().split("\n").slice(-10).join("\n");
        throw new ComponentError(COMPONENT, `redis-cli --cluster create failed:\n${output}`);
      }
      formed = true;
      await waitUntilReady(ctx, 60_000);
    },

    async status(ctx) {
      const { host, redis } = ctx.topology;
      return Promise.all(
        redis.ports.map(async (port): Promise<StatusLine> => {
          const name = daemonName(port);
          const container = nodes.get(port);
          if (container === undefined) return { name, up: false, port, detail: "no container started by this process" };
          try {
            const report = await reportOf(host, port);
            const role = report.role === "master" ? "master" : `replica, link ${report.masterLinkStatus ?? "unknown"}`;
            return {
              name,
              up: true,
              port,
              detail: `container ${shortId(container)}, ${role}, cluster_state:${report.clusterState}`,
            };
          } catch (error) {
            return {
              name,
              up: false,
              port,
              detail: `container ${shortId(container)} not answering: ${(error as Error).message}`,
            };
          }
        }),
      );
    },

    daemons: () => [],
  };
}
