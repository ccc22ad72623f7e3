import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunMeasurement } from "./measure.js";
import { targetsTable } from "./report.js";
import type { ScenarioRow } from "./scenarios/bench-context.js";
import { checkTargets } from "./targets.js";

function run(requestsPerSecond: number): RunMeasurement {
  return {
    requests: requestsPerSecond,
    durationS: 1,
    latency: { p50: 1, p90: 2, p99: 3, p999: 4 },
    transportErrors: 0,
    requestsPerSecond,
    statusClasses: { "3xx": requestsPerSecond },
    cpuPer1k: { envoy: 0.5 },
    cpuPer1kByDaemon: {},
    otherCpuSeconds: 0,
    machineBusyCores: 1,
    loadAverageAfter: 0,
    cpuPressureAfter: undefined,
  };
}

const redirectRow = (scenario: string, rates: number[], ratios: number[]): ScenarioRow => ({
  scenario,
  label: scenario,
  runs: rates.map(run),
  ratiosToCeiling: ratios,
});

const byTarget = (rows: ScenarioRow[]) => new Map(checkTargets(rows).map((check) => [check.target, check]));

test("the throughput targets carry the gRPC floor of the same run as their design bound", () => {
  const checks = byTarget([
    redirectRow("floor-grpc", [900, 1000, 950], [0.24, 0.26, 0.25]),
    redirectRow("hot", [300, 320, 310], [0.05, 0.07, 0.06]),
  ]);
  const hot = checks.get("Hot redirect throughput ≥ 0.3 × ceiling");
  assert.equal(hot?.measured, "0.06 × ceiling");
  assert.is(hot?.met, false);
  assert.is(hot?.designBound, "0.25 × ceiling");
  // Not measured, yet bounded: the floor says what the design allows.
  assert.is(checks.get("Uniform redirect throughput ≥ 0.2 × ceiling")?.designBound, "0.25 × ceiling");
  assert.is(checks.get("Create ≥ 2,000 links/s")?.designBound, "950 calls/s");
  assert.match(targetsTable(checkTargets([redirectRow("floor-grpc", [950], [0.25])])), "design bound (4b)");
});

test("without the floor no bound is claimed", () => {
  const checks = checkTargets([redirectRow("hot", [300], [0.06])]);
  assert.ok(checks.every((check) => check.designBound === undefined));
});

test("resolver memory is judged by its peak, not by what is left at the end of a run", () => {
  const scale = (links: number, rss: number, peak: number): ScenarioRow => ({
    scenario: `scale-${links}`,
    label: `scale ${links}`,
    runs: [run(400)],
    extra: { links, resolverMemory: [[{ daemon: "resolver-1", rssBytes: rss, peakRssBytes: peak }]] },
  });
  const memory = (rows: ScenarioRow[]) => byTarget(rows).get("1,000,000 links: resolver memory < 250 MB per process");
  const over = memory([scale(100_000, 200e6, 210e6), scale(1_000_000, 240e6, 254e6)]);
  assert.is(over?.met, false);
  assert.match(over?.measured ?? "", "peak 254 MB");
  assert.is(memory([scale(1_000_000, 240e6, 249e6)])?.met, true);
});

test.run();
