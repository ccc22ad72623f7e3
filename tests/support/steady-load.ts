import { setTimeout as sleep } from "node:timers/promises";
import { describe, request } from "./http-client.js";
import { isCreated } from "./links-api.js";

/**
 * Open-loop load at a fixed rate: requests start on a clock, not when the
 * previous one answered, so a slow or restarting upstream does not quietly
 * lower the load it is tested under. At most `maxInFlight` requests run at
 * once; a tick that finds them all busy is skipped and counted, never
 * turned into a failure.
 */
interface PacerOptions {
  readonly perSecond: number;
  readonly maxInFlight: number;
  readonly maxMs: number;
}

interface Pacer {
  readonly skipped: () => number;
  readonly sent: () => number;
  stop(): Promise<void>;
}

const TICK_MS = 10;

function startPacer(send: (n: number) => Promise<void>, options: PacerOptions): Pacer {
  if (!(options.perSecond > 0)) throw new Error(`perSecond must be above 0, got ${options.perSecond}`);
  let running = true;
  let sent = 0;
  let skipped = 0;
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  const loop = (async () => {
    while (running && Date.now() - started < options.maxMs) {
      const due = Math.floor(((Date.now() - started) / 1000) * options.perSecond);
      while (sent + skipped < due) {
        if (inFlight.size >= options.maxInFlight) {
          skipped += 1;
          continue;
        }
        const pending = send(sent);
        sent += 1;
        inFlight.add(pending);
        void pending.finally(() => inFlight.delete(pending));
      }
      await sleep(TICK_MS);
    }
  })();
  return {
    skipped: () => skipped,
    sent: () => sent,
    async stop() {
      running = false;
      await loop;
      await Promise.all(inFlight);
    },
  };
}

export interface SteadyRedirects {
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
  /** Redirects answered as expected, by code. */
  readonly redirected: ReadonlyMap<string, number>;
  readonly ok: () => number;
  readonly sent: () => number;
  readonly skipped: () => number;
  /** Every answer that was not the expected redirect, or no answer at all. */
  readonly failures: readonly string[];
}

/** `GET /{code}` through the gateway for the targets in turn, `perSecond` in all. */
export function startSteadyRedirects(
  targets: ReadonlyArray<{ readonly code: string; readonly location: string }>,
  { perSecond = 120, maxInFlight = 64, maxMs = 120_000 }: Partial<PacerOptions> = {},
): SteadyRedirects {
  if (targets.length === 0) throw new Error("startSteadyRedirects needs at least one target");
  const redirected = new Map<string, number>(targets.map(({ code }) => [code, 0]));
  const failures: string[] = [];
  let ok = 0;
  const pacer = startPacer(
    async (n) => {
      const target = targets[n % targets.length] as (typeof targets)[number];
      try {
        const answer = await request("GET", `/${target.code}`, { timeoutMs: 10_000 });
        if (answer.status === 302 && answer.headers.get("location") === target.location) {
          ok += 1;
          redirected.set(target.code, (redirected.get(target.code) ?? 0) + 1);
        } else failures.push(`GET /${target.code} #${n} at ${new Date().toISOString()}: ${describe(answer)}`);
      } catch (error) {
        failures.push(`GET /${target.code} #${n} at ${new Date().toISOString()}: ${(error as Error).message}`);
      }
    },
    { perSecond, maxInFlight, maxMs },
  );
  return { redirected, failures, ok: () => ok, sent: pacer.sent, skipped: pacer.skipped, stop: pacer.stop };
}

export interface SteadyCreates {
  stop(): Promise<void>;
  /** Links whose create answered 2xx: their code and the URL they were created with. */
  readonly created: ReadonlyArray<{ readonly code: string; readonly location: string }>;
  readonly sent: () => number;
  readonly skipped: () => number;
  readonly failures: readonly string[];
}

/** `POST /v1/links` through the gateway, `perSecond` creates of fresh URLs under `prefix`. */
export function startSteadyCreates(
  key: string,
  prefix: string,
  { perSecond = 10, maxInFlight = 16, maxMs = 120_000 }: Partial<PacerOptions> = {},
): SteadyCreates {
  const created: Array<{ code: string; location: string }> = [];
  const failures: string[] = [];
  const pacer = startPacer(
    async (n) => {
      const location = `https://example.com/${prefix}/${n}`;
      try {
        const answer = await request("POST", "/v1/links", { key, body: { url: location }, timeoutMs: 15_000 });
        if (isCreated(answer) && answer.json?.url === location && typeof answer.json?.code === "string")
          created.push({ code: answer.json.code, location });
        else failures.push(`POST /v1/links #${n} at ${new Date().toISOString()}: ${describe(answer)}`);
      } catch (error) {
        failures.push(`POST /v1/links #${n} at ${new Date().toISOString()}: ${(error as Error).message}`);
      }
    },
    { perSecond, maxInFlight, maxMs },
  );
  return { created, failures, sent: pacer.sent, skipped: pacer.skipped, stop: pacer.stop };
}
