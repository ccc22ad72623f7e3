import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import type { ComponentContext, StatusLine } from "./component.js";
import { ComponentError } from "./component.js";
import { envoyUnderParent, findInstalledEnvoy, validateEnvoyConfig } from "./envoy.js";
import { ROUTER_CLUSTERS, renderPostgresRouterConfig } from "./postgres-router-config.js";
import { waitForDaemon } from "./postgres-wait.js";

/** The Postgres router's process: an Envoy of its own, started with Postgres, before anything connects. */
export const ROUTER_DAEMON = "postgres-router";

const configFile = (ctx: ComponentContext) => path.join(ctx.paths.runDir, "postgres-router.yaml");
const printFile = (ctx: ComponentContext) => path.join(ctx.paths.runDir, "postgres-router.print");

/** Healthy hosts per cluster, from the router's admin `/clusters` (lines `cluster::host:port::health_flags::…`). */
export async function routerHealth(ctx: ComponentContext): Promise<Record<string, readonly string[]> | undefined> {
  const { host, postgres } = ctx.topology;
  try {
    const response = await fetch(`http://${host}:${postgres.routerAdminPort}/clusters`, {
      signal: AbortSignal.timeout(1_000),
    });
    if (!response.ok) return undefined;
    // Lines such as "pg_leader::127.0.0.1:24434::health_flags::healthy" (or the failed checks' flags).
    const healthy: Record<string, string[]> = {};
    for (const line of (await response.text()).split("\n")) {
      const [cluster, address, field, value] = line.split("::");
      if (cluster === undefined || address === undefined || field !== "health_flags") continue;
      healthy[cluster] ??= [];
      if (value === "healthy") healthy[cluster].push(address);
    }
    return healthy;
  } catch {
    return undefined;
  }
}

/** Starts the router (or restarts it when its configuration changed) and waits until it sees a leader and a replica. */
export async function ensurePostgresRouter(ctx: ComponentContext): Promise<void> {
  const binary = await findInstalledEnvoy(ctx.paths);
  if (binary === undefined) throw new ComponentError("postgres", "Envoy is not installed (./kurt up installs it)");
  mkdirSync(ctx.paths.runDir, { recursive: true });
  const text = stringify(renderPostgresRouterConfig(ctx.topology));
  const print = createHash("sha256").update(text).digest("hex");
  const running = ctx.supervisor.pidOf(ROUTER_DAEMON);
  const runningPrint = existsSync(printFile(ctx)) ? readFileSync(printFile(ctx), "utf8").trim() : "";
  if (running !== undefined && runningPrint !== print) {
    ctx.say(`postgres: the router's configuration changed, restarting it (pid ${running})`);
    await ctx.supervisor.stop(ROUTER_DAEMON);
  }
  if (ctx.supervisor.pidOf(ROUTER_DAEMON) === undefined) {
    writeFileSync(configFile(ctx), text);
    await validateEnvoyConfig(binary, configFile(ctx));
    const { primaryPort, replicaPort } = ctx.topology.postgres;
    ctx.say(`postgres: starting the router (leader on ${primaryPort}, reads on ${replicaPort})`);
    await ctx.supervisor.start({
      name: ROUTER_DAEMON,
      // Its own base id: the gateway's Envoy uses the port base itself.
      ...envoyUnderParent(binary, [
        ...["-c", configFile(ctx), "--log-level", "warn"],
        ...["--base-id", String(ctx.topology.portBase + 1)],
        ...["--concurrency", "1"],
      ]),
    });
    writeFileSync(printFile(ctx), `${print}\n`);
  }
  await waitForDaemon(
    ctx,
    "postgres",
    ROUTER_DAEMON,
    "the Postgres router to see the leader and a replica",
    async () => {
      const health = await routerHealth(ctx);
      const ready =
        (health?.[ROUTER_CLUSTERS.leader]?.length ?? 0) > 0 && (health?.[ROUTER_CLUSTERS.replica]?.length ?? 0) > 0;
      return ready ? true : undefined;
    },
  );
}

export async function postgresRouterStatus(ctx: ComponentContext): Promise<StatusLine[]> {
  const pid = ctx.supervisor.pidOf(ROUTER_DAEMON);
  const { primaryPort, replicaPort } = ctx.topology.postgres;
  if (pid === undefined) return [{ name: ROUTER_DAEMON, up: false, port: primaryPort, detail: "stopped" }];
  const health = await routerHealth(ctx);
  if (health === undefined)
    return [{ name: ROUTER_DAEMON, up: false, port: primaryPort, pid, detail: "not answering" }];
  const leaders = health[ROUTER_CLUSTERS.leader]?.length ?? 0;
  const replicas = health[ROUTER_CLUSTERS.replica]?.length ?? 0;
  const detail = `leader on ${primaryPort} (${leaders} member${leaders === 1 ? "" : "s"} healthy), reads on ${replicaPort} (${replicas} replica${replicas === 1 ? "" : "s"} healthy, async first)`;
  return [{ name: ROUTER_DAEMON, up: leaders === 1, port: primaryPort, pid, detail }];
}
