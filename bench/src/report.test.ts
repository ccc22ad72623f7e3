import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunMeasurement } from "./measure.js";
import { cpuTable, resultsTable } from "./report.js";
import type { ScenarioRow } from "./scenarios/bench-context.js";

function run(statusClasses: Record<string, number>, cpuPer1k: Record<string, number> = { envoy: 0.5 }): RunMeasurement {
  const requests = Object.values(statusClasses).reduce((a, b) => a + b, 0);
  return {
    requests,
    durationS: 1,
    latency: { p50: 1, p90: 2, p99: 3, p999: 4 },
    transportErrors: 0,
    requestsPerSecond: requests,
    statusClasses,
    cpuPer1k,
    cpuPer1kByDaemon: {},
    otherCpuSeconds: 0,
    machineBusyCores: 1,
    loadAverageAfter: 0,
    cpuPressureAfter: undefined,
  };
}

const row = (runs: RunMeasurement[], expected?: "3xx"): ScenarioRow => ({
  scenario: "floor-grpc",
  label: "4b floor",
  runs,
  ...(expected === undefined ? {} : { expectedStatusClass: expected }),
});

test("a row that should answer only 3xx shows any class it got in any run", () => {
  const clean = [run({ "3xx": 100 }), run({ "3xx": 100 }), run({ "3xx": 100 })];
  assert.not.match(resultsTable([row(clean, "3xx")]), "!!");
  const oneBadRun = [run({ "3xx": 100 }), run({ "2xx": 100, "3xx": 0 }), run({ "3xx": 100 })];
  assert.match(resultsTable([row(oneBadRun, "3xx")]), "!! not 3xx: 2xx 100.0 %");
  // Without the expectation (a create row answers 2xx) nothing is flagged.
  assert.not.match(resultsTable([row(oneBadRun)]), "!!");
});

test("the stub gets a CPU column, after Envoy's, only when a run measured one", () => {
  const header = (table: string) => (table.split("\n")[0] as string).split("|").map((cell) => cell.trim());
  assert.not.ok(header(cpuTable([row([run({ "3xx": 1 })])])).includes("stub"));
  const withStub = header(cpuTable([row([run({ "3xx": 1 }, { envoy: 0.5, stub: 0.3 })])]));
  assert.is(withStub.indexOf("stub"), withStub.indexOf("envoy") + 1);
});

test.run();
