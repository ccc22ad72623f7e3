import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchFloor } from "@kurt/gateway";
import type { Topology } from "@kurt/topology";
import { readyPort } from "./stub-process.js";

/**
 * The floor scenario's trivial upstream, a Node process of its own (so that
 * /proc gives its CPU and it can be pinned with Kurt's processes), started
 * and stopped by the bench by pid.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * An offset of KURT_PORT_BASE that the topology leaves free (packages/topology
 * ends at +716; Envoy's bench listener takes +962, the startup tests +997 to +999).
 */
const HTTP_OFFSET = 961;

/** Like a seeded link's URL (seed-links.ts), so headers are as long, but no link's: a misrouted answer shows. */
export const FLOOR_LOCATION = "https://example.com/articles/floor/a-fairly-typical-page-slug?utm_source=kurt-bench";

/** How long a stub may take to load its modules on a busy machine. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

export interface FloorPorts extends BenchFloor {
  readonly httpPort: number;
}

export function floorPorts(topology: Topology): FloorPorts {
  return { httpPort: topology.portBase + HTTP_OFFSET };
}

export interface FloorStubs {
  /** Where it listens (the bound port when 0 was asked for). */
  readonly ports: FloorPorts;
  /** By the name the tables use for CPU (`stub-http`: the `stub` group) → pid. */
  readonly processes: ReadonlyMap<string, number>;
  /** Stops it by pid and waits until it has exited. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited(child);
  clearTimeout(timer);
}

interface StartedStub {
  readonly child: ChildProcess;
  readonly port: number;
}

/** Starts one stub (`node --import tsx`, as ./kurt runs the services) and waits for its ready line. */
function startStub(script: string, host: string, port: number): Promise<StartedStub> {
  const child = spawn(
    process.execPath,
    ["--enable-source-maps", "--import", "tsx", path.join(HERE, script), host, String(port), FLOOR_LOCATION],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      void stopChild(child);
      reject(new Error(`floor stub ${script} on port ${port}: ${why}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    child.once("error", (error) => fail(error.message));
    child.once("exit", (code, signal) => fail(`exited at start-up (${signal ?? `exit ${code}`})`));
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      // Whole lines only: a chunk may end inside the port number.
      const bound = output
        .split("\n")
        .slice(0, -1)
        .map(readyPort)
        .find((p) => p !== undefined);
      if (bound === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.stdout?.removeAllListeners("data");
      resolve({ child, port: bound });
    });
  });
}

/** Starts the stub on the topology's host, on `ports` (default: the bench's offset of the port base). */
export async function startFloorStubs(
  topology: Topology,
  ports: FloorPorts = floorPorts(topology),
): Promise<FloorStubs> {
  const http = await startStub("http-redirect-stub.ts", topology.host, ports.httpPort);
  return {
    ports: { httpPort: http.port },
    processes: new Map([["stub-http", http.child.pid as number]]),
    async stop() {
      await stopChild(http.child);
    },
  };
}
