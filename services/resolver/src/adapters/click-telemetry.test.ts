import { createLogger } from "@kurt/platform";
import { Registry } from "prom-client";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createClickTelemetry, exposeClickQueueDepth } from "./click-telemetry.js";

function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: "info", base: {} }, (line) => lines.push(JSON.parse(line)));
  let now = 0;
  let depth = 0;
  const registry = new Registry();
  const telemetry = createClickTelemetry({ registry, logger, warnEveryMs: 1_000, now: () => now });
  exposeClickQueueDepth(registry, () => depth);
  return {
    lines,
    registry,
    telemetry,
    advance: (ms: number) => (now += ms),
    setDepth: (d: number) => (depth = d),
  };
}

test("queue depth, sent, enqueued and dropped clicks are exposed, every drop reason from zero", async () => {
  const { registry, telemetry, setDepth } = setup();
  telemetry.enqueued();
  telemetry.enqueued();
  telemetry.sent(2, 0.004);
  telemetry.dropped("queue_full", 3);
  setDepth(42);
  const text = await registry.metrics();
  assert.match(text, "resolver_click_queue_depth 42");
  assert.match(text, "resolver_click_events_enqueued_total 2");
  assert.match(text, "resolver_click_events_sent_total 2");
  assert.match(text, 'resolver_click_events_dropped_total{reason="queue_full"} 3');
  assert.match(text, 'resolver_click_events_dropped_total{reason="requeue_full"} 0');
  assert.match(text, 'resolver_click_events_dropped_total{reason="shutdown"} 0');
  assert.match(text, 'resolver_click_send_duration_seconds_bucket{le="0.005"} 1');
});

test("drops are logged at most once per period, the next line saying how many clicks it left out", () => {
  const { lines, telemetry, advance } = setup();
  for (let i = 0; i < 100; i++) telemetry.dropped("queue_full", 1);
  assert.is(lines.length, 1);
  assert.is(lines[0]?.reason, "queue_full");
  advance(1_000);
  telemetry.dropped("queue_full", 1);
  assert.is(lines.length, 2);
  assert.is(lines[1]?.alsoLeftOutClicks, 99);
});

test("failed sends are logged apart from drops, also throttled", () => {
  const { lines, telemetry } = setup();
  telemetry.sendFailed(500, new Error("broker down"));
  telemetry.sendFailed(500, new Error("broker down"));
  telemetry.dropped("requeue_full", 10);
  assert.equal(
    lines.map((line) => line.msg),
    ["click events not sent to Kafka; retrying", "click events dropped: they will not be counted"],
  );
});

test.run();
