import type { Topology } from "@kurt/topology";
import type { StartedTestContainer } from "testcontainers";
import { type Component, type ComponentContext, ComponentError, type StatusLine } from "../components/component.js";
import { type NodeReport, nodeReport, notReadyReason } from "../components/redis-cluster-state.js";
import { onRedisNode, redisText } from "../components/redis-node.js";
import { renderRedisNodeConfig } from "../components/redis-node-config.js";
import { ensureRedisPassword } from "../redis-password.js";
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

/**
 * The image's working folder. Its entrypoint hands whatever is in it to the
 * `redis` user before dropping root, so a config file copied there with
 * mode 0600 is readable by redis-server and by nobody else.
 */
const CONTAINER_DATA_DIR = "/data";

/** The local node's redis.conf (redis-node-config.ts), with the addresses a container needs. */
export function redisContainerConfig(topology: Topology, port: number, password: string): string {
  return renderRedisNodeConfig(
    topology,
    port,
    {
      // Published ports arrive on the pod's interface; nothing outside the pod can reach it but those.
      bind: "0.0.0.0",
      clusterConfigFile: `nodes-${port}.conf`,
      // Failover tests send DEBUG from the host, which a container sees as a remote client ("local" would refuse).
      enableDebugCommand: "yes",
      // Clients on the host follow MOVED to these, and the nodes gossip over them: one loopback for both.
      announceIp: topology.host,
    },
    password,
  );
}

/** The node's command: its config file, which holds the password, and nothing else. */
export function redisContainerCommand(port: number): { readonly file: string; readonly command: string[] } {
  const file = `${CONTAINER_DATA_DIR}/redis-${port}.conf`;
  return { file, command: ["redis-server", file] };
}

async function reportOf(ctx: ComponentContext, port: number): Promise<NodeReport> {
  const address = { host: ctx.topology.host, port, password: ensureRedisPassword(ctx.paths) };
  return onRedisNode(address, async (node) =>
    nodeReport(
      port,
      await redisText(node, "CLUSTER", "INFO"),
      await redisText(node, "INFO", "replication"),
      await redisText(node, "CLUSTER", "NODES"),
    ),
  );
}

async function waitUntilReady(ctx: ComponentContext, timeoutMs: number): Promise<void> {
  const { redis } = ctx.topology;
  let reason = "no answer yet";
  await waitFor(
    "the Redis Cluster to be ready",
    async () => {
      const why = notReadyReason(await Promise.all(redis.ports.map((port) => reportOf(ctx, port))), redis.ports.length);
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
      const password = ensureRedisPassword(ctx.paths);
      // Only the missing ones: an earlier start may have failed half-way.
      const missing = ports.filter((port) => !nodes.has(port));
      if (missing.length > 0) ctx.say(`redis: starting node containers on ${missing.join(", ")}`);
      await Promise.all(
        missing.map(async (port) => {
          try {
            const { file, command } = redisContainerCommand(port);
            const node = await member(CONTAINER_IMAGES.redis, daemonName(port))
              .withCopyContentToContainer([
                { content: redisContainerConfig(ctx.topology, port, password), target: file, mode: 0o600 },
              ])
              .withCommand(command)
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
      const created = await first.exec(
        [
          "redis-cli",
          ...["--cluster", "create", ...ports.map((port) => `127.0.0.1:${port}`)],
          ...["--cluster-replicas", "1", "--cluster-yes"],
        ],
        // From the environment, not `-a`: testcontainers logs the command, never the environment.
        { env: { REDISCLI_AUTH: password } },
      );
      if (created.exitCode !== 0) {
        const output = created.output.trim().split("\n").slice(-10).join("\n");
        throw new ComponentError(COMPONENT, `redis-cli --cluster create failed:\n${output}`);
      }
      formed = true;
      await waitUntilReady(ctx, 60_000);
    },

    async status(ctx) {
      const { redis } = ctx.topology;
      return Promise.all(
        redis.ports.map(async (port): Promise<StatusLine> => {
          const name = daemonName(port);
          const container = nodes.get(port);
          if (container === undefined) return { name, up: false, port, detail: "no container started by this process" };
          try {
            const report = await reportOf(ctx, port);
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
