import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunMeasurement } from "./measure.js";
import { targetsTable } from "./report.js";
import type { ScenarioRow } from "./scenarios/bench-context.js";
import { checkTargets } from "./targets.js";

function run(requestsPerSecond: number, cpuPer1k: Record<string, number> = { envoy: 0.5 }, p99 = 3): RunMeasurement {
  return {
    requests: requestsPerSecond,
    durationS: 1,
    latency: { p50: 1, p90: 2, p99, p999: 4 },
    transportErrors: 0,
    requestsPerSecond,
    statusClasses: { "3xx": requestsPerSecond },
    cpuPer1k,
    cpuPer1kByDaemon: {},
    otherCpuSeconds: 0,
    machineBusyCores: 1,
    loadAverageAfter: 0,
    cpuPressureAfter: undefined,
  };
}

const redirectRow = (
  scenario: string,
  rates: number[],
  ratios: number[],
  cpuPer1k?: Record<string, number>,
): ScenarioRow => ({
  scenario,
  label: scenario,
  runs: rates.map((rate) => run(rate, cpuPer1k)),
  ratiosToCeiling: ratios,
});

const byTarget = (rows: ScenarioRow[]) => new Map(checkTargets(rows).map((check) => [check.target, check]));

test("the throughput targets are ratios to the bare ceiling, bounded by the HTTP floor of the same run", () => {
  const checks = byTarget([
    redirectRow("floor-http", [2900, 3000, 2950], [0.32, 0.34, 0.33]),
    redirectRow("hot", [900, 950, 1000], [0.09, 0.11, 0.12]),
  ]);
  const hot = checks.get("Hot redirect throughput ≥ 0.10 × bare ceiling");
  assert.equal(hot?.measured, "0.11 × ceiling");
  assert.is(hot?.met, true);
  assert.is(hot?.designBound, "0.33 × ceiling (4b)");
  // Not measured, yet bounded: the floor says what the design allows.
  const uniform = checks.get("Uniform redirect throughput ≥ 0.08 × bare ceiling");
  assert.is(uniform?.met, undefined);
  assert.is(uniform?.designBound, "0.33 × ceiling (4b)");
  assert.match(targetsTable(checkTargets([redirectRow("floor-http", [950], [0.25])])), "bound measured in this run");
});

test("without the floor no bound is claimed for throughput or CPU", () => {
  const checks = checkTargets([redirectRow("hot", [300], [0.06])]);
  assert.ok(checks.every((check) => check.designBound === undefined));
});

test("CPU per hot redirect: all of Kurt (never the stub), and Envoy with the resolvers alone", () => {
  const checks = byTarget([
    redirectRow("floor-http", [3000], [0.33], { envoy: 0.06, stub: 0.03, kafka: 0.01 }),
    redirectRow("hot", [1000], [0.1], { envoy: 0.05, resolver: 0.04, stub: 0.5, kafka: 0.1, postgres: 0.05 }),
  ]);
  const all = checks.get("CPU per hot redirect, all Kurt processes ≤ 0.25 ms");
  assert.is(all?.measured, "0.240 ms");
  assert.is(all?.met, true);
  const path = checks.get("CPU per hot redirect, Envoy + resolvers ≤ 0.10 ms");
  // Envoy 0.05 + resolver 0.04 + the idle stub's share: what answers the redirect, whichever it is.
  assert.is(path?.measured, "0.590 ms");
  assert.is(path?.met, false);
  assert.is(path?.designBound, "0.090 ms (4b: Envoy + stub)");
});

test("latency targets: p99 at half the max rate and at a fixed 1,000/s, beside the bare ceiling at that rate", () => {
  const latency = (scenario: string, p99: number, extra: Record<string, unknown> = {}): ScenarioRow => ({
    scenario,
    label: scenario,
    runs: [run(1000, undefined, p99)],
    extra,
  });
  const checks = byTarget([
    latency("latency", 30, { fraction: 0.25 }),
    latency("latency", 8, { fraction: 0.5 }),
    latency("latency-ceiling", 1.5, { fraction: 0.5 }),
    latency("latency-fixed", 6),
    latency("latency-fixed-ceiling", 0.9),
  ]);
  const half = checks.get("Hot redirect p99 at 50 % of the max rate ≤ 10 ms");
  assert.equal([half?.measured, half?.met, half?.designBound], ["8.00 ms", true, "1.50 ms (bare ceiling, same rate)"]);
  const fixed = checks.get("Hot redirect p99 at a fixed 1,000 redirects/s ≤ 5 ms");
  assert.equal(
    [fixed?.measured, fixed?.met, fixed?.designBound],
    ["6.00 ms", false, "0.90 ms (bare ceiling, same rate)"],
  );
});

test("creates: rate through the REST API and CPU per create of all Kurt", () => {
  const create: ScenarioRow = {
    scenario: "create",
    label: "create",
    runs: [run(2100, { envoy: 0.2, shortener: 0.5, postgres: 0.4 })],
    extra: { createdPerSecond: [2100] },
  };
  const checks = byTarget([create]);
  assert.is(checks.get("Create ≥ 2,000 links/s (REST API)")?.met, true);
  const cpu = checks.get("CPU per create, all Kurt processes ≤ 1 ms");
  assert.equal([cpu?.measured, cpu?.met], ["1.100 ms", false]);
});

test("clicklog keeps up only when the lag is bounded and every run drained", () => {
  const clicks = (drainSeconds: number | null): ScenarioRow => ({
    scenario: "clicks",
    label: "clicks",
    runs: [run(1000)],
    extra: {
      runs: [
        {
          lagAtStart: 0,
          redirectsPerSecond: 1000,
          storedPerSecond: 1000,
          enqueued: 60_000,
          dropped: 0,
          storedAfterDrain: 60_000,
          drainSeconds,
          maxLag: 300,
          lagAtEndOfLoad: 10,
          lagSlopePerSecond: 1,
          delaySeconds: { p50: 0.4, p99: 1.5, p999: 2, max: 3, clicks: 60_000 },
          samples: [],
        },
      ],
    },
  });
  const keepsUp = "clicklog keeps up at the max redirect rate: lag bounded, drained at the end";
  assert.is(byTarget([clicks(0.5)]).get(keepsUp)?.met, true);
  assert.is(byTarget([clicks(null)]).get(keepsUp)?.met, false);
  assert.is(byTarget([clicks(0.5)]).get("Redirect-to-stats delay p99 ≤ 2 s")?.met, true);
});

test("resolver memory is judged by its peak, not by what is left at the end of a run", () => {
  const scale = (links: number, rss: number, peak: number): ScenarioRow => ({
    scenario: `scale-${links}`,
    label: `scale ${links}`,
    runs: [run(400)],
    extra: { links, resolverMemory: [[{ daemon: "resolver-1", rssBytes: rss, peakRssBytes: peak }]] },
  });
  const memory = (rows: ScenarioRow[]) => byTarget(rows).get("1,000,000 links: resolver peak RSS ≤ 200 MB per process");
  const over = memory([scale(100_000, 180e6, 190e6), scale(1_000_000, 190e6, 204e6)]);
  assert.is(over?.met, false);
  assert.match(over?.measured ?? "", "peak 204 MB");
  assert.is(memory([scale(1_000_000, 190e6, 199e6)])?.met, true);
});

test.run();
