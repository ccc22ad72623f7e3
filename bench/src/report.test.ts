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
  scenario: "floor-http",
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

test("the CPU table derives Envoy + upstream and all Kurt, the stub being no part of Kurt", () => {
  const cells = (table: string) => {
    const [head, , body] = table.split("\n") as [string, string, string];
    const split = (line: string) => line.split("|").map((cell) => cell.trim());
    const names = split(head);
    const values = split(body);
    return (name: string) => values[names.indexOf(name)];
  };
  const kurt = cells(cpuTable([row([run({ "3xx": 1 }, { envoy: 0.05, resolver: 0.04, kafka: 0.1 })])]));
  assert.is(kurt("envoy+upstream"), "0.090");
  assert.is(kurt("all Kurt"), "0.190");
  const floor = cells(cpuTable([row([run({ "3xx": 1 }, { envoy: 0.05, stub: 0.02, kafka: 0.01 })])]));
  assert.is(floor("envoy+upstream"), "0.070");
  assert.is(floor("all Kurt"), "0.060");
});

test("the results table shows the worst latency of any run", () => {
  const withMax = (max: number) => ({ ...run({ "3xx": 10 }), latency: { p50: 1, p90: 2, p99: 3, p999: 4, max } });
  const table = resultsTable([row([withMax(7), withMax(12.5), withMax(9)])]);
  const [head, , body] = table.split("\n") as [string, string, string];
  const index = head
    .split("|")
    .map((cell) => cell.trim())
    .indexOf("max ms");
  assert.is(body.split("|").map((cell) => cell.trim())[index], "12.50");
  // A generator that gives no maximum shows none.
  const [noMaxHead, , noMaxBody] = resultsTable([row([run({ "3xx": 1 })])]).split("\n") as [string, string, string];
  const noMax = noMaxHead
    .split("|")
    .map((cell) => cell.trim())
    .indexOf("max ms");
  assert.is(noMaxBody.split("|").map((cell) => cell.trim())[noMax], "–");
});

test.run();
