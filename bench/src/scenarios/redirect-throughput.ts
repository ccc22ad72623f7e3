import { GATEWAY_PATHS } from "@kurt/gateway";
import { probeRedirect } from "../floor/floor-probe.js";
import { FLOOR_LOCATION } from "../floor/floor-stubs.js";
import type { RunMeasurement } from "../measure.js";
import type { RequestList } from "../request-lists.js";
import { BENCH_RULES, benchCode, RULES_DOMAIN } from "../seed-links.js";
import { type BenchContext, measureWrk, type ScenarioRow, warmUp, wrkLoad } from "./bench-context.js";

/**
 * Scenarios 1, 3 and 4: redirects at full speed, hot (Zipf) and uniform, and
 * the ceilings, with the same wrk command and the same codes: Envoy's own
 * fixed 302 on the bench's bare listener (only the router: row 4, what every
 * redirect row is divided by) and on the public listener (`/__ceiling/<code>`,
 * its filters and access log: row 4a). With them, the floor (4b): the same
 * requests proxied along the redirect's own path to a trivial HTTP upstream
 * (bench/src/floor/), i.e. the most any resolver could give in this design.
 * The runs are interleaved (ceiling, filtered ceiling, floor, hot, uniform,
 * ceiling, …) so that each ratio compares runs made under the same
 * conditions: on a shared machine those drift over minutes.
 */

export interface ThroughputPlan {
  readonly ceiling: boolean;
  /** Needs the floor stub running and Envoy's bench profile with its route. */
  readonly floor: boolean;
  readonly hot: boolean;
  /** The hot list again, on RULES_DOMAIN, whose links carry BENCH_RULES (seeded by seedRuledLinks). */
  readonly hotRules: boolean;
  readonly uniform: boolean;
  readonly zipf: RequestList;
  readonly uniformList: RequestList;
}

export const CEILING_PREFIX = GATEWAY_PATHS.ceilingPrefix;

interface Variant {
  readonly scenario: "ceiling" | "ceiling-filtered" | "floor-http" | "hot" | "hot-rules" | "uniform";
  readonly wanted: boolean;
  readonly label: string;
  readonly list: RequestList;
  /** Envoy's listener: the public one, or the bench's bare one. */
  readonly url: string;
  readonly prefix: string;
  /** The Host header, when not the URL's. */
  readonly host?: string;
  /** Every answer should be a redirect (the table flags a run that got anything else). */
  readonly onlyRedirects: boolean;
  /** Checked once before it is measured: a 302, to this Location when one is given. */
  readonly probe?: { readonly location: string | undefined };
}

export async function runRedirectThroughput(ctx: BenchContext, plan: ThroughputPlan): Promise<ScenarioRow[]> {
  const all: Variant[] = [
    {
      scenario: "ceiling",
      wanted: plan.ceiling,
      label: "4 ceiling: Envoy's own 302, bare listener (router only)",
      list: plan.zipf,
      url: ctx.bareCeiling.url,
      prefix: "/",
      onlyRedirects: true,
      probe: { location: undefined },
    },
    {
      scenario: "ceiling-filtered",
      wanted: plan.ceiling,
      label: "4a ceiling: Envoy's own 302, public listener (filters, log)",
      list: plan.zipf,
      url: ctx.gatewayUrl,
      prefix: CEILING_PREFIX,
      onlyRedirects: true,
      probe: { location: undefined },
    },
    {
      scenario: "floor-http",
      wanted: plan.floor,
      label: "4b floor: redirect route → trivial node:http 302",
      list: plan.zipf,
      url: ctx.gatewayUrl,
      prefix: GATEWAY_PATHS.floorHttpPrefix,
      onlyRedirects: true,
      probe: { location: FLOOR_LOCATION },
    },
    {
      scenario: "hot",
      wanted: plan.hot,
      label: "1 redirect, hot (Zipf, 5 % unknown)",
      list: plan.zipf,
      url: ctx.gatewayUrl,
      prefix: "/",
      onlyRedirects: false,
    },
    {
      scenario: "hot-rules",
      wanted: plan.hotRules,
      label: `1r redirect, hot, on another domain (Host), each link with ${BENCH_RULES.length} rules none of which holds`,
      list: plan.zipf,
      url: ctx.gatewayUrl,
      prefix: "/",
      host: RULES_DOMAIN,
      onlyRedirects: false,
    },
    {
      scenario: "uniform",
      wanted: plan.uniform,
      label: "3 redirect, uniform",
      list: plan.uniformList,
      url: ctx.gatewayUrl,
      prefix: "/",
      onlyRedirects: false,
    },
  ];
  const variants = all.filter((variant) => variant.wanted);
  const load = (variant: Variant, durationS: number) =>
    wrkLoad(
      ctx,
      "replay.lua",
      [
        variant.list.file,
        variant.prefix,
        String(ctx.nextStart(variant.list.length)),
        ...(variant.host === undefined ? [] : [variant.host]),
      ],
      durationS,
      variant.url,
    );

  for (const variant of variants) {
    if (variant.probe === undefined) continue;
    // A seeded code: were the request to reach a resolver, its Location would be the link's.
    await probeRedirect(`${variant.url}${variant.prefix}${benchCode(0)}`, variant.probe.location);
    ctx.say(`${variant.scenario}: the probe got the expected 302`);
  }
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
      ...(variant.onlyRedirects ? { expectedStatusClass: "3xx" as const } : {}),
      extra: {
        distinctCodes: variant.list.distinct,
        listLength: variant.list.length,
        url: `${variant.url}${variant.prefix}`,
        ...(variant.scenario === "floor-http" ? { stubLocation: FLOOR_LOCATION } : {}),
      },
    };
  });
}
