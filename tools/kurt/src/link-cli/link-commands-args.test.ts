import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  MAX_RULES,
  parseDomainName,
  parseDomainOption,
  parseInstant,
  parseIntegerOption,
  parseLine,
  parseListFilter,
  parsePassword,
  parseRedirectStatus,
  parseRedirectUrl,
  parseRule,
  parseRules,
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

test("whole numbers within bounds; the message names the flag and the range", () => {
  assert.is(parseIntegerOption("cache-seconds", "0", 0, 31_536_000), 0);
  assert.is(parseIntegerOption("cache-seconds", "31536000", 0, 31_536_000), 31_536_000);
  assert.is(parseIntegerOption("max-visits", "1", 1, 2_147_483_647), 1);
  for (const bad of ["", "-1", "1.5", "1e3", "ten", " 3", "0x10"]) {
    assert.throws(() => parseIntegerOption("max-visits", bad, 1, 2_147_483_647), isUsageError, bad);
  }
  assert.throws(
    () => parseIntegerOption("max-visits", "0", 1, 2_147_483_647),
    /^--max-visits: "0" is not a whole number from 1 to 2,147,483,647$/,
  );
  assert.throws(
    () => parseIntegerOption("cache-seconds", "31536001", 0, 31_536_000),
    /^--cache-seconds: .* from 0 to 31,536,000$/,
  );
  assert.throws(() => parseIntegerOption("max-visits", "2147483648", 1, 2_147_483_647), isUsageError);
});

test('passwords: 4 to 128 characters; "" only where it removes one', () => {
  assert.is(parsePassword("password", "open sesame", false), "open sesame");
  assert.is(parsePassword("password", "ab€d", false), "ab€d");
  assert.is(parsePassword("password", "x".repeat(128), false), "x".repeat(128));
  assert.is(parsePassword("password", "", true), "");
  assert.throws(() => parsePassword("password", "", false), /^--password: must be 4 to 128 characters, got 0$/);
  assert.throws(() => parsePassword("password", "abc", true), /^--password: .*got 3, or "" to remove it$/);
  assert.throws(() => parsePassword("password-stdin", "x".repeat(129), false), /^--password-stdin: .*got 129$/);
  // Characters, not UTF-16 units: four emoji are four characters.
  assert.is(parsePassword("password", "🔑🔑🔑🔑", false), "🔑🔑🔑🔑");
});

test("list filters: some text, a query of at most 200 characters", () => {
  assert.is(parseListFilter("query", "Launch"), "Launch");
  assert.is(parseListFilter("tag", "news"), "news");
  assert.throws(() => parseListFilter("query", ""), /^--query: needs some text/);
  assert.throws(() => parseListFilter("tag", " "), /^--tag: needs some text/);
  assert.is(parseListFilter("query", "q".repeat(200)).length, 200);
  assert.throws(() => parseListFilter("query", "q".repeat(201)), /^--query: at most 200 characters, got 201$/);
});

test("a rule: its conditions and url, country upper case and language lower case", () => {
  assert.equal(parseRule("device=ios,url=https://apps.apple.com/app/id0"), {
    url: "https://apps.apple.com/app/id0",
    device: "ios",
  });
  assert.equal(parseRule("url=https://example.com/de,country=de,language=DE"), {
    url: "https://example.com/de",
    country: "DE",
    language: "de",
  });
  assert.equal(parseRule("query=ref,url=https://example.com/ref"), {
    url: "https://example.com/ref",
    query: { name: "ref" },
  });
  assert.equal(parseRule("query=utm_source:mail,url=https://example.com/m"), {
    url: "https://example.com/m",
    query: { name: "utm_source", value: "mail" },
  });
  // "name:" asks for the parameter present and empty; only the first colon splits.
  assert.equal(parseRule("query=a:,url=https://example.com/").query, { name: "a", value: "" });
  assert.equal(parseRule("query=t:12:30,url=https://example.com/").query, { name: "t", value: "12:30" });
  assert.equal(parseRule("device=mobile, country=FR, url=https://example.com/fr"), {
    url: "https://example.com/fr",
    device: "mobile",
    country: "FR",
  });
});

test("a comma stays inside a value unless a key and = follow it", () => {
  assert.equal(parseRule("url=https://example.com/p?ids=1,2,3&x=a,b,device=android"), {
    url: "https://example.com/p?ids=1,2,3&x=a,b",
    device: "android",
  });
});

test("a bad rule is a usage error naming --rule, the reason and the rule", () => {
  const bad: [string, RegExp][] = [
    ["os=ios,url=https://example.com/", /unknown key "os" \(keys: device, country, language, query, url\)/],
    ["device=ios", /url=… is missing/],
    ["url=https://example.com/", /a rule needs a condition/],
    ["device=tv,url=https://example.com/", /device "tv" is not one of ios, android, mobile, desktop/],
    ["country=DEU,url=https://example.com/", /country "DEU" is not a two-letter code/],
    ["language=de-AT,url=https://example.com/", /language "de-AT" is not a primary language subtag/],
    ["query=:x,url=https://example.com/", /query ":x" has no parameter name/],
    ["device=,url=https://example.com/", /device has no value/],
    ["device=ios,device=android,url=https://example.com/", /device is given twice/],
    ["device=ios,url=ftp://example.com/", /url "ftp:\/\/example\.com\/" is not an absolute http or https URL/],
    ["device=ios,url=/relative", /is not an absolute http or https URL/],
    ["ios", /"ios" is not key=value/],
    ["", /"" is not key=value/],
  ];
  for (const [text, reason] of bad) {
    try {
      parseRule(text);
      assert.unreachable(text);
    } catch (error) {
      assert.instance(error, UsageError, text);
      const message = (error as Error).message;
      assert.match(message, /^--rule: /, text);
      assert.match(message, reason, text);
      assert.ok(message.endsWith(` in ${JSON.stringify(text)}`), message);
    }
  }
});

test("rules keep their order; more than the API takes is refused", () => {
  const rules = parseRules(["device=ios,url=https://a.example/", "device=android,url=https://b.example/"]);
  assert.equal(
    rules.map((rule) => rule.url),
    ["https://a.example/", "https://b.example/"],
  );
  const many = Array.from({ length: MAX_RULES + 1 }, (_, i) => `query=n${i},url=https://example.com/`);
  assert.is(parseRules(many.slice(0, MAX_RULES)).length, MAX_RULES);
  assert.throws(() => parseRules(many), /^--rule: at most 32 rules, got 33$/);
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
