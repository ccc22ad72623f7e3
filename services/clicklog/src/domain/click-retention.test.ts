import { test } from "uvu";
import * as assert from "uvu/assert";
import { createClickRetention } from "./click-retention.js";

const NOW = new Date("2030-03-10T12:00:00Z");

test("with 90 days: today and the 89 days before are accepted, as is tomorrow", () => {
  const retention = createClickRetention(90);
  assert.is(retention.oldestAcceptedDay(NOW), "2029-12-11");
  assert.ok(retention.accepts(new Date("2029-12-11T00:00:00Z"), NOW));
  assert.not.ok(retention.accepts(new Date("2029-12-10T23:59:59.999Z"), NOW));
  assert.ok(retention.accepts(new Date("2030-03-11T23:59:59Z"), NOW));
  assert.not.ok(retention.accepts(new Date("2030-03-12T00:00:00Z"), NOW));
});

test("the drop spares one day more than is accepted, so storing and dropping never meet", () => {
  const retention = createClickRetention(90);
  assert.is(retention.firstKeptDay(NOW), "2029-12-10");
});

test("an invalid time is never accepted", () => {
  assert.not.ok(createClickRetention(90).accepts(new Date(Number.NaN), NOW));
});

test("a retention under one day is refused", () => {
  assert.throws(() => createClickRetention(0), /at least one day/);
});

test.run();
