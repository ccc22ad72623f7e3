import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { REDIRECT_CLUSTER } from "@kurt/gateway";
import { adminKeyFile, readAdminKey } from "./admin-key.js";
import type { StatusLine } from "./components/component.js";
import { upstreamHosts } from "./components/envoy.js";
import { postgresDataDirs } from "./components/postgres.js";
import { serviceReplicas } from "./components/services.js";
import { tailOf } from "./log-tail.js";
import { assertOutsideEphemeralRange } from "./port-range.js";
import { redisPasswordFile } from "./redis-password.js";
import { installAll, type Stack, startAll, stopAll } from "./stack.js";
import { waitFor } from "./wait.js";

export function gatewayUrl(stack: Stack): string {
  const { host, envoy } = stack.context.topology;
  return `http://${host}:${envoy.httpPort}`;
}

export async function up(stack: Stack): Promise<void> {
  const started = Date.now();
  assertOutsideEphemeralRange(stack.context.topology);
  await installAll(stack);
  await startAll(stack);
  const { say, paths } = stack.context;
  say(`Kurt is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say(`  gateway (REST and redirects): ${gatewayUrl(stack)}`);
  say(`  internal gRPC:                ${grpcAddress(stack)}`);
  say(
    readAdminKey(paths) === undefined
      ? `  admin API key: missing: ${adminKeyFile(paths)} was removed; create a key with an existing admin key`
      : `  admin API key: in ${adminKeyFile(paths)} (or: eval "$(./kurt env)")`,
  );
}

function grpcAddress(stack: Stack): string {
  const { host, envoy } = stack.context.topology;
  return `${host}:${envoy.grpcPort}`;
}

export async function collectStatus(stack: Stack): Promise<StatusLine[]> {
  const lines = await Promise.all(
    stack.all.map((component) =>
      component
        .status(stack.context)
        .catch((error: unknown): StatusLine[] => [
          { name: component.name, up: false, detail: `status failed: ${(error as Error).message}` },
        ]),
    ),
  );
  return lines.flat();
}

export function formatStatus(lines: readonly StatusLine[]): string {
  const rows = lines.map((line) => [
    line.name,
    line.up ? "up" : "down",
    line.port === undefined ? "-" : String(line.port),
    line.pid === undefined ? "-" : String(line.pid),
    line.detail ?? "",
  ]);
  const header = ["COMPONENT", "STATE", "PORT", "PID", "DETAIL"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] as number))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export async function down(stack: Stack, purge: boolean): Promise<void> {
  const { say, paths } = stack.context;
  const stopped = await stopAll(stack);
  say(stopped.length === 0 ? "nothing of Kurt's was running" : `stopped ${stopped.join(", ")}`);
  if (purge) {
    for (const dir of postgresDataDirs(stack.context)) rmSync(dir, { recursive: true, force: true });
    for (const dir of [paths.runDir, paths.logDir, adminKeyFile(paths), redisPasswordFile(paths)])
      rmSync(dir, { recursive: true, force: true });
    say(`removed the state under ${paths.stateDir} (downloads in ${paths.cacheDir} are kept)`);
  }
}

/** Long enough for an outlier ejection (base_ejection_time 10 s) to end after the replica came back. */
const BACK_IN_ROTATION_WITHIN_MS = 60_000;

/**
 * A restarted replica counts as back only when Envoy routes to it again: its
 * own SERVING is not enough, since Envoy learns of it at its next health
 * check (or at the end of an outlier ejection). Stopping the next replica
 * before that would leave the service, for a while, with none in rotation.
 */
async function waitUntilEnvoyRoutesTo(stack: Stack, daemon: string): Promise<void> {
  const { topology, supervisor } = stack.context;
  const replica = serviceReplicas(topology).find((r) => r.daemon === daemon);
  if (replica === undefined || supervisor.pidOf("envoy") === undefined) return;
  let flags: string | undefined;
  await waitFor(
    `Envoy to route to ${daemon} again`,
    async () => {
      const hosts = await upstreamHosts(topology).catch(() => []);
      const flagsOf = (cluster: string, port: number) =>
        hosts.find((h) => h.cluster === cluster && h.port === port)?.healthFlags;
      flags = flagsOf(replica.service, replica.grpcPort);
      // The resolver is also in the redirect cluster, by its HTTP port.
      if (flags === "healthy" && replica.httpPort !== undefined) flags = flagsOf(REDIRECT_CLUSTER, replica.httpPort);
      return flags === "healthy" ? true : undefined;
    },
    { timeoutMs: BACK_IN_ROTATION_WITHIN_MS, intervalMs: 100 },
  ).catch((error: Error) => {
    throw new Error(`${error.message} (Envoy's health flags for it: ${flags ?? "none"})`);
  });
}

/**
 * Restarts the daemons of a component (or one daemon) one at a time: each is
 * stopped (a service replica drains first, see @kurt/platform's shutdown),
 * then the component's idempotent start brings it back and waits for it to
 * be ready, and for a service replica, for Envoy to route to it again,
 * before the next one goes.
 */
export async function restart(stack: Stack, name: string): Promise<boolean> {
  const ctx = stack.context;
  const matches = (daemon: string) => daemon === name || daemon.startsWith(`${name}-`);
  let restarted = false;
  for (const component of stack.all) {
    const daemons = component.name === name ? component.daemons(ctx) : component.daemons(ctx).filter(matches);
    for (const daemon of daemons) {
      await ctx.supervisor.stop(daemon);
      await component.start(ctx);
      await waitUntilEnvoyRoutesTo(stack, daemon);
      ctx.say(`restarted ${daemon} (pid ${ctx.supervisor.pidOf(daemon) ?? "?"})`);
      restarted = true;
    }
  }
  return restarted;
}

export function envAssignments(stack: Stack): string {
  const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
  const key = readAdminKey(stack.context.paths);
  const lines = [`export KURT_URL=${quote(gatewayUrl(stack))}`, `export KURT_GRPC=${quote(grpcAddress(stack))}`];
  if (key !== undefined) lines.push(`export KURT_API_KEY=${quote(key)}`);
  return lines.join("\n");
}

/** Log files of the daemons whose name is the component or starts with it (e.g. "resolver" → resolver-1, resolver-2). */
export function logFilesFor(stack: Stack, component: string): string[] {
  const { supervisor } = stack.context;
  const names = stack.all.flatMap((c) =>
    c.name === component
      ? c.daemons(stack.context)
      : c.daemons(stack.context).filter((d) => d === component || d.startsWith(`${component}-`)),
  );
  return [...new Set(names)].map((name) => supervisor.logFileOf(name));
}

/** JSON log lines of several files in the order of their `time` field (ISO 8601, so it sorts as text). */
export function byTime(lines: readonly string[]): string[] {
  const timeOf = (line: string) => /^\{"time":"([^"]+)"/.exec(line)?.[1] ?? "";
  return lines
    .map((line, index) => ({ line, index, time: timeOf(line) }))
    .sort((a, b) => a.time.localeCompare(b.time) || a.index - b.index)
    .map(({ line }) => line);
}

/** The last lines of each file, or (follow) every line as it is written; `headers: false` leaves out the file names. */
export function showLogs(files: readonly string[], follow: boolean, options: { headers: boolean }): Promise<number> {
  if (!follow) {
    if (options.headers) for (const file of files) process.stdout.write(`==> ${file} <==\n${tailOf(file, 100)}\n`);
    else process.stdout.write(`${byTime(files.flatMap((file) => tailOf(file, 100).split("\n"))).join("\n")}\n`);
    return Promise.resolve(0);
  }
  return new Promise((resolve) => {
    const child = spawn("tail", [...(options.headers ? [] : ["-q"]), "-n", "50", "-F", ...files], { stdio: "inherit" });
    child.once("close", (code) => resolve(code ?? 0));
  });
}

export function describeFailure(error: unknown, stack: Stack): string {
  const err = error as Error & { component?: string; logFile?: string };
  const lines = [
    `kurt: ${err.component && !err.message.startsWith(`${err.component}:`) ? `${err.component}: ` : ""}${err.message}`,
  ];
  if (err.logFile) lines.push(`--- last lines of ${err.logFile} ---`, tailOf(err.logFile));
  else if (err.component) {
    const files = logFilesFor(stack, err.component);
    for (const file of files) lines.push(`--- last lines of ${file} ---`, tailOf(file));
  }
  return lines.join("\n");
}
