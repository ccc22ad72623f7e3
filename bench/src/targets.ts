import type { ScenarioRow } from "./scenarios/bench-context.js";
import type { ClicksRunFacts } from "./scenarios/clicks.js";
import type { ResolverMemory } from "./scenarios/scale.js";
import { summarize } from "./summary.js";

/** One target of issue 5, with what this bench measured against it (medians). */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** Undefined when the bench did not measure it (scenario not run). */
  readonly met: boolean | undefined;
  /**
   * The most this design allows here, measured in the same run by the floor
   * (row 4b: Envoy's transcoder to a grpc-js upstream that does nothing):
   * no Kurt service behind the transcoder can go faster.
   */
  readonly designBound?: string;
}

const MiB = 2 ** 20;

function median(values: readonly number[]): number {
  return summarize(values).median;
}

function row(rows: readonly ScenarioRow[], scenario: string): ScenarioRow | undefined {
  return rows.find((r) => r.scenario === scenario);
}

/** The gRPC floor of this run, as a ratio to the ceiling and as a rate; undefined when it did not run. */
function grpcFloor(rows: readonly ScenarioRow[]): { ratio: number; rate: number } | undefined {
  const floor = row(rows, "floor-grpc");
  if (floor === undefined || floor.runs.length === 0 || (floor.ratiosToCeiling ?? []).length === 0) return undefined;
  return {
    ratio: median(floor.ratiosToCeiling ?? []),
    rate: median(floor.runs.map((m) => m.requestsPerSecond)),
  };
}

function ratioCheck(
  rows: readonly ScenarioRow[],
  scenario: string,
  minimum: number,
  name: string,
  floor: { ratio: number } | undefined,
): TargetCheck {
  const ratios = row(rows, scenario)?.ratiosToCeiling;
  const target = `${name} throughput ≥ ${minimum} × ceiling`;
  const designBound = floor === undefined ? undefined : `${floor.ratio.toFixed(2)} × ceiling`;
  if (ratios === undefined || ratios.length === 0)
    return { target, measured: "not measured", met: undefined, designBound };
  const value = median(ratios);
  return { target, measured: `${value.toFixed(2)} × ceiling`, met: value >= minimum, designBound };
}

export function checkTargets(rows: readonly ScenarioRow[]): TargetCheck[] {
  const floor = grpcFloor(rows);
  const checks: TargetCheck[] = [ratioCheck(rows, "hot", 0.3, "Hot redirect", floor)];

  const half = rows.find((r) => r.scenario === "latency" && (r.extra?.fraction as number) === 0.5);
  const p99 = half === undefined ? undefined : median(half.runs.map((m) => m.latency.p99));
  checks.push({
    target: "Hot redirect p99 at 50 % of the max rate < 10 ms",
    measured: p99 === undefined ? "not measured" : `${p99.toFixed(2)} ms`,
    met: p99 === undefined ? undefined : p99 < 10,
  });

  checks.push(ratioCheck(rows, "uniform", 0.2, "Uniform redirect", floor));

  const create = row(rows, "create");
  const created = create === undefined ? undefined : median(create.extra?.createdPerSecond as number[]);
  checks.push({
    target: "Create ≥ 2,000 links/s",
    measured: created === undefined ? "not measured" : `${Math.round(created)} links/s`,
    met: created === undefined ? undefined : created >= 2000,
    // A create is a transcoded call too, with a JSON body to parse: it cannot beat the floor's rate.
    designBound: floor === undefined ? undefined : `${Math.round(floor.rate)} calls/s`,
  });

  const clicks = row(rows, "clicks")?.extra?.runs as ClicksRunFacts[] | undefined;
  if (clicks === undefined || clicks.length === 0) {
    checks.push({
      target: "clicklog keeps up: lag bounded, delay p99 < 5 s",
      measured: "not measured",
      met: undefined,
    });
  } else {
    const slope = median(clicks.map((c) => c.lagSlopePerSecond));
    const redirects = median(clicks.map((c) => c.redirectsPerSecond));
    const stored = median(clicks.map((c) => c.storedPerSecond));
    // Bounded: over the second half of the load the lag grows by less than 2 % of the redirect rate.
    const bounded = slope <= 0.02 * redirects;
    checks.push({
      target: "clicklog keeps up: consumer lag bounded over the run",
      measured: `${Math.round(stored)} stored/s for ${Math.round(redirects)} redirects/s; lag ${slope >= 0 ? "+" : ""}${Math.round(slope)}/s in the second half, max ${Math.round(median(clicks.map((c) => c.maxLag)))}`,
      met: bounded,
    });
    const delays = clicks.map((c) => c.delaySeconds?.p99).filter((d): d is number => d !== undefined);
    const delay = delays.length === 0 ? undefined : median(delays);
    checks.push({
      target: "Redirect-to-stats delay p99 < 5 s",
      measured: delay === undefined ? "no clicks stored" : `${delay.toFixed(2)} s`,
      met: delay === undefined ? false : delay < 5,
    });
  }

  const scale = rows.filter((r) => r.scenario.startsWith("scale-"));
  const small = scale.find((r) => r.extra?.links === 100_000);
  const large = scale.find((r) => r.extra?.links === 1_000_000);
  if (large === undefined) {
    checks.push({ target: "1,000,000 links: resolver memory < 250 MB", measured: "not measured", met: undefined });
    checks.push({
      target: "1,000,000 links: hot rate within 10 % of 100,000",
      measured: "not measured",
      met: undefined,
    });
  } else {
    const memory = ((large.extra?.resolverMemory ?? []) as ResolverMemory[][]).flat();
    // "Stays under": the peak (VmHWM) over the runs, not the RSS left at the end of one.
    const peak = Math.max(...memory.map((m) => m.peakRssBytes));
    const last = Math.max(...memory.map((m) => m.rssBytes));
    checks.push({
      target: "1,000,000 links: resolver memory < 250 MB per process",
      measured: `peak ${(peak / 1e6).toFixed(0)} MB (${(peak / MiB).toFixed(0)} MiB), at the end ${(last / 1e6).toFixed(0)} MB`,
      met: peak < 250e6,
    });
    const largeRate = median(large.runs.map((m) => m.requestsPerSecond));
    const smallRate = small === undefined ? undefined : median(small.runs.map((m) => m.requestsPerSecond));
    checks.push({
      target: "1,000,000 links: hot rate within 10 % of 100,000",
      measured:
        smallRate === undefined
          ? "100,000 not measured"
          : `${Math.round(largeRate)} vs ${Math.round(smallRate)} req/s (${((largeRate / smallRate - 1) * 100).toFixed(1)} %)`,
      met: smallRate === undefined ? undefined : largeRate >= 0.9 * smallRate,
    });
  }
  return checks;
}
