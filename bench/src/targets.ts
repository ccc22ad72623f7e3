import type { RunMeasurement } from "./measure.js";
import type { ScenarioRow } from "./scenarios/bench-context.js";
import type { ClicksRunFacts } from "./scenarios/clicks.js";
import type { ResolverMemory } from "./scenarios/scale.js";
import { summarize } from "./summary.js";

/** One target of issue 11, with what this bench measured against it (medians). */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** Undefined when the bench did not measure it (scenario not run). */
  readonly met: boolean | undefined;
  /**
   * The best this design allows here, measured in the same run, with the row
   * it comes from: the HTTP floor (row 4b: Envoy's redirect route to an
   * upstream that does nothing; no resolver can go faster or cost less), or
   * the bare ceiling at the same fixed rate (what the generator and Envoy
   * alone add to a latency).
   */
  readonly designBound?: string;
}

/** Issue 11's figures. CPU is per request, in milliseconds (= CPU seconds per 1,000 requests). */
export const TARGETS = {
  hotRatio: 0.1,
  uniformRatio: 0.08,
  cpuPerHotRedirectAllMs: 0.25,
  cpuPerHotRedirectEnvoyResolverMs: 0.1,
  p99AtHalfRateMs: 10,
  p99AtFixedRateMs: 5,
  createsPerSecond: 2000,
  cpuPerCreateMs: 1,
  clickDelayP99S: 2,
  resolverPeakBytes: 200e6,
  scaleRateTolerance: 0.1,
} as const;

const MiB = 2 ** 20;

function median(values: readonly number[]): number {
  return summarize(values).median;
}

function row(rows: readonly ScenarioRow[], scenario: string): ScenarioRow | undefined {
  return rows.find((r) => r.scenario === scenario);
}

/** CPU groups that are not Kurt's: the floor's stub (bench/src/floor/). */
const NOT_KURT = new Set(["stub"]);

/** CPU milliseconds per request of every Kurt process together, in one run. */
export function kurtCpuMs(m: RunMeasurement): number {
  return Object.entries(m.cpuPer1k)
    .filter(([group]) => !NOT_KURT.has(group))
    .reduce((sum, [, value]) => sum + value, 0);
}

/**
 * CPU milliseconds per request of the redirect's own path in one run: Envoy
 * and what answers behind it (the resolvers for Kurt's rows, the stub for the
 * floor's; the other is idle in either).
 */
export function redirectPathCpuMs(m: RunMeasurement): number {
  return (m.cpuPer1k.envoy ?? 0) + (m.cpuPer1k.resolver ?? 0) + (m.cpuPer1k.stub ?? 0);
}

/** The HTTP floor of this run; undefined when it did not run. */
function httpFloor(rows: readonly ScenarioRow[]): { ratio: number | undefined; pathCpuMs: number } | undefined {
  const floor = row(rows, "floor-http");
  if (floor === undefined || floor.runs.length === 0) return undefined;
  const ratios = floor.ratiosToCeiling ?? [];
  return {
    ratio: ratios.length === 0 ? undefined : median(ratios),
    pathCpuMs: median(floor.runs.map(redirectPathCpuMs)),
  };
}

function ratioCheck(
  rows: readonly ScenarioRow[],
  scenario: string,
  minimum: number,
  name: string,
  floor: { ratio: number | undefined } | undefined,
): TargetCheck {
  const ratios = row(rows, scenario)?.ratiosToCeiling;
  const target = `${name} throughput ≥ ${minimum.toFixed(2)} × bare ceiling`;
  const designBound = floor?.ratio === undefined ? undefined : `${floor.ratio.toFixed(2)} × ceiling (4b)`;
  if (ratios === undefined || ratios.length === 0)
    return { target, measured: "not measured", met: undefined, designBound };
  const value = median(ratios);
  return { target, measured: `${value.toFixed(2)} × ceiling`, met: value >= minimum, designBound };
}

function cpuCheck(
  target: string,
  source: ScenarioRow | undefined,
  perRun: (m: RunMeasurement) => number,
  maximum: number,
  designBound: string | undefined,
): TargetCheck {
  if (source === undefined || source.runs.length === 0)
    return { target, measured: "not measured", met: undefined, designBound };
  const value = median(source.runs.map(perRun));
  return { target, measured: `${value.toFixed(3)} ms`, met: value <= maximum, designBound };
}

function p99Check(target: string, source: ScenarioRow | undefined, maximum: number, bare: ScenarioRow | undefined) {
  const p99 = (r: ScenarioRow | undefined) =>
    r === undefined || r.runs.length === 0 ? undefined : median(r.runs.map((m) => m.latency.p99));
  const value = p99(source);
  const bound = p99(bare);
  return {
    target,
    measured: value === undefined ? "not measured" : `${value.toFixed(2)} ms`,
    met: value === undefined ? undefined : value <= maximum,
    designBound: bound === undefined ? undefined : `${bound.toFixed(2)} ms (bare ceiling, same rate)`,
  };
}

export function checkTargets(rows: readonly ScenarioRow[]): TargetCheck[] {
  const floor = httpFloor(rows);
  const floorCpu = floor === undefined ? undefined : `${floor.pathCpuMs.toFixed(3)} ms (4b: Envoy + stub)`;
  const hot = row(rows, "hot");
  const checks: TargetCheck[] = [
    ratioCheck(rows, "hot", TARGETS.hotRatio, "Hot redirect", floor),
    ratioCheck(rows, "uniform", TARGETS.uniformRatio, "Uniform redirect", floor),
    cpuCheck(
      `CPU per hot redirect, all Kurt processes ≤ ${TARGETS.cpuPerHotRedirectAllMs.toFixed(2)} ms`,
      hot,
      kurtCpuMs,
      TARGETS.cpuPerHotRedirectAllMs,
      floorCpu,
    ),
    cpuCheck(
      `CPU per hot redirect, Envoy + resolvers ≤ ${TARGETS.cpuPerHotRedirectEnvoyResolverMs.toFixed(2)} ms`,
      hot,
      redirectPathCpuMs,
      TARGETS.cpuPerHotRedirectEnvoyResolverMs,
      floorCpu,
    ),
  ];

  const half = rows.find((r) => r.scenario === "latency" && (r.extra?.fraction as number) === 0.5);
  checks.push(
    p99Check(
      `Hot redirect p99 at 50 % of the max rate ≤ ${TARGETS.p99AtHalfRateMs} ms`,
      half,
      TARGETS.p99AtHalfRateMs,
      row(rows, "latency-ceiling"),
    ),
  );
  checks.push(
    p99Check(
      `Hot redirect p99 at a fixed 1,000 redirects/s ≤ ${TARGETS.p99AtFixedRateMs} ms`,
      row(rows, "latency-fixed"),
      TARGETS.p99AtFixedRateMs,
      row(rows, "latency-fixed-ceiling"),
    ),
  );

  // Issue 15: rules and domains in use keep the hot rate within 10 % of the plain one (runs interleaved, one run).
  const ruled = row(rows, "hot-rules");
  const ruledRate = ruled === undefined ? undefined : median(ruled.runs.map((m) => m.requestsPerSecond));
  const plainRate = hot === undefined ? undefined : median(hot.runs.map((m) => m.requestsPerSecond));
  checks.push({
    target: "Hot redirect with rules and domains within 10 % of the plain one",
    measured:
      ruledRate === undefined || plainRate === undefined
        ? "not measured"
        : `${Math.round(ruledRate)} against ${Math.round(plainRate)} req/s (${((ruledRate / plainRate - 1) * 100).toFixed(1)} %)`,
    met: ruledRate === undefined || plainRate === undefined ? undefined : ruledRate >= 0.9 * plainRate,
  });

  const create = row(rows, "create");
  const created = create === undefined ? undefined : median(create.extra?.createdPerSecond as number[]);
  checks.push({
    target: `Create ≥ ${TARGETS.createsPerSecond.toLocaleString("en-US")} links/s (REST API)`,
    measured: created === undefined ? "not measured" : `${Math.round(created)} links/s`,
    met: created === undefined ? undefined : created >= TARGETS.createsPerSecond,
  });
  const batch = row(rows, "batch-create");
  const batchRate = batch === undefined ? undefined : median(batch.runs.map((m) => m.requestsPerSecond));
  checks.push({
    target: "Batch create ≥ 5,000 links/s end to end (POST /v1/links:batchCreate)",
    measured: batchRate === undefined ? "not measured" : `${Math.round(batchRate)} links/s`,
    met: batchRate === undefined ? undefined : batchRate >= 5_000,
  });
  checks.push(
    cpuCheck(
      `CPU per create, all Kurt processes ≤ ${TARGETS.cpuPerCreateMs} ms`,
      create,
      kurtCpuMs,
      TARGETS.cpuPerCreateMs,
      undefined,
    ),
  );

  const clicks = row(rows, "clicks")?.extra?.runs as ClicksRunFacts[] | undefined;
  if (clicks === undefined || clicks.length === 0) {
    checks.push({
      target: "clicklog keeps up at the max redirect rate: lag bounded, drained at the end",
      measured: "not measured",
      met: undefined,
    });
    checks.push({
      target: `Redirect-to-stats delay p99 ≤ ${TARGETS.clickDelayP99S} s`,
      measured: "not measured",
      met: undefined,
    });
  } else {
    const slope = median(clicks.map((c) => c.lagSlopePerSecond));
    const redirects = median(clicks.map((c) => c.redirectsPerSecond));
    const stored = median(clicks.map((c) => c.storedPerSecond));
    // Bounded: over the second half of the load the lag grows by less than 2 % of the redirect rate.
    const bounded = slope <= 0.02 * redirects;
    const drains = clicks.map((c) => c.drainSeconds);
    const drained = drains.every((d) => d !== null);
    const slowestDrain = Math.max(...drains.map((d) => d ?? Number.POSITIVE_INFINITY));
    checks.push({
      target: "clicklog keeps up at the max redirect rate: lag bounded, drained at the end",
      measured:
        `${Math.round(stored)} stored/s for ${Math.round(redirects)} redirects/s; lag ${slope >= 0 ? "+" : ""}` +
        `${Math.round(slope)}/s in the second half, max ${Math.round(median(clicks.map((c) => c.maxLag)))}; ` +
        (drained ? `drained within ${slowestDrain.toFixed(1)} s` : "not drained"),
      met: bounded && drained,
    });
    const delays = clicks.map((c) => c.delaySeconds?.p99).filter((d): d is number => d !== undefined);
    const delay = delays.length === 0 ? undefined : median(delays);
    checks.push({
      target: `Redirect-to-stats delay p99 ≤ ${TARGETS.clickDelayP99S} s`,
      measured: delay === undefined ? "no clicks stored" : `${delay.toFixed(2)} s`,
      met: delay === undefined ? false : delay <= TARGETS.clickDelayP99S,
    });
  }

  const scale = rows.filter((r) => r.scenario.startsWith("scale-"));
  const small = scale.find((r) => r.extra?.links === 100_000);
  const large = scale.find((r) => r.extra?.links === 1_000_000);
  const memoryTarget = `1,000,000 links: resolver peak RSS ≤ ${TARGETS.resolverPeakBytes / 1e6} MB per process`;
  const rateTarget = `1,000,000 links: hot rate within ${TARGETS.scaleRateTolerance * 100} % of 100,000`;
  if (large === undefined) {
    checks.push({ target: memoryTarget, measured: "not measured", met: undefined });
    checks.push({ target: rateTarget, measured: "not measured", met: undefined });
  } else {
    const memory = ((large.extra?.resolverMemory ?? []) as ResolverMemory[][]).flat();
    // "Stays under": the peak (VmHWM) over the runs, not the RSS left at the end of one.
    const peak = Math.max(...memory.map((m) => m.peakRssBytes));
    const last = Math.max(...memory.map((m) => m.rssBytes));
    checks.push({
      target: memoryTarget,
      measured: `peak ${(peak / 1e6).toFixed(0)} MB (${(peak / MiB).toFixed(0)} MiB), at the end ${(last / 1e6).toFixed(0)} MB`,
      met: peak <= TARGETS.resolverPeakBytes,
    });
    const largeRate = median(large.runs.map((m) => m.requestsPerSecond));
    const smallRate = small === undefined ? undefined : median(small.runs.map((m) => m.requestsPerSecond));
    checks.push({
      target: rateTarget,
      measured:
        smallRate === undefined
          ? "100,000 not measured"
          : `${Math.round(largeRate)} vs ${Math.round(smallRate)} req/s (${((largeRate / smallRate - 1) * 100).toFixed(1)} %)`,
      met: smallRate === undefined ? undefined : largeRate >= (1 - TARGETS.scaleRateTolerance) * smallRate,
    });
  }
  return checks;
}
