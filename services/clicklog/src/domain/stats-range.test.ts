import { KurtError } from "@kurt/platform/errors";
import { UnreadableTimestamp } from "@kurt/platform/timestamps";
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

test("a time before 1970 or after 9999 is refused naming its field, even in a range of the right width", () => {
  const cases: [string, Date, Date, RegExp][] = [
    // ?from.seconds=-8600000000000 and a `to` one day later
    ["from", new Date(-8_600_000_000_000_000), new Date(-8_599_999_913_600_000), /got -270554-/],
    ["from", new Date(-62_135_596_900_000), new Date(-62_135_510_500_000), /got 0000-12-31T23:58:20\.000Z$/],
    ["from", new Date(-1), new Date(86_400_000), /got 1969-12-31T23:59:59\.999Z$/],
    ["to", new Date("9999-12-31T00:00:00Z"), new Date("+010000-01-01T00:00:00Z"), /got \+010000-01-01T00:00:00\.000Z$/],
    ["to", new Date("9999-12-31T00:00:00Z"), new Date(8_600_000_000_000_000), /got \+274493-/],
  ];
  for (const [field, from, to, got] of cases) {
    const error = refusal(() => resolveStatsRange({ from, to }, NOW));
    assert.is(error.code, "invalid_argument");
    assert.is(error.field, field);
    assert.match(
      error.message,
      new RegExp(`^${field}: must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z, `),
    );
    assert.match(error.message, got);
  }
  const alone = refusal(() => resolveStatsRange({ from: new Date(8_600_000_000_000_000) }, NOW));
  assert.is(alone.field, "from");
  assert.match(alone.message, /must be between/);
  // The first and the last instants allowed are accepted.
  const first = resolveStatsRange({ from: at("1970-01-01T00:00:00Z"), to: at("1970-01-02T00:00:00Z") }, NOW);
  assert.equal([first.start, first.end], [at("1970-01-01T00:00:00Z"), at("1970-01-02T00:00:00Z")]);
  const last = resolveStatsRange({ from: at("9999-12-31T00:00:00Z"), to: at("9999-12-31T23:59:59.999Z") }, NOW);
  assert.equal([last.start, last.end], [at("9999-12-31T00:00:00Z"), at("+010000-01-01T00:00:00Z")]);
});

test("the default window does not reach before 1970", () => {
  const range = resolveStatsRange({ to: at("1970-01-03T12:00:00Z") }, NOW);
  assert.equal([range.start, range.end], [at("1970-01-01T00:00:00Z"), at("1970-01-04T00:00:00Z")]);
  assert.is(refusal(() => resolveStatsRange({ to: at("1970-01-01T00:00:00Z") }, NOW)).field, "from");
});

test("a time the request decoder could not read is refused with its reason", () => {
  const error = refusal(() =>
    resolveStatsRange({ from: new UnreadableTimestamp("nanos must be from 0 to 999,999,999, got -1") }, NOW),
  );
  assert.is(error.field, "from");
  assert.is(error.message, "from: nanos must be from 0 to 999,999,999, got -1");
});

test.run();
