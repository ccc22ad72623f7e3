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

test.run();
