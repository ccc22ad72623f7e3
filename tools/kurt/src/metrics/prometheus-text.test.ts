import { createMetrics } from "@kurt/platform";
import { Counter } from "prom-client";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parsePrometheusText, select, sumOf } from "./prometheus-text.js";

test("reads back what prom-client writes, labels, escapes and histograms included", async () => {
  const metrics = createMetrics({ service: "demo", instance: "1" });
  const odd = new Counter({
    name: "demo_odd_total",
    help: "labels a parser could trip on",
    labelNames: ["value"],
    registers: [metrics.registry],
  });
  odd.inc({ value: 'a "quoted", comma\\slash}' }, 3);
  metrics.grpcHandled.inc({ method: "/kurt.v1.ResolverService/Resolve", code: "OK" }, 5);
  metrics.grpcHandlingSeconds.observe({ method: "/kurt.v1.ResolverService/Resolve" }, 0.003);

  const samples = parsePrometheusText(await metrics.registry.metrics());
  assert.equal(select(samples, "demo_odd_total")[0]?.labels, {
    value: 'a "quoted", comma\\slash}',
    service: "demo",
    instance: "1",
  });
  assert.is(sumOf(samples, "grpc_server_handled_total", { code: "OK" }), 5);
  assert.is(sumOf(samples, "grpc_server_handling_seconds_count"), 1);
  const inf = select(samples, "grpc_server_handling_seconds_bucket", { le: "+Inf" });
  assert.is(inf.length, 1);
  assert.ok(sumOf(samples, "process_cpu_user_seconds_total") >= 0, "default Node metrics are there");
});

test("special values and timestamps are read; a selection that matches nothing sums to 0", () => {
  const samples = parsePrometheusText('a 1 1700000000000\nb +Inf\nc NaN\n\n# HELP d x\nd{x="y",} -2.5e3\n');
  assert.is(sumOf(samples, "a"), 1);
  assert.is(sumOf(samples, "b"), Number.POSITIVE_INFINITY);
  assert.ok(Number.isNaN(sumOf(samples, "c")));
  assert.is(sumOf(samples, "d", { x: "y" }), -2500);
  assert.is(sumOf(samples, "d", { x: "z" }), 0);
});

test("a line that is not a sample is refused with its number", () => {
  assert.throws(() => parsePrometheusText("ok 1\nnot a sample at all\n"), /line 2: not a Prometheus sample/);
  assert.throws(() => parsePrometheusText("x{a=1} 1\n"), /line 1: malformed labels/);
  assert.throws(() => parsePrometheusText("x twelve\n"), /line 1: "twelve" is not a number/);
});

test.run();
