import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand } from "@kurt/tool";
import { type CpuPinning, onGeneratorCore } from "./cpu-pinning.js";

/** wrk from Debian's packages (installed by ./kurt up). */
export const WRK = "/usr/bin/wrk";

export const LUA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "lua");

export interface WrkLoad {
  readonly url: string;
  /** A script of bench/lua/ and its arguments. */
  readonly script: "replay.lua" | "create.lua";
  readonly scriptArgs: readonly string[];
  readonly durationS: number;
  readonly connections: number;
  readonly threads: number;
}

export interface WrkResult {
  readonly durationUs: number;
  readonly requests: number;
  readonly bytes: number;
  /** `status` counts answers that are neither 2xx nor 3xx (the unknown codes' 404s among them). */
  readonly errors: {
    readonly connect: number;
    readonly read: number;
    readonly write: number;
    readonly status: number;
    readonly timeout: number;
  };
  readonly latencyUs: {
    readonly mean: number;
    readonly max: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly p999: number;
  };
  readonly requestsPerSecond: number;
}

const MARKER = "KURT_BENCH_WRK ";

export async function runWrk(load: WrkLoad, pinning: CpuPinning): Promise<WrkResult> {
  const args = [
    ...["-t", String(Math.min(load.threads, load.connections))],
    ...["-c", String(load.connections)],
    ...["-d", `${load.durationS}s`],
    ...["--timeout", "5s"],
    ...["-s", path.join(LUA_DIR, load.script)],
    load.url,
    "--",
    ...load.scriptArgs,
  ];
  const [command, commandArgs] = onGeneratorCore(pinning, WRK, args);
  const { code, stdout, stderr } = await runCommand(command, commandArgs);
  const line = stdout.split("\n").find((text) => text.startsWith(MARKER));
  if (code !== 0 || line === undefined) {
    throw new Error(`wrk ${args.join(" ")} failed (exit ${code}):\n${stderr}${stdout}`.trim());
  }
  const parsed = JSON.parse(line.slice(MARKER.length)) as Omit<WrkResult, "requestsPerSecond">;
  return { ...parsed, requestsPerSecond: parsed.requests / (parsed.durationUs / 1e6) };
}
