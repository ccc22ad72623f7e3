import { spawn } from "node:child_process";
import path from "node:path";
import type { BenchFloor } from "@kurt/gateway";
import { BENCH_FLOOR_CLUSTERS, REDIRECT_CLUSTER } from "@kurt/gateway";
import { createEnvoyComponent, createStack, upstreamHosts } from "@kurt/tool";
import type { Topology } from "@kurt/topology";
import { MACHINE_CORES } from "./cpu-pinning.js";

type Stack = ReturnType<typeof createStack>;

/**
 * The stack under test: brought up with `./kurt up` exactly as a user would,
 * then observed and steered through the launcher's own supervisor (pids) and
 * components (Envoy's configuration), never by process names.
 */
export interface StackControl {
  readonly topology: Topology;
  readonly root: string;
  readonly stateDir: string;
  /** Whether no daemon of this stack ran before the bench brought it up. */
  readonly startedByBench: boolean;
  /**
   * Every running daemon of the stack by the launcher's name (resolver-1,
   * redis-21701…), and the processes the bench attached beside them.
   */
  daemons(): Map<string, number>;
  /**
   * A process the bench started beside the stack (the floor's stubs): from
   * now on daemons() lists it, so it is measured and pinned like Kurt's.
   */
  attach(name: string, pid: number): void;
  detach(name: string): void;
  /** Restarts every resolver replica, one at a time, and waits until Envoy sees them healthy again. */
  restartResolvers(): Promise<void>;
  /**
   * Restarts Envoy with the bench's profile: the write rate limit lifted, the
   * access log as asked, the bare listener (row 4), and the floor's cluster
   * and route when its stub runs.
   */
  applyBenchGateway(profile: BenchGatewayProfile): Promise<void>;
  /** Puts Envoy's ordinary configuration back (when the stack stays up). */
  restoreGateway(): Promise<void>;
  down(): Promise<void>;
}

export interface BenchGatewayProfile {
  readonly accessLog: boolean;
  /**
   * The bench's additions to Envoy (see EnvoyConfigOptions.benchFloor): the
   * bare listener always, the route to the floor's stub when `httpPort` is set.
   */
  readonly benchFloor: BenchFloor;
}

/** The shortener's per-key write limit (ADR 17), lifted far above anything one machine creates. */
const UNLIMITED_WRITES = { KURT_WRITE_RATE_BURST: "1000000", KURT_WRITE_RATE_PER_SECOND: "1000000" };

/** Runs ./kurt with the bench's environment, on every core (the bench itself sits on the generator's). */
function kurt(root: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<void> {
  const allCores = `0-${MACHINE_CORES - 1}`;
  return new Promise((resolve, reject) => {
    const child = spawn("taskset", ["-c", allCores, path.join(root, "kurt"), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", 2, 2],
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`./kurt ${args.join(" ")} exited with ${code}`)),
    );
  });
}

async function adminText(topology: Topology, urlPath: string): Promise<string> {
  const response = await fetch(`http://${topology.host}:${topology.envoy.adminPort}${urlPath}`, {
    signal: AbortSignal.timeout(3000),
  });
  return response.text();
}

/** True when every host of the Envoy cluster passes its health check. */
async function clusterHealthy(topology: Topology, cluster: string): Promise<boolean> {
  const hosts = (await upstreamHosts(topology)).filter((host) => host.cluster === cluster);
  return hosts.length > 0 && hosts.every((host) => host.healthFlags === "healthy");
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function openStack(say: (line: string) => void): Promise<StackControl> {
  let stack: Stack = createStack(say);
  const { topology, paths, supervisor } = stack.context;
  const daemonNames = () => stack.all.flatMap((component) => component.daemons(stack.context));
  const startedByBench = daemonNames().every((name) => supervisor.pidOf(name) === undefined);
  say(startedByBench ? "bench: starting Kurt with ./kurt up" : "bench: Kurt is running; ./kurt up completes it");
  await kurt(paths.root, ["up"]);
  // The launcher's view of the daemons is read again after every restart.
  stack = createStack(say);

  const attached = new Map<string, number>();
  const daemons = () => {
    const pids = new Map<string, number>();
    for (const name of daemonNames()) {
      const pid = stack.context.supervisor.pidOf(name);
      if (pid !== undefined) pids.set(name, pid);
    }
    for (const [name, pid] of attached) pids.set(name, pid);
    return pids;
  };

  const waitForGateway = async (extraClusters: readonly string[] = []) => {
    // The redirects' cluster (the resolvers' HTTP listeners) as well as the gRPC ones.
    for (const cluster of ["resolver", REDIRECT_CLUSTER, "shortener", "clicklog", ...extraClusters]) {
      await waitUntil(`Envoy to see every ${cluster} replica healthy`, () => clusterHealthy(topology, cluster));
    }
  };

  return {
    topology,
    root: paths.root,
    stateDir: paths.stateDir,
    startedByBench,
    daemons,
    attach(name, pid) {
      attached.set(name, pid);
    },
    detach(name) {
      attached.delete(name);
    },
    async restartResolvers() {
      await kurt(paths.root, ["restart", "resolver"]);
      await waitForGateway();
    },
    async applyBenchGateway({ accessLog, benchFloor }) {
      // The per-key write limit is a policy; the create scenario measures capacity with one key.
      await kurt(paths.root, ["restart", "shortener"], UNLIMITED_WRITES);
      await createEnvoyComponent({ accessLog, benchFloor }).start(stack.context);
      // floor_http is health-checked like resolver_http: wait until Envoy sends it requests.
      await waitForGateway(benchFloor.httpPort === undefined ? [] : [BENCH_FLOOR_CLUSTERS.http]);
    },
    async restoreGateway() {
      await kurt(paths.root, ["restart", "shortener"]);
      // The component restarts Envoy when the rendered configuration differs from the running one.
      await stack.envoy.start(stack.context);
    },
    async down() {
      await kurt(paths.root, ["down"]);
    },
  };
}

/** Counters of Envoy's admin /stats whose names match the regex, as name → value. */
export async function envoyCounters(topology: Topology, filter: string): Promise<Map<string, number>> {
  const text = await adminText(topology, `/stats?filter=${encodeURIComponent(filter)}`);
  const counters = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([^:]+): (\d+)$/.exec(line.trim());
    if (match) counters.set(match[1] as string, Number(match[2]));
  }
  return counters;
}

export async function envoyServerVersion(topology: Topology): Promise<string | undefined> {
  try {
    const info = JSON.parse(await adminText(topology, "/server_info")) as { version?: string };
    return info.version;
  } catch {
    return undefined;
  }
}
