import { BENCH_FLOOR_GRPC_HEADER, GATEWAY_PATHS } from "@kurt/gateway";
import { probeFloor } from "../floor/floor-probe.js";
import { FLOOR_LOCATION } from "../floor/floor-stubs.js";
import type { RunMeasurement } from "../measure.js";
import type { RequestList } from "../request-lists.js";
import { benchCode } from "../seed-links.js";
import { type BenchContext, measureWrk, type ScenarioRow, warmUp, wrkLoad } from "./bench-context.js";

/**
 * Scenarios 1, 3 and 4: redirects at full speed, hot (Zipf) and uniform, and
 * Envoy's own fixed 302 on the same listener with the same wrk command and
 * the same codes (`/__ceiling/<code>`). With them, the floors (4b, 4c): the
 * same requests answered by a trivial upstream (bench/src/floor/), once
 * through the transcoder to a gRPC Resolve stub, once proxied to an HTTP
 * stub, i.e. the most any resolver could give in this design and in a
 * plain-HTTP one. The runs are interleaved (ceiling, floors, hot, uniform,
 * ceiling, …) so that each ratio compares runs made under the same
 * conditions: on a shared machine those drift over minutes.
 */

export interface ThroughputPlan {
  readonly ceiling: boolean;
  /** Needs the floor stubs running and Envoy's bench profile with their routes. */
  readonly floor: boolean;
  readonly hot: boolean;
  readonly uniform: boolean;
  readonly zipf: RequestList;
  readonly uniformList: RequestList;
}

export const CEILING_PREFIX = GATEWAY_PATHS.ceilingPrefix;

interface Variant {
  readonly scenario: "ceiling" | "floor-grpc" | "floor-http" | "hot" | "uniform";
  readonly wanted: boolean;
  readonly label: string;
  readonly list: RequestList;
  readonly prefix: string;
  /** One more request header, "name: value". */
  readonly header?: { readonly name: string; readonly value: string };
  /** Every answer should be a redirect (the table flags a run that got anything else). */
  readonly onlyRedirects: boolean;
  /** Answered by a floor stub: checked once before it is measured. */
  readonly floor: boolean;
}

export async function runRedirectThroughput(ctx: BenchContext, plan: ThroughputPlan): Promise<ScenarioRow[]> {
  const all: Variant[] = [
    {
      scenario: "ceiling",
      wanted: plan.ceiling,
      label: "4 ceiling (Envoy's own 302)",
      list: plan.zipf,
      prefix: CEILING_PREFIX,
      onlyRedirects: true,
      floor: false,
    },
    {
      scenario: "floor-grpc",
      wanted: plan.floor,
      label: "4b floor: Envoy transcoder → trivial grpc-js Resolve",
      list: plan.zipf,
      prefix: "/",
      header: BENCH_FLOOR_GRPC_HEADER,
      onlyRedirects: true,
      floor: true,
    },
    {
      scenario: "floor-http",
      wanted: plan.floor,
      label: "4c floor: Envoy proxy → trivial node:http 302",
      list: plan.zipf,
      prefix: GATEWAY_PATHS.floorHttpPrefix,
      onlyRedirects: true,
      floor: true,
    },
    {
      scenario: "hot",
      wanted: plan.hot,
      label: "1 redirect, hot (Zipf, 5 % unknown)",
      list: plan.zipf,
      prefix: "/",
      onlyRedirects: false,
      floor: false,
    },
    {
      scenario: "uniform",
      wanted: plan.uniform,
      label: "3 redirect, uniform",
      list: plan.uniformList,
      prefix: "/",
      onlyRedirects: false,
      floor: false,
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
        ...(variant.header === undefined ? [] : [`${variant.header.name}: ${variant.header.value}`]),
      ],
      durationS,
    );

  for (const variant of variants.filter((v) => v.floor)) {
    // A seeded code: were the request to reach a resolver, its Location would be the link's.
    const headers = variant.header === undefined ? {} : { [variant.header.name]: variant.header.value };
    await probeFloor(`${ctx.gatewayUrl}${variant.prefix}${benchCode(0)}`, headers, FLOOR_LOCATION);
    ctx.say(`${variant.scenario}: the probe got the stub's 302`);
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
        ...(variant.floor ? { stubLocation: FLOOR_LOCATION } : {}),
        ...(variant.header === undefined ? {} : { header: variant.header }),
      },
    };
  });
}
