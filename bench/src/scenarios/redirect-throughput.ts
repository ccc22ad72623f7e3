import type { RunMeasurement } from "../measure.js";
import type { RequestList } from "../request-lists.js";
import { type BenchContext, measureWrk, type ScenarioRow, warmUp, wrkLoad } from "./bench-context.js";

/**
 * Scenarios 1, 3 and 4: redirects at full speed, hot (Zipf) and uniform, and
 * Envoy's own fixed 302 on the same listener with the same wrk command and
 * the same codes (`/__ceiling/<code>`). The runs are interleaved (ceiling,
 * hot, uniform, ceiling, hot, …) so that each ratio compares runs made
 * under the same conditions: on a shared machine those drift over minutes.
 */

export interface ThroughputPlan {
  readonly ceiling: boolean;
  readonly hot: boolean;
  readonly uniform: boolean;
  readonly zipf: RequestList;
  readonly uniformList: RequestList;
}

export const CEILING_PREFIX = "/__ceiling/";

interface Variant {
  readonly scenario: "ceiling" | "hot" | "uniform";
  readonly label: string;
  readonly list: RequestList;
  readonly prefix: string;
}

export async function runRedirectThroughput(ctx: BenchContext, plan: ThroughputPlan): Promise<ScenarioRow[]> {
  const variants: Variant[] = [
    { scenario: "ceiling" as const, label: "4 ceiling (Envoy's own 302)", list: plan.zipf, prefix: CEILING_PREFIX },
    { scenario: "hot" as const, label: "1 redirect, hot (Zipf, 5 % unknown)", list: plan.zipf, prefix: "/" },
    { scenario: "uniform" as const, label: "3 redirect, uniform", list: plan.uniformList, prefix: "/" },
  ].filter((variant) => plan[variant.scenario]);
  const load = (variant: Variant, durationS: number) =>
    wrkLoad(
      ctx,
      "replay.lua",
      [variant.list.file, variant.prefix, String(ctx.nextStart(variant.list.length))],
      durationS,
    );

  for (const variant of variants) {
    ctx.say(`${variant.scenario}: warm-up ${ctx.options.warmupS} s`);
    await warmUp(ctx, load(variant, ctx.options.warmupS));
  }
  const runs = new Map<string, RunMeasurement[]>(variants.map((variant) => [variant.scenario, []]));
  for (let run = 1; run <= ctx.options.runs; run++) {
    for (const variant of variants) {
      const measured = await measureWrk(ctx, load(variant, ctx.options.durationS));
      runs.get(variant.scenario)?.push(measured);
      ctx.say(`${variant.scenario}: run ${run}: ${Math.round(measured.requestsPerSecond)} req/s`);
    }
  }
  const ceilingRuns = runs.get("ceiling") ?? [];
  return variants.map((variant) => {
    const measured = runs.get(variant.scenario) ?? [];
    const ratiosToCeiling =
      ceilingRuns.length === measured.length
        ? measured.map((m, i) => m.requestsPerSecond / (ceilingRuns[i] as RunMeasurement).requestsPerSecond)
        : undefined;
    return {
      scenario: variant.scenario,
      label: variant.label,
      runs: measured,
      ...(ratiosToCeiling === undefined ? {} : { ratiosToCeiling }),
      extra: { distinctCodes: variant.list.distinct, listLength: variant.list.length },
    };
  });
}
