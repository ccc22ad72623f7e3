import { request } from "./http-client.js";

export interface RedirectFailure {
  readonly at: number;
  readonly code: string;
  readonly detail: string;
}

export interface RedirectLoad {
  /** Stops the clients and waits for their last requests. */
  stop(): Promise<void>;
  readonly ok: () => number;
  readonly failures: readonly RedirectFailure[];
}

/**
 * `clients` loops, each sending `GET /{code}` for codes in turn through the
 * gateway until stopped, and recording every answer that is not the
 * expected redirect. Bounded by `maxMs` in case a test forgets to stop it.
 */
export function startRedirectLoad(
  targets: ReadonlyArray<{ readonly code: string; readonly location: string; readonly status?: number }>,
  { clients = 8, maxMs = 60_000 }: { clients?: number; maxMs?: number } = {},
): RedirectLoad {
  let running = true;
  let ok = 0;
  const failures: RedirectFailure[] = [];
  const deadline = Date.now() + maxMs;
  const loops = Array.from({ length: clients }, async (_, client) => {
    for (let i = client; running && Date.now() < deadline; i += clients) {
      const target = targets[i % targets.length];
      if (target === undefined) return;
      try {
        const answer = await request("GET", `/${target.code}`, { timeoutMs: 5_000 });
        if (answer.status === (target.status ?? 302) && answer.headers.get("location") === target.location) ok += 1;
        else
          failures.push({ at: Date.now(), code: target.code, detail: `${answer.status} ${answer.text.slice(0, 200)}` });
      } catch (error) {
        failures.push({ at: Date.now(), code: target.code, detail: (error as Error).message });
      }
    }
  });
  return {
    ok: () => ok,
    failures,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
