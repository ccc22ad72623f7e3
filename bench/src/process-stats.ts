import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/**
 * What /proc says about Kurt's processes: CPU time (utime + stime, in clock
 * ticks) and resident memory. A daemon is counted with its descendants
 * (Postgres backends, the Envoy binary under its parent shell), and with the
 * children that already exited (cutime + cstime), so no work is missed.
 */

/** Clock ticks per second of /proc/<pid>/stat. */
export const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

interface StatFields {
  readonly ppid: number;
  readonly ticks: number;
  readonly childTicks: number;
}

function readStat(pid: number): StatFields | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces; the fields after it start after the last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
    return {
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
      childTicks: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return undefined;
  }
}

/** Every pid on the machine with its parent, read once. */
function parentMap(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat === undefined) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  return children;
}

/** The pid and all its descendants. */
export function processTree(pid: number, children: Map<number, number[]> = parentMap()): number[] {
  const tree: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const next = stack.pop() as number;
    tree.push(next);
    stack.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** CPU ticks used so far by each named root pid with its descendants. */
export function cpuTicks(roots: ReadonlyMap<string, number>): Map<string, number> {
  const children = parentMap();
  const ticks = new Map<string, number>();
  for (const [name, pid] of roots) {
    let total = readStat(pid)?.childTicks ?? 0;
    for (const member of processTree(pid, children)) total += readStat(member)?.ticks ?? 0;
    ticks.set(name, total);
  }
  return ticks;
}

/** Resident and peak resident memory in bytes (VmRSS, VmHWM), summed over the tree. */
export function memoryOf(pid: number): { rssBytes: number; peakRssBytes: number } {
  let rssBytes = 0;
  let peakRssBytes = 0;
  for (const member of processTree(pid)) {
    try {
      const status = readFileSync(`/proc/${member}/status`, "utf8");
      rssBytes += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
      peakRssBytes += Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // Gone in between: it holds no memory any more.
    }
  }
  return { rssBytes, peakRssBytes };
}

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] as string;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  // idle and iowait are fields 4 and 5.
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

export function loadAverage(): [number, number, number] {
  const [one, five, fifteen] = readFileSync("/proc/loadavg", "utf8").split(" ").map(Number);
  return [one ?? 0, five ?? 0, fifteen ?? 0];
}

/** The "some avg10" of /proc/pressure/cpu: the share of time something waited for a CPU. */
export function cpuPressure(): number | undefined {
  try {
    const match = /^some avg10=([\d.]+)/m.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
