import { request } from "./http-client.js";

export interface LatencyProbe {
  /** Starts a new phase: the samples taken from now on are kept apart from the earlier ones. */
  phase(name: string): void;
  /** Stops the probe, waits for its last request, and returns each phase's latencies (ms). */
  stop(): Promise<ReadonlyMap<string, readonly number[]>>;
  /** Answers that were not the link's redirect. */
  readonly failures: readonly string[];
  /** Redirects that answered as expected, every phase together. */
  readonly redirected: () => number;
}

/**
 * One client sending `GET /{code}` through the gateway, one request after
 * another, timing each answer. A single sequential client measures the
 * latency a user sees without adding load of its own; the test's load runs
 * beside it.
 */
export function startLatencyProbe(code: string, location: string, { maxMs = 60_000 } = {}): LatencyProbe {
  let running = true;
  let redirected = 0;
  const failures: string[] = [];
  const phases = new Map<string, number[]>();
  let current: number[] = [];
  phases.set("start", current);
  const deadline = Date.now() + maxMs;
  const loop = (async () => {
    while (running && Date.now() < deadline) {
      const samples = current;
      const started = performance.now();
      try {
        const answer = await request("GET", `/${code}`, { timeoutMs: 5_000 });
        if (answer.status === 302 && answer.headers.get("location") === location) {
          redirected += 1;
          samples.push(performance.now() - started);
        } else failures.push(`${answer.status} ${answer.text.slice(0, 200)}`);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  })();
  return {
    failures,
    redirected: () => redirected,
    phase(name) {
      current = [];
      phases.set(name, current);
    },
    async stop() {
      running = false;
      await loop;
      return phases;
    },
  };
}

/** The q-th quantile (0…1) of the samples, nearest rank; NaN when there are none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** "n=…, p50=… p90=… p99=… max=… ms", for assertion messages. */
export function summariseLatency(samples: readonly number[]): string {
  const ms = (q: number) => quantile(samples, q).toFixed(1);
  return `n=${samples.length} p50=${ms(0.5)} p90=${ms(0.9)} p99=${ms(0.99)} max=${ms(1)} ms`;
}
