import { readFileSync } from "node:fs";
import { waitFor } from "../wait.js";
import { type ComponentContext, ComponentError } from "./component.js";

const DIED = Symbol("died");

function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log yet)";
  }
}

/**
 * Polls a readiness probe of one daemon, but gives up at once, with the end
 * of its log, if the daemon exits (a taken port, a bad setting…) instead of
 * waiting out the whole timeout.
 */
export async function waitForDaemon<T>(
  ctx: ComponentContext,
  component: string,
  daemon: string,
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const logFile = ctx.supervisor.logFileOf(daemon);
  let value: T | typeof DIED;
  try {
    value = await waitFor<T | typeof DIED>(
      what,
      async () => (ctx.supervisor.pidOf(daemon) === undefined ? DIED : probe()),
      { timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ComponentError(component, `${reason}\nlast lines of ${logFile}:\n${logTail(logFile)}`, logFile);
  }
  if (value === DIED) {
    throw new ComponentError(
      component,
      `${daemon} exited while starting\nlast lines of ${logFile}:\n${logTail(logFile)}`,
      logFile,
    );
  }
  return value;
}
