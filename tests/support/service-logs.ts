import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { resolvePaths } from "@kurt/tool";
import { SERVICE_NAMES, type ServiceName } from "@kurt/topology";
import { topology } from "./stack.js";

/**
 * The log files the launcher writes for each daemon (`<state>/logs/<daemon>.log`),
 * read from a mark onwards so that a test sees only the lines of its own
 * requests. Pids come from the launcher's pid files, to signal a replica.
 */

const paths = resolvePaths();

export type LogLine = Record<string, unknown>;

export function replicasOf(service: ServiceName): string[] {
  return topology.services[service].grpcPorts.map((_, i) => `${service}-${i + 1}`);
}

export const ALL_SERVICE_DAEMONS: readonly string[] = SERVICE_NAMES.flatMap(replicasOf);

export function logFileOf(daemon: string): string {
  return join(paths.logDir, `${daemon}.log`);
}

export function pidOf(daemon: string): number {
  const record = JSON.parse(readFileSync(join(paths.runDir, "pids", `${daemon}.json`), "utf8")) as { pid: number };
  return record.pid;
}

/** Where each daemon's log ends now. */
export type LogMark = ReadonlyMap<string, number>;

export function markLogs(daemons: readonly string[]): LogMark {
  return new Map(daemons.map((daemon) => [daemon, statSync(logFileOf(daemon)).size]));
}

/** What each daemon wrote after the mark, as raw lines (the last, unfinished one left out). */
export function rawLinesSince(mark: LogMark): { daemon: string; line: string }[] {
  const out: { daemon: string; line: string }[] = [];
  for (const [daemon, offset] of mark) {
    const file = logFileOf(daemon);
    const size = statSync(file).size;
    // A restarted daemon's log is appended to; a smaller file means it was replaced: read it whole.
    const from = size < offset ? 0 : offset;
    const buffer = Buffer.alloc(size - from);
    const fd = openSync(file, "r");
    try {
      readSync(fd, buffer, 0, buffer.length, from);
    } finally {
      closeSync(fd);
    }
    const text = buffer.toString("utf8");
    const complete = text.slice(0, text.lastIndexOf("\n") + 1);
    for (const line of complete.split("\n")) if (line !== "") out.push({ daemon, line });
  }
  return out;
}

/** The lines written after the mark that are JSON objects (the others are for assertions to find). */
export function jsonLinesSince(mark: LogMark): (LogLine & { readonly daemon: string })[] {
  return rawLinesSince(mark).flatMap(({ daemon, line }) => {
    try {
      const parsed = JSON.parse(line) as unknown;
      return parsed !== null && typeof parsed === "object" ? [{ ...(parsed as LogLine), daemon }] : [];
    } catch {
      return [];
    }
  });
}

/** The first line after the mark that matches, waiting for it to be written (log writes are not instant). */
export async function waitForLine(
  mark: LogMark,
  matches: (line: LogLine) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<LogLine & { readonly daemon: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = jsonLinesSince(mark).find(matches);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = rawLinesSince(mark)
        .slice(-10)
        .map(({ daemon, line }) => `${daemon}: ${line.slice(0, 300)}`)
        .join("\n");
      throw new Error(`no log line ${what} within ${timeoutMs} ms; the last lines were:\n${seen}`);
    }
    await sleep(100);
  }
}

/**
 * Switches each replica of the services to debug or back (SIGUSR2 toggles it),
 * and waits until each one has logged the change.
 */
export async function setDebugLogging(daemons: readonly string[], on: boolean): Promise<void> {
  for (const daemon of daemons) {
    // At most two toggles: one if the replica was at the other level, two if it already was where we want it.
    let done = false;
    for (let attempt = 0; attempt < 2 && !done; attempt++) {
      const mark = markLogs([daemon]);
      process.kill(pidOf(daemon), "SIGUSR2");
      const line = await waitForLine(mark, (l) => l.msg === "log level changed", `from ${daemon} after SIGUSR2`);
      done = (line.logLevel === "debug") === on;
    }
    if (!done) throw new Error(`${daemon} did not switch debug logging ${on ? "on" : "off"}`);
  }
}
