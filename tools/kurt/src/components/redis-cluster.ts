import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Topology } from "@kurt/topology";
import { ensureDebianPackages } from "../debian-packages.js";
import { writePrivateFile } from "../private-file.js";
import { ensureRedisPassword, redisPasswordFile } from "../redis-password.js";
import { runCommand } from "../run-command.js";
import { waitFor } from "../wait.js";
import type { Component, ComponentContext, StatusLine } from "./component.js";
import { ComponentError } from "./component.js";
import type { NodeReport } from "./redis-cluster-state.js";
import { clusterShape, nodeReport, notReadyReason } from "./redis-cluster-state.js";
import { onRedisNode, redisText } from "./redis-node.js";
import { renderRedisNodeConfig } from "./redis-node-config.js";

const REDIS_SERVER = "/usr/bin/redis-server";
const REDIS_CLI = "/usr/bin/redis-cli";
const COMPONENT = "redis";

/** The seed nodes an ioredis `Cluster` needs; it discovers the rest itself. */
export function redisClusterNodes(topology: Topology): Array<{ host: string; port: number }> {
  return topology.redis.ports.map((port) => ({ host: topology.host, port }));
}

const daemonName = (port: number) => `redis-${port}`;
const nodeDir = (ctx: ComponentContext, port: number) => path.join(ctx.paths.runDir, "redis", String(port));
const nodesConf = (ctx: ComponentContext, port: number) => path.join(nodeDir(ctx, port), "nodes.conf");
const redisConf = (ctx: ComponentContext, port: number) => path.join(nodeDir(ctx, port), "redis.conf");
const password = (ctx: ComponentContext) => ensureRedisPassword(ctx.paths);

/** The node's redis.conf, with the password: the only argument redis-server gets is its path. */
function writeNodeConfig(ctx: ComponentContext, port: number): void {
  const file = redisConf(ctx, port);
  const placement = {
    bind: ctx.topology.host,
    dir: nodeDir(ctx, port),
    clusterConfigFile: nodesConf(ctx, port),
    enableDebugCommand: "local",
  } as const;
  writePrivateFile(file, renderRedisNodeConfig(ctx.topology, port, placement, password(ctx)));
}

async function reportOf(ctx: ComponentContext, port: number): Promise<NodeReport> {
  return onRedisNode({ host: ctx.topology.host, port, password: password(ctx) }, async (node) =>
    nodeReport(
      port,
      await redisText(node, "CLUSTER", "INFO"),
      await redisText(node, "INFO", "replication"),
      await redisText(node, "CLUSTER", "NODES"),
    ),
  );
}

function reportsOf(ctx: ComponentContext): Promise<NodeReport[]> {
  return Promise.all(ctx.topology.redis.ports.map((port) => reportOf(ctx, port)));
}

function deadNode(ctx: ComponentContext): number | undefined {
  return ctx.topology.redis.ports.find((port) => ctx.supervisor.pidOf(daemonName(port)) === undefined);
}

function diedError(ctx: ComponentContext, port: number): ComponentError {
  return new ComponentError(
    COMPONENT,
    `redis-server on port ${port} exited`,
    ctx.supervisor.logFileOf(daemonName(port)),
  );
}

/**
 * Polls every node until it reports the cluster usable. A node that died
 * ends the wait at once instead of running into the timeout.
 */
async function waitUntilReady(ctx: ComponentContext, timeoutMs: number): Promise<void> {
  const expected = ctx.topology.redis.ports.length;
  let reason = "no answer yet";
  const outcome = await waitFor(
    "the Redis Cluster to be ready",
    async () => {
      const dead = deadNode(ctx);
      if (dead !== undefined) return { dead };
      const why = notReadyReason(await reportsOf(ctx), expected);
      if (why === undefined) return {};
      reason = why;
      return undefined;
    },
    { timeoutMs, intervalMs: 100 },
  ).catch(() => {
    throw new ComponentError(COMPONENT, `not ready after ${timeoutMs} ms: ${reason}`);
  });
  if (outcome.dead !== undefined) throw diedError(ctx, outcome.dead);
}

async function createCluster(ctx: ComponentContext): Promise<void> {
  const { host, redis } = ctx.topology;
  const result = await runCommand(
    REDIS_CLI,
    [
      "--cluster",
      "create",
      ...redis.ports.map((port) => `${host}:${port}`),
      "--cluster-replicas",
      "1",
      "--cluster-yes",
    ],
    // From the environment, not `-a`: a command line is public to every user of the machine.
    { timeoutMs: 60_000, env: { REDISCLI_AUTH: password(ctx) } },
  );
  if (result.code !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim().split("\n").slice(-10).join("\n");
    throw new ComponentError(COMPONENT, `redis-cli --cluster create failed:\n${output}`);
  }
}

/**
 * Makes every node an empty, lone master again. Nothing is lost that a
 * restart would keep: the nodes run with --save '' and no AOF.
 */
async function resetCluster(ctx: ComponentContext): Promise<void> {
  const { host, redis } = ctx.topology;
  const address = (port: number) => ({ host, port, password: password(ctx) });
  await Promise.all(
    // A replica refuses FLUSHALL; its RESET below flushes it anyway.
    redis.ports.map((port) => onRedisNode(address(port), (node) => node.call("FLUSHALL").catch(() => undefined))),
  );
  for (const port of redis.ports) await onRedisNode(address(port), (node) => node.call("CLUSTER", "RESET", "HARD"));
}

/**
 * Nodes still running from before the cluster had a password (started by an
 * older `kurt up`) get it at once, masterauth first so that no replica is
 * left unable to reconnect; their redis.conf has it for their next start.
 * A node that wants another password (the file was replaced while it ran)
 * cannot be fixed live: it says how to restart it.
 */
async function protectRunningNodes(ctx: ComponentContext, ports: readonly number[]): Promise<void> {
  const { host } = ctx.topology;
  const open: number[] = [];
  for (const port of ports) {
    const without = await onRedisNode({ host, port, password: undefined }, (node) => node.call("PING")).then(
      () => "answers",
      (error: Error) => error.message,
    );
    if (without === "answers") {
      open.push(port);
      continue;
    }
    if (!/NOAUTH/.test(without)) continue; // not answering yet: the waits below say so
    const proven = await onRedisNode({ host, port, password: password(ctx) }, (node) => node.call("PING")).then(
      () => undefined,
      (error: Error) => error.message,
    );
    if (proven !== undefined && /WRONGPASS|invalid password/i.test(proven)) {
      throw new ComponentError(
        COMPONENT,
        `redis-server on port ${port} wants another password than ${redisPasswordFile(ctx.paths)}; ./kurt down, then ./kurt up, restarts every node with it`,
      );
    }
  }
  if (open.length === 0) return;
  ctx.say(`redis: nodes ${open.join(", ")} ran without a password; setting it on them now`);
  for (const setting of ["masterauth", "requirepass"]) {
    for (const port of open)
      await onRedisNode({ host, port, password: undefined }, (node) =>
        node.call("CONFIG", "SET", setting, password(ctx)),
      );
  }
  ctx.say(
    "redis: services started before Redis had a password need a restart to get it (./kurt restart shortener, ./kurt restart resolver)",
  );
}

async function waitForNodesToAnswer(ctx: ComponentContext): Promise<NodeReport[]> {
  const outcome = await waitFor(
    "every Redis node to answer",
    async () => {
      const dead = deadNode(ctx);
      return dead === undefined ? { reports: await reportsOf(ctx) } : { dead };
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  if (outcome.dead !== undefined) throw diedError(ctx, outcome.dead);
  return outcome.reports ?? [];
}

async function nodeStatus(ctx: ComponentContext, port: number): Promise<StatusLine> {
  const name = daemonName(port);
  const pid = ctx.supervisor.pidOf(name);
  if (pid === undefined) return { name, up: false, port };
  try {
    const report = await reportOf(ctx, port);
    const me = report.nodes.find((n) => n.myself);
    const portOf = (id: string | undefined) => report.nodes.find((n) => n.id === id)?.port ?? "?";
    const detail =
      report.role === "master"
        ? `master, slots ${me?.slots.join(",") || "none"}, cluster_state:${report.clusterState}`
        : `replica of ${portOf(me?.masterId)}, link ${report.masterLinkStatus ?? "unknown"}, cluster_state:${report.clusterState}`;
    return { name, up: true, port, pid, detail };
  } catch (error) {
    return { name, up: false, port, pid, detail: `not answering: ${(error as Error).message}` };
  }
}

export function createRedisClusterComponent(): Component {
  return {
    name: COMPONENT,

    async install(ctx) {
      await ensureDebianPackages(ctx.say, [
        { program: REDIS_SERVER, pkg: "redis-server" },
        { program: REDIS_CLI, pkg: "redis-tools" },
      ]);
    },

    async start(ctx) {
      const { ports } = ctx.topology.redis;
      const stopped = ports.filter((port) => ctx.supervisor.pidOf(daemonName(port)) === undefined);
      await protectRunningNodes(
        ctx,
        ports.filter((port) => !stopped.includes(port)),
      );
      // Every node's, the running ones' too, so that each file says what its node is now.
      for (const port of ports) {
        mkdirSync(nodeDir(ctx, port), { recursive: true });
        writeNodeConfig(ctx, port);
      }
      if (stopped.length > 0) ctx.say(`starting redis-server on ${stopped.join(", ")}`);
      for (const port of stopped)
        await ctx.supervisor.start({ name: daemonName(port), command: REDIS_SERVER, args: [redisConf(ctx, port)] });
      // Asked even when every node was already running: an earlier start may have died before creating the cluster.
      const reports = await waitForNodesToAnswer(ctx);
      const shape = clusterShape(reports, ports.length);
      if (shape === "inconsistent") {
        // e.g. one node's folder was deleted: it came back as a lone master the others still list by its old id.
        ctx.say("the Redis nodes disagree about the cluster; rebuilding it empty");
        await resetCluster(ctx);
      }
      if (shape !== "formed") {
        ctx.say("creating the Redis Cluster (3 masters, 3 replicas)");
        await createCluster(ctx);
        await waitUntilReady(ctx, 60_000);
        return;
      }
      // Running, or restarted from nodes.conf: the nodes find each other again on the cluster bus
      // (a restarted master waits about 2 s before it calls the cluster ok again).
      try {
        await waitUntilReady(ctx, 30_000);
      } catch (error) {
        if (error instanceof ComponentError && error.logFile) throw error;
        ctx.say(`the restarted Redis Cluster did not settle (${(error as Error).message}); rebuilding it empty`);
        await resetCluster(ctx);
        await createCluster(ctx);
        await waitUntilReady(ctx, 60_000);
      }
    },

    async status(ctx) {
      return Promise.all(ctx.topology.redis.ports.map((port) => nodeStatus(ctx, port)));
    },

    daemons(ctx) {
      return ctx.topology.redis.ports.map(daemonName);
    },
  };
}
