import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Starts long-running processes in the background and remembers them by pid,
 * so that `kurt down` stops exactly what `kurt up` started and nothing else.
 * A pid file also records the process's start time (from /proc) so that a
 * recycled pid is never mistaken for one of ours.
 */

export interface DaemonSpec {
  /** Unique name, e.g. "postgres-primary" or "resolver-1". */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Run as this user (Postgres and PgBouncer refuse root). */
  readonly uid?: number;
  readonly gid?: number;
  /** Signal for a graceful stop; SIGTERM unless the program wants another. */
  readonly stopSignal?: NodeJS.Signals;
}

interface PidRecord {
  readonly name: string;
  readonly pid: number;
  readonly startTicks: string;
  readonly stopSignal: NodeJS.Signals;
  readonly logFile: string;
  readonly startedAt: string;
}

export interface Supervisor {
  start(spec: DaemonSpec): Promise<number>;
  /** The pid if the named daemon is running, else undefined. */
  pidOf(name: string): number | undefined;
  logFileOf(name: string): string;
  stop(name: string, timeoutMs?: number): Promise<void>;
  /** Names of every daemon with a pid file, most recently started first. */
  known(): string[];
}

function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

export function createSupervisor(runDir: string, logDir: string): Supervisor {
  const pidDir = path.join(runDir, "pids");
  mkdirSync(pidDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const pidFile = (name: string) => path.join(pidDir, `${name}.json`);
  const logFileOf = (name: string) => path.join(logDir, `${name}.log`);

  const read = (name: string): PidRecord | undefined => {
    try {
      return JSON.parse(readFileSync(pidFile(name), "utf8")) as PidRecord;
    } catch {
      return undefined;
    }
  };

  const alive = (record: PidRecord): boolean =>
    processStartTicks(record.pid) === record.startTicks && !isZombie(record.pid);

  const pidOf = (name: string): number | undefined => {
    const record = read(name);
    return record && alive(record) ? record.pid : undefined;
  };

  return {
    logFileOf,
    pidOf,
    async start(spec) {
      const running = pidOf(spec.name);
      if (running !== undefined) return running;
      const logFile = logFileOf(spec.name);
      const fd = openSync(logFile, "a");
      try {
        const child = spawn(spec.command, [...spec.args], {
          cwd: spec.cwd,
          env: { ...process.env, ...spec.env },
          detached: true,
          stdio: ["ignore", fd, fd],
          ...(spec.uid === undefined ? {} : { uid: spec.uid }),
          ...(spec.gid === undefined ? {} : { gid: spec.gid }),
        });
        const pid = await new Promise<number>((resolve, reject) => {
          child.once("error", (error) =>
            reject(new Error(`${spec.name}: cannot start ${spec.command}: ${error.message}`)),
          );
          child.once("spawn", () => resolve(child.pid as number));
        });
        child.unref();
        const startTicks = processStartTicks(pid) ?? "";
        const record: PidRecord = {
          name: spec.name,
          pid,
          startTicks,
          stopSignal: spec.stopSignal ?? "SIGTERM",
          logFile,
          startedAt: new Date().toISOString(),
        };
        writeFileSync(pidFile(spec.name), `${JSON.stringify(record)}\n`);
        return pid;
      } finally {
        closeSync(fd);
      }
    },
    async stop(name, timeoutMs = 30_000) {
      const record = read(name);
      if (!record) return;
      if (alive(record)) {
        process.kill(record.pid, record.stopSignal);
        const deadline = Date.now() + timeoutMs;
        while (alive(record) && Date.now() < deadline) await sleep(100);
        if (alive(record)) {
          process.kill(record.pid, "SIGKILL");
          while (alive(record)) await sleep(50);
        }
      }
      rmSync(pidFile(name), { force: true });
    },
    known() {
      if (!existsSync(pidDir)) return [];
      return readdirSync(pidDir)
        .filter((file) => file.endsWith(".json"))
        .map((file) => read(file.slice(0, -".json".length)))
        .filter((record): record is PidRecord => record !== undefined)
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
        .map((record) => record.name);
    },
  };
}
