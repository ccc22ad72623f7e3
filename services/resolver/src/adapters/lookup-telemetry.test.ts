import { createLogger } from "@kurt/platform";
import { Registry } from "prom-client";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLookupTelemetry } from "./lookup-telemetry.js";

function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: "info", base: {} }, (line) => lines.push(JSON.parse(line)));
  let now = 0;
  const registry = new Registry();
  const telemetry = createLookupTelemetry({ registry, logger, warnEveryMs: 1_000, now: () => now });
  return { lines, registry, telemetry, advance: (ms: number) => (now += ms) };
}

test("lookups are counted by layer and result, every expected series starting at zero", async () => {
  const { registry, telemetry } = setup();
  telemetry.lookup("memory", "hit");
  telemetry.lookup("memory", "hit");
  telemetry.lookup("redis", "error");
  const text = await registry.metrics();
  assert.match(text, 'resolver_lookups_total{layer="memory",result="hit"} 2');
  assert.match(text, 'resolver_lookups_total{layer="redis",result="error"} 1');
  assert.match(text, 'resolver_lookups_total{layer="primary",result="miss"} 0');
});

test("layer failures are logged at most once per period per layer, with the count left out", () => {
  const { lines, telemetry, advance } = setup();
  for (let i = 0; i < 5; i++) telemetry.layerFailed("redis", new Error("down"));
  telemetry.layerFailed("replica", new Error("down"));
  assert.equal(
    lines.map((line) => line.layer),
    ["redis", "replica"],
  );
  advance(1_000);
  telemetry.layerFailed("redis", new Error("down"));
  assert.is(lines.at(-1)?.alsoFailed, 4);
});

test.run();
