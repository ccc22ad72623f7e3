import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseInstant, parseLine, parseRedirectStatus, UsageError } from "./link-commands-args.js";

// uvu calls a function given as the expectation; a class must be wrapped in a predicate.
const isUsageError = (error: unknown) => error instanceof UsageError;

const NOW = Date.parse("2026-01-01T00:00:00Z");

test("instants: ISO dates and durations relative to now", () => {
  assert.is(parseInstant("expires", "+7d", NOW).toISOString(), "2026-01-08T00:00:00.000Z");
  assert.is(parseInstant("from", "-12h", NOW).toISOString(), "2025-12-31T12:00:00.000Z");
  assert.is(parseInstant("expires", "2027-03-01T10:00:00Z", NOW).toISOString(), "2027-03-01T10:00:00.000Z");
  assert.throws(() => parseInstant("expires", "next week", NOW), isUsageError);
  assert.throws(() => parseInstant("expires", "7d", NOW), isUsageError);
});

test("redirect statuses: only the four the API takes", () => {
  assert.is(parseRedirectStatus("308"), 308);
  assert.throws(() => parseRedirectStatus("200"), isUsageError);
});

test("lines: unknown options, missing values and stray arguments are usage errors", () => {
  const options = { code: { type: "string" as const }, tag: { type: "string" as const, multiple: true } };
  const line = parseLine(["https://a.example", "--code", "c", "--tag", "x", "--tag", "y", "--json"], options, 1);
  assert.equal(line.positionals, ["https://a.example"]);
  assert.equal(line.values.tag, ["x", "y"]);
  assert.is(line.values.json, true);
  assert.throws(() => parseLine(["u", "--nope"], options, 1), isUsageError);
  assert.throws(() => parseLine(["u", "--code"], options, 1), isUsageError);
  assert.throws(() => parseLine(["u", "v"], options, 1), isUsageError);
  assert.throws(() => parseLine([], options, 1), isUsageError);
  assert.is(parseLine(["c", "--code", "-2h"], options, 1).values.code, "-2h");
});

test.run();
