import { BENCH_BARE_LISTENER } from "@kurt/gateway";
import type { Topology } from "@kurt/topology";
import { MACHINE_CORES } from "./cpu-pinning.js";
import { CLOCK_TICKS, cpuPressure, cpuTicks, loadAverage, machineTicks } from "./process-stats.js";
import { envoyCounters } from "./stack-control.js";

/**
 * One measured run: whatever drives the load, the same observations around
 * it. CPU time of each of Kurt's processes (from /proc, so it is the
 * processes' own accounting, not a sampling profiler), the answers Envoy
 * gave by status class (from its admin counters: the load generator never
 * has to parse a status), and how busy the rest of the machine was.
 */

export interface LoadOutcome {
  readonly requests: number;
  readonly durationS: number;
  /** Milliseconds; `max` when the generator reports it (wrk and the fixed-rate generator do). */
  readonly latency: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly p999: number;
    readonly max?: number;
  };
  /** Connect, read, write errors and timeouts seen by the generator. */
  readonly transportErrors: number;
  readonly detail?: unknown;
}

export interface RunMeasurement extends LoadOutcome {
  readonly requestsPerSecond: number;
  /** Answers of Envoy's public and bench listeners by class (2xx, 3xx, 4xx, 5xx) during the run. */
  readonly statusClasses: Readonly<Record<string, number>>;
  /** CPU seconds per 1,000 requests, by daemon group (envoy, resolver, redis…). */
  readonly cpuPer1k: Readonly<Record<string, number>>;
  /** Same, by daemon (resolver-1, redis-21701…). */
  readonly cpuPer1kByDaemon: Readonly<Record<string, number>>;
  /** CPU seconds of the whole machine not used by Kurt during the run: the generator and everybody else. */
  readonly otherCpuSeconds: number;
  /** Cores' worth of machine CPU in use during the run (0 to the number of cores). */
  readonly machineBusyCores: number;
  readonly loadAverageAfter: number;
  readonly cpuPressureAfter: number | undefined;
}

/** The group a daemon's CPU is reported under: resolver-2 → resolver, redis-21704 → redis, stub-http → stub. */
export function daemonGroup(daemon: string): string {
  if (daemon.startsWith("postgres-")) return "postgres";
  // The floor scenario's trivial upstreams (bench/src/floor/).
  if (daemon.startsWith("stub-")) return "stub";
  return daemon.replace(/-\d+$/, "");
}

/**
 * The public listener's answers and the bare listener's (row 4, only in the
 * bench's profile), summed by class: a run loads one of them, the other
 * answers nothing meanwhile.
 */
const STATUS_FILTER = `^http\\.(public_http|${BENCH_BARE_LISTENER})\\.downstream_rq_[1-5]xx$`;

async function statusCounters(topology: Topology): Promise<Map<string, number>> {
  const counters = await envoyCounters(topology, STATUS_FILTER);
  const classes = new Map<string, number>();
  for (const [name, value] of counters) {
    const klass = name.slice(name.lastIndexOf("_") + 1);
    classes.set(klass, (classes.get(klass) ?? 0) + value);
  }
  return classes;
}

export async function measureRun(
  topology: Topology,
  daemons: ReadonlyMap<string, number>,
  load: () => Promise<LoadOutcome>,
): Promise<RunMeasurement> {
  const statusBefore = await statusCounters(topology);
  const machineBefore = machineTicks();
  const ticksBefore = cpuTicks(daemons);
  const outcome = await load();
  const ticksAfter = cpuTicks(daemons);
  const machineAfter = machineTicks();
  const statusAfter = await statusCounters(topology);

  const perThousand = (ticks: number) => (outcome.requests === 0 ? 0 : ticks / CLOCK_TICKS / (outcome.requests / 1000));
  const cpuPer1kByDaemon: Record<string, number> = {};
  const cpuPer1k: Record<string, number> = {};
  let kurtTicks = 0;
  for (const [name, after] of ticksAfter) {
    const used = Math.max(0, after - (ticksBefore.get(name) ?? after));
    kurtTicks += used;
    cpuPer1kByDaemon[name] = perThousand(used);
    const group = daemonGroup(name);
    cpuPer1k[group] = (cpuPer1k[group] ?? 0) + perThousand(used);
  }
  const statusClasses: Record<string, number> = {};
  for (const [name, after] of statusAfter) statusClasses[name] = after - (statusBefore.get(name) ?? 0);
  const machineBusy = machineAfter.busy - machineBefore.busy;
  // /proc/stat counts in the same ticks as /proc/<pid>/stat, summed over every core.
  const machineTotal = machineAfter.total - machineBefore.total;
  return {
    ...outcome,
    requestsPerSecond: outcome.requests / outcome.durationS,
    statusClasses,
    cpuPer1k,
    cpuPer1kByDaemon,
    otherCpuSeconds: Math.max(0, machineBusy - kurtTicks) / CLOCK_TICKS,
    machineBusyCores: machineTotal === 0 ? 0 : (machineBusy / machineTotal) * MACHINE_CORES,
    loadAverageAfter: loadAverage()[0],
    cpuPressureAfter: cpuPressure(),
  };
}

/** Cores' worth of CPU each daemon group uses with no load at all: polling, timers, Kafka's own work. */
export async function measureAtRest(
  daemons: ReadonlyMap<string, number>,
  seconds: number,
): Promise<Record<string, number>> {
  const before = cpuTicks(daemons);
  const startedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = cpuTicks(daemons);
  const wallSeconds = (Date.now() - startedAt) / 1000;
  const cores: Record<string, number> = {};
  for (const [name, ticks] of after) {
    const group = daemonGroup(name);
    const used = Math.max(0, ticks - (before.get(name) ?? ticks)) / CLOCK_TICKS / wallSeconds;
    cores[group] = (cores[group] ?? 0) + used;
  }
  return cores;
}
