import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { processTree } from "./process-stats.js";

/**
 * The load generator gets core 0 and Kurt the others, so that the two do not
 * take turns on the same core and each one's CPU time means something. Only
 * processes the launcher started (and their descendants) are moved; their
 * previous affinity is put back at the end.
 */
/** Cores the bench may use, read before it pins itself (affinity narrows availableParallelism). */
export const MACHINE_CORES = availableParallelism();

export interface CpuPinning {
  /** taskset's --cpu-list for the generator, or undefined when nothing is pinned. */
  readonly generatorCpus: string | undefined;
  readonly stackCpus: string | undefined;
  /** Moves these processes, with their threads and descendants, to the stack's cores. */
  pinStack(rootPids: readonly number[]): void;
  /** Puts back the affinity of every process pinStack moved that still runs. */
  restore(): void;
  /**
   * Runs `action` with the bench on every core: a daemon it starts inherits
   * the bench's affinity and must not stay on the generator's core.
   */
  onAllCores<T>(action: () => Promise<T>): Promise<T>;
}

function affinityMask(pid: number): string | undefined {
  try {
    // "pid 123's current affinity mask: 3"
    return execFileSync("taskset", ["-p", String(pid)], { encoding: "utf8" })
      .trim()
      .split(": ")
      .pop();
  } catch {
    return undefined;
  }
}

function taskset(args: readonly string[]): boolean {
  try {
    execFileSync("taskset", [...args], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function createCpuPinning(enabled: boolean): CpuPinning {
  const cores = MACHINE_CORES;
  if (!enabled || cores < 2) {
    return {
      generatorCpus: undefined,
      stackCpus: undefined,
      pinStack() {},
      restore() {},
      onAllCores: (action) => action(),
    };
  }
  const generatorCpus = "0";
  const stackCpus = cores === 2 ? "1" : `1-${cores - 1}`;
  const original = new Map<number, string>();
  // The bench itself (and the generators it spawns, which inherit it) shares the generator's core.
  taskset(["-a", "-p", "-c", generatorCpus, String(process.pid)]);
  return {
    generatorCpus,
    stackCpus,
    pinStack(rootPids) {
      for (const root of rootPids) {
        for (const pid of processTree(root)) {
          if (!original.has(pid)) {
            const mask = affinityMask(pid);
            if (mask !== undefined) original.set(pid, mask);
          }
          taskset(["-a", "-p", "-c", stackCpus, String(pid)]);
        }
      }
    },
    restore() {
      for (const [pid, mask] of original) taskset(["-a", "-p", mask, String(pid)]);
      original.clear();
    },
    async onAllCores(action) {
      taskset(["-a", "-p", "-c", `0-${cores - 1}`, String(process.pid)]);
      try {
        return await action();
      } finally {
        taskset(["-a", "-p", "-c", generatorCpus, String(process.pid)]);
      }
    },
  };
}

/** The command and arguments that run `command` on the generator's core. */
export function onGeneratorCore(pinning: CpuPinning, command: string, args: readonly string[]): [string, string[]] {
  return pinning.generatorCpus === undefined
    ? [command, [...args]]
    : ["taskset", ["-c", pinning.generatorCpus, command, ...args]];
}
