import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  parseDomainName,
  parseDomainOption,
  parseInstant,
  parseLine,
  parseRedirectStatus,
  parseRedirectUrl,
  UsageError,
} from "./link-commands-args.js";

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

test("--domain: a name, or left out for the default domain; never empty", () => {
  assert.equal(parseDomainOption(undefined), {});
  assert.equal(parseDomainOption("go.example.com"), { domain: "go.example.com" });
  assert.throws(() => parseDomainOption(""), /--domain: needs a domain name/);
  assert.throws(() => parseDomainOption("  "), isUsageError);
});

test("a domain's NAME is a host name, not a URL", () => {
  assert.is(parseDomainName("go.example.com"), "go.example.com");
  assert.is(parseDomainName("xn--bcher-kva.example"), "xn--bcher-kva.example");
  for (const bad of ["", "https://go.example.com", "go.example.com:8080", "go.example.com/x", "a b"]) {
    assert.throws(() => parseDomainName(bad), /^NAME: .* is not a host name/, bad);
  }
});

test('redirect URLs: absolute http or https; "" only where it removes one', () => {
  assert.is(parseRedirectUrl("root-redirect", "https://example.com/", false), "https://example.com/");
  assert.is(parseRedirectUrl("root-redirect", "", true), "");
  assert.throws(() => parseRedirectUrl("root-redirect", "", false), /^--root-redirect: "" is not an absolute/);
  assert.throws(
    () => parseRedirectUrl("not-found-redirect", "mailto:a@b.c", true),
    /^--not-found-redirect: .*remove it$/,
  );
  assert.throws(() => parseRedirectUrl("root-redirect", "/relative", false), isUsageError);
});

test("parse errors are one line", () => {
  const options = { domain: { type: "string" as const } };
  try {
    parseLine(["c", "--domain", "--json"], options, 1);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, UsageError);
    assert.not.match((error as Error).message, /\n/);
    assert.match((error as Error).message, /--domain/);
  }
});

test.run();
