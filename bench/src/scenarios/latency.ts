import { type LoadOutcome, measureRun } from "../measure.js";
import type { FixedRateResult } from "../open-loop/fixed-rate-generator.js";
import { type FixedRateLoad, runFixedRateChild } from "../open-loop/run-fixed-rate.js";
import type { RequestList } from "../request-lists.js";
import type { BenchContext, ScenarioRow } from "./bench-context.js";

/**
 * Scenario 5: latency at 25, 50 and 75 % of the hot redirect rate measured
 * in this bench, with the open-loop fixed-rate generator (latency from the
 * instant each request was due). Scenario 5b: the same at a fixed 1,000
 * redirects a second, whatever the machine's maximum. Each comes with Envoy's
 * bare listener (row 4's fixed 302) at the same rate: what the generator and
 * Envoy alone add.
 */

const FRACTIONS = [0.25, 0.5, 0.75] as const;

/** Scenario 5b's rate, redirects per second. */
export const FIXED_RATE = 1000;

/** The same User-Agent as the wrk scripts (bench/lua/report.lua). */
const USER_AGENT =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

function outcome(result: FixedRateResult, durationS: number): LoadOutcome {
  return {
    requests: result.completed,
    durationS,
    latency: result.latencyMs,
    transportErrors: result.socketErrors + result.unfinished,
    detail: { fixedRate: result },
  };
}

interface LatencyStep {
  readonly scenario: "latency" | "latency-ceiling" | "latency-fixed" | "latency-fixed-ceiling";
  readonly label: string;
  readonly rate: number;
  /** Kurt's redirects on the public listener, or the bare listener's fixed 302. */
  readonly bare: boolean;
  readonly extra: Readonly<Record<string, unknown>>;
}

async function runSteps(
  ctx: BenchContext,
  zipf: RequestList,
  warmUpRate: number,
  steps: readonly LatencyStep[],
): Promise<ScenarioRow[]> {
  const { topology } = ctx.stack;
  const load = (rate: number, bare: boolean, durationS: number): FixedRateLoad => ({
    host: topology.host,
    port: bare ? ctx.bareCeiling.port : topology.envoy.httpPort,
    listFile: zipf.file,
    pathPrefix: "/",
    start: ctx.nextStart(zipf.length),
    ratePerSecond: Math.max(1, Math.round(rate)),
    durationS,
    connections: ctx.options.connections,
    userAgent: USER_AGENT,
  });
  const measure = async (rate: number, bare: boolean) => {
    await ctx.ensureBenchGateway();
    return measureRun(topology, ctx.stack.daemons(), async () =>
      outcome(await runFixedRateChild(load(rate, bare, ctx.options.durationS), ctx.pinning), ctx.options.durationS),
    );
  };

  await ctx.ensureBenchGateway();
  ctx.say(`latency: warm-up ${ctx.options.warmupS} s at ${Math.round(warmUpRate)} req/s`);
  await runFixedRateChild(load(warmUpRate, false, ctx.options.warmupS), ctx.pinning);
  const rows: ScenarioRow[] = [];
  for (const step of steps) {
    const runs = [];
    for (let run = 1; run <= ctx.options.runs; run++) {
      const measured = await measure(step.rate, step.bare);
      runs.push(measured);
      ctx.say(`${step.scenario} at ${step.rate} req/s: run ${run}: p99 ${measured.latency.p99.toFixed(2)} ms`);
    }
    const generatorLag = runs.map((m) => (m.detail as { fixedRate: FixedRateResult }).fixedRate.generatorLagMs.p99);
    rows.push({
      scenario: step.scenario,
      label: step.label,
      runs,
      extra: { targetRate: step.rate, ...step.extra, generatorLagP99Ms: generatorLag },
    });
  }
  return rows;
}

/** Scenario 5: fractions of the hot rate measured in this bench. */
export function runLatency(ctx: BenchContext, zipf: RequestList, hotRate: number): Promise<ScenarioRow[]> {
  const steps: LatencyStep[] = FRACTIONS.map((fraction) => {
    const rate = Math.round(hotRate * fraction);
    return {
      scenario: "latency",
      label: `5 latency at ${fraction * 100} % (${rate} req/s)`,
      rate,
      bare: false,
      extra: { fraction },
    };
  });
  const half = Math.round(hotRate * 0.5);
  steps.push({
    scenario: "latency-ceiling",
    label: `5 bare ceiling at 50 % (${half} req/s)`,
    rate: half,
    bare: true,
    extra: { fraction: 0.5 },
  });
  return runSteps(ctx, zipf, hotRate * 0.5, steps);
}

/** Scenario 5b: hot redirects at a fixed 1,000 a second, and the bare ceiling at the same rate. */
export function runFixedRateLatency(ctx: BenchContext, zipf: RequestList): Promise<ScenarioRow[]> {
  const rate = FIXED_RATE.toLocaleString("en-US");
  return runSteps(ctx, zipf, FIXED_RATE, [
    {
      scenario: "latency-fixed",
      label: `5b latency at a fixed ${rate} redirects/s`,
      rate: FIXED_RATE,
      bare: false,
      extra: {},
    },
    {
      scenario: "latency-fixed-ceiling",
      label: `5b bare ceiling at ${rate} req/s`,
      rate: FIXED_RATE,
      bare: true,
      extra: {},
    },
  ]);
}
