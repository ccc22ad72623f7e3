import { type LoadOutcome, measureRun } from "../measure.js";
import type { FixedRateResult } from "../open-loop/fixed-rate-generator.js";
import { type FixedRateLoad, runFixedRateChild } from "../open-loop/run-fixed-rate.js";
import type { RequestList } from "../request-lists.js";
import type { BenchContext, ScenarioRow } from "./bench-context.js";
import { CEILING_PREFIX } from "./redirect-throughput.js";

/**
 * Scenario 5: latency at 25, 50 and 75 % of the hot redirect rate measured
 * in this bench, with the open-loop fixed-rate generator (latency from the
 * instant each request was due). The ceiling route at the 50 % rate is
 * measured too: it is what the generator and Envoy alone add.
 */

const FRACTIONS = [0.25, 0.5, 0.75] as const;

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

export async function runLatency(ctx: BenchContext, zipf: RequestList, hotRate: number): Promise<ScenarioRow[]> {
  const { topology } = ctx.stack;
  const load = (rate: number, prefix: string, durationS: number): FixedRateLoad => ({
    host: topology.host,
    port: topology.envoy.httpPort,
    listFile: zipf.file,
    pathPrefix: prefix,
    start: ctx.nextStart(zipf.length),
    ratePerSecond: Math.max(1, Math.round(rate)),
    durationS,
    connections: ctx.options.connections,
    userAgent: USER_AGENT,
  });
  const measure = (rate: number, prefix: string) =>
    measureRun(topology, ctx.stack.daemons(), async () =>
      outcome(await runFixedRateChild(load(rate, prefix, ctx.options.durationS), ctx.pinning), ctx.options.durationS),
    );

  ctx.say(`latency: warm-up ${ctx.options.warmupS} s at ${Math.round(hotRate * 0.5)} req/s`);
  await runFixedRateChild(load(hotRate * 0.5, "/", ctx.options.warmupS), ctx.pinning);
  const rows: ScenarioRow[] = [];
  const plan = [
    ...FRACTIONS.map((fraction) => ({ fraction, prefix: "/", scenario: "latency" })),
    { fraction: 0.5, prefix: CEILING_PREFIX, scenario: "latency-ceiling" },
  ];
  for (const step of plan) {
    const rate = Math.round(hotRate * step.fraction);
    const runs = [];
    for (let run = 1; run <= ctx.options.runs; run++) {
      const measured = await measure(rate, step.prefix);
      runs.push(measured);
      ctx.say(`${step.scenario} ${step.fraction * 100} %: run ${run}: p99 ${measured.latency.p99.toFixed(2)} ms`);
    }
    const generatorLag = runs.map((m) => (m.detail as { fixedRate: FixedRateResult }).fixedRate.generatorLagMs.p99);
    rows.push({
      scenario: step.scenario,
      label:
        step.prefix === "/"
          ? `5 latency at ${step.fraction * 100} % (${rate} req/s)`
          : `5 ceiling at ${step.fraction * 100} % (${rate} req/s)`,
      runs,
      extra: { targetRate: rate, fraction: step.fraction, generatorLagP99Ms: generatorLag },
    });
  }
  return rows;
}
