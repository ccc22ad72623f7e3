import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "./logger.js";

/** Something a service needs before its first call: a call that succeeds once it can answer. */
export interface DependencyCheck {
  readonly name: string;
  readonly check: () => Promise<unknown>;
}

export interface DependencyOutcome {
  readonly name: string;
  readonly ready: boolean;
  readonly waitedMs: number;
  readonly error?: string;
}

/**
 * Retries each check, all at once, until it succeeds or `timeoutMs` has
 * passed. A replica restarted under load otherwise reports SERVING with
 * clients that have not connected yet (a Redis Cluster client that has not
 * learnt the slots, Postgres pools with no connection) and fails its first
 * calls. A dependency still down at the deadline does not stop the start:
 * the service reports it, serves what it can, and fails the rest cleanly.
 */
export async function awaitDependencies(
  checks: readonly DependencyCheck[],
  {
    timeoutMs,
    retryMs = 200,
    logger,
    now = Date.now,
    wait = sleep,
  }: {
    timeoutMs: number;
    retryMs?: number;
    logger: Logger;
    /** The clock and the wait between tries: the real ones, or a test's fake. */
    now?: () => number;
    wait?: (ms: number) => Promise<unknown>;
  },
): Promise<DependencyOutcome[]> {
  const started = now();
  const outcomes = await Promise.all(
    checks.map(async ({ name, check }): Promise<DependencyOutcome> => {
      let error = "";
      for (;;) {
        try {
          await check();
          return { name, ready: true, waitedMs: now() - started };
        } catch (failure) {
          error = failure instanceof Error ? failure.message : String(failure);
        }
        if (now() - started + retryMs > timeoutMs) return { name, ready: false, waitedMs: now() - started, error };
        await wait(retryMs);
      }
    }),
  );
  const late = outcomes.filter((outcome) => !outcome.ready);
  if (late.length > 0)
    logger.warn("starting with dependencies not ready", {
      timeoutMs,
      notReady: late.map(({ name, error }) => ({ name, error })),
    });
  return outcomes;
}
