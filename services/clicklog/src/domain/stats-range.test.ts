import { KurtError } from "@kurt/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveStatsRange } from "./stats-range.js";

const NOW = new Date("2030-03-10T15:42:07.123Z");
const at = (iso: string) => new Date(iso);

function refusal(call: () => unknown): KurtError {
  try {
    call();
  } catch (error) {
    if (error instanceof KurtError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

test("without from, to or interval: the last 7 days by day, up to the end of today (UTC)", () => {
  assert.equal(resolveStatsRange({}, NOW), {
    start: at("2030-03-03T00:00:00Z"),
    end: at("2030-03-11T00:00:00Z"),
    interval: "day",
    stepMs: 86_400_000,
  });
});

test("by hour, the range widens to whole hours", () => {
  const range = resolveStatsRange(
    { from: at("2030-03-10T10:30:00Z"), to: at("2030-03-10T12:00:00Z"), interval: "hour" },
    NOW,
  );
  assert.equal([range.start, range.end], [at("2030-03-10T10:00:00Z"), at("2030-03-10T12:00:00Z")]);
});

test("the default window is 7 days before an explicit to", () => {
  const range = resolveStatsRange({ to: at("2030-01-20T00:00:00Z") }, NOW);
  assert.equal([range.start, range.end], [at("2030-01-13T00:00:00Z"), at("2030-01-20T00:00:00Z")]);
});

test("a reversed or empty range is refused, naming from", () => {
  for (const request of [
    { from: at("2030-03-02T00:00:00Z"), to: at("2030-03-01T00:00:00Z") },
    { from: at("2030-03-01T00:00:00Z"), to: at("2030-03-01T00:00:00Z") },
    { from: at("2030-04-01T00:00:00Z") },
  ]) {
    const error = refusal(() => resolveStatsRange(request, NOW));
    assert.is(error.code, "invalid_argument");
    assert.is(error.field, "from");
    assert.match(error.message, /must be before to/);
  }
});

test("a range wider than its interval allows is refused; the widest allowed passes", () => {
  const error = refusal(() => resolveStatsRange({ from: at("2029-01-01T00:00:00Z"), interval: "day" }, NOW));
  assert.is(error.code, "invalid_argument");
  assert.is(error.field, "from");
  assert.match(error.message, /366 days/);
  const byHour = refusal(() => resolveStatsRange({ from: at("2030-02-01T00:00:00Z"), interval: "hour" }, NOW));
  assert.match(byHour.message, /31 days/);
  resolveStatsRange({ from: at("2029-03-10T15:42:07.123Z"), interval: "day" }, NOW);
  resolveStatsRange({ from: at("2030-02-07T15:42:07.123Z"), interval: "hour" }, NOW);
});

test("an invalid time is refused naming its field", () => {
  assert.is(refusal(() => resolveStatsRange({ to: new Date(Number.NaN) }, NOW)).field, "to");
});

test.run();
