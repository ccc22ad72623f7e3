import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { primaryConnectionString, withPgClient } from "@kurt/tool";
import type { Topology } from "@kurt/topology";
import type { Cluster } from "ioredis";
import { MACHINE_CORES } from "./cpu-pinning.js";
import { cpuPressure, loadAverage } from "./process-stats.js";
import { envoyServerVersion } from "./stack-control.js";
import { WRK } from "./wrk.js";

/** The machine and the versions a result was measured with: a number means nothing without them. */
export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly kernel: string;
  readonly loadAverageAtStart: readonly [number, number, number];
  /** Share of the last 10 s in which some task waited for a CPU (/proc/pressure/cpu). */
  readonly cpuPressureAtStart: number | undefined;
  readonly versions: Readonly<Record<string, string>>;
}

function commandOutput(command: string, args: readonly string[]): string | undefined {
  // `wrk -v` prints its version and then exits with 1: the output counts, not the status.
  const result = spawnSync(command, [...args], { encoding: "utf8" });
  return result.error ? undefined : `${result.stdout}${result.stderr}`.trim();
}

/** Kafka's version from the running broker's class path (…/kafka-4.1.1/libs/*). */
function kafkaVersion(kafkaPid: number | undefined): string | undefined {
  if (kafkaPid === undefined) return undefined;
  try {
    const commandLine = readFileSync(`/proc/${kafkaPid}/cmdline`, "utf8");
    return /kafka-(\d+\.\d+\.\d+)\//.exec(commandLine)?.[1];
  } catch {
    return undefined;
  }
}

export async function describeMachine(
  topology: Topology,
  redis: Cluster,
  daemons: ReadonlyMap<string, number>,
  loadAtStart: [number, number, number] = loadAverage(),
): Promise<MachineInfo> {
  const postgres = await withPgClient(primaryConnectionString(topology), async (client) => {
    const result = await client.query<{ v: string }>("select current_setting('server_version') as v");
    return result.rows[0]?.v;
  }).catch(() => undefined);
  const redisInfo = await redis.nodes("master")[0]?.info("server");
  const versions: Record<string, string> = {
    node: process.version,
    envoy: (await envoyServerVersion(topology))?.split("/")[1] ?? "unknown",
    kafka: kafkaVersion(daemons.get("kafka")) ?? "unknown",
    postgres: postgres ?? "unknown",
    redis: /redis_version:(\S+)/.exec(redisInfo ?? "")?.[1] ?? "unknown",
    pgbouncer: commandOutput("pgbouncer", ["--version"])?.split("\n")[0]?.replace("PgBouncer ", "") ?? "unknown",
    wrk: /wrk (\S+)/.exec(commandOutput(WRK, ["-v"]) ?? "")?.[1] ?? "unknown",
  };
  return {
    cores: MACHINE_CORES,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryBytes: totalmem(),
    kernel: release(),
    loadAverageAtStart: loadAtStart,
    cpuPressureAtStart: cpuPressure(),
    versions,
  };
}
