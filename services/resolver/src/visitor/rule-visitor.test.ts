import { type RedirectRule, ruleTarget } from "@kurt/core/redirect-rule";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRuleVisitor, type RuleVisitorSource } from "./rule-visitor.js";

const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
const WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

/** A visit with these headers and URL, whose GeoIP and header reads are counted. */
function visit(headers: Record<string, string>, url = "/abc1234", extra: Partial<RuleVisitorSource> = {}) {
  const counts = { lookups: 0, headerReads: new Map<string, number>() };
  const visitor = createRuleVisitor({
    header: (name) => {
      counts.headerReads.set(name, (counts.headerReads.get(name) ?? 0) + 1);
      return headers[name];
    },
    url,
    countryOf: (address) => {
      counts.lookups += 1;
      return ({ "194.25.2.129": "DE", "8.8.8.8": "US" } as Record<string, string>)[address] ?? "";
    },
    ...extra,
  });
  return { visitor, counts };
}

test("the device comes from User-Agent", () => {
  assert.is(visit({ "user-agent": IPHONE }).visitor.device(), "ios");
  assert.is(visit({ "user-agent": WINDOWS }).visitor.device(), "desktop");
  assert.is(visit({}).visitor.device(), "desktop");
});

test("the country is the GeoIP answer for the client address Envoy reported", () => {
  assert.is(visit({ "x-envoy-external-address": "194.25.2.129" }).visitor.country(), "DE");
  assert.is(visit({ "x-envoy-external-address": "::ffff:8.8.8.8" }).visitor.country(), "US");
  assert.is(visit({ "x-forwarded-for": "10.0.0.1, 194.25.2.129" }).visitor.country(), "DE");
  assert.is(visit({ "x-envoy-external-address": "10.1.2.3" }).visitor.country(), "");
});

test("without any address there is no lookup and no country", () => {
  const { visitor, counts } = visit({ "x-envoy-external-address": "not an address" });
  assert.is(visitor.country(), "");
  assert.is(counts.lookups, 0);
});

test("a client address given by the caller is used instead of the headers", () => {
  const { visitor } = visit({ "x-envoy-external-address": "8.8.8.8" }, "/abc1234", {
    clientAddress: () => "194.25.2.129",
  });
  assert.is(visitor.country(), "DE");
});

test("each answer is computed once per visit, and only when asked", () => {
  const { visitor, counts } = visit(
    { "user-agent": IPHONE, "accept-language": "de", "x-envoy-external-address": "194.25.2.129" },
    "/abc1234?a=1",
  );
  assert.is(counts.headerReads.size, 0, "nothing read before a rule asks");
  for (let i = 0; i < 3; i++) {
    visitor.device();
    visitor.country();
    visitor.acceptsLanguage("de");
    visitor.acceptsLanguage("en");
    visitor.queryValues("a");
  }
  assert.is(counts.lookups, 1);
  assert.equal([...counts.headerReads].sort(), [
    ["accept-language", 1],
    ["user-agent", 1],
    ["x-envoy-external-address", 1],
  ]);
});

test("rules without a country condition cost no GeoIP lookup, rules that fail first on device neither", () => {
  const { visitor, counts } = visit(
    { "user-agent": WINDOWS, "accept-language": "de-DE,de;q=0.9", "x-envoy-external-address": "194.25.2.129" },
    "/abc1234?src=mail",
  );
  const rules: RedirectRule[] = [
    { device: "ios", country: "DE", url: "https://ios-de.example/" },
    { query: { name: "src", value: "ads" }, country: "DE", url: "https://ads-de.example/" },
    { language: "de", url: "https://de.example/" },
    { country: "DE", url: "https://country.example/" },
  ];
  assert.is(ruleTarget(rules, visitor), "https://de.example/");
  assert.is(counts.lookups, 0);
});

test("Accept-Language is matched on the primary subtag, case-insensitively", () => {
  const { visitor } = visit({ "accept-language": "de-AT,de;q=0.9,en;q=0.5,fr;q=0" });
  assert.ok(visitor.acceptsLanguage("de"));
  assert.ok(visitor.acceptsLanguage("DE"));
  assert.ok(visitor.acceptsLanguage("en"));
  assert.not.ok(visitor.acceptsLanguage("fr"), "q=0");
  assert.not.ok(visitor.acceptsLanguage("it"));
  assert.not.ok(visitor.acceptsLanguage("de-AT"), "a rule names a primary subtag, not a range");
  assert.not.ok(visit({}).visitor.acceptsLanguage("en"));
});

test("query values are decoded as a form is: + is a space, percent-escapes decoded", () => {
  const { visitor } = visit({}, "/abc1234?q=a+b&name=%C3%BC&x%20y=1&plain=a%2Bb");
  assert.equal(visitor.queryValues("q"), ["a b"]);
  assert.equal(visitor.queryValues("name"), ["ü"]);
  assert.equal(visitor.queryValues("x y"), ["1"]);
  assert.equal(visitor.queryValues("plain"), ["a+b"]);
});

test("a repeated parameter has all its values, in order; a bare name has the value ''", () => {
  const { visitor } = visit({}, "/abc1234?tag=a&flag&tag=b&empty=&tag=a");
  assert.equal(visitor.queryValues("tag"), ["a", "b", "a"]);
  assert.equal(visitor.queryValues("flag"), [""]);
  assert.equal(visitor.queryValues("empty"), [""]);
});

test("names are case-sensitive, and a missing parameter or query is undefined", () => {
  assert.is(visit({}, "/abc1234?Ref=x").visitor.queryValues("ref"), undefined);
  assert.is(visit({}, "/abc1234").visitor.queryValues("ref"), undefined);
  assert.is(visit({}, "/abc1234?").visitor.queryValues("ref"), undefined);
  assert.is(visit({}, "/abc1234?&&").visitor.queryValues(""), undefined);
});

test("malformed escapes are kept as written, bytes that are no UTF-8 become U+FFFD, a stray fragment is dropped", () => {
  const { visitor } = visit({}, "/abc1234?a=%E0%A4%A&b=100%&c=1#frag");
  assert.equal(visitor.queryValues("a"), ["\uFFFD%A"]);
  assert.equal(visitor.queryValues("b"), ["100%"]);
  assert.equal(visitor.queryValues("c"), ["1"]);
});

test("a whole link's rules against a realistic visit", () => {
  const rules: RedirectRule[] = [
    { device: "ios", url: "https://apps.apple.com/app/kurt" },
    { device: "android", url: "https://play.google.com/store/apps/details?id=kurt" },
    { country: "DE", language: "de", url: "https://example.de/" },
    { query: { name: "utm_source", value: "newsletter" }, url: "https://example.com/welcome" },
  ];
  const desktopInGermany = visit(
    { "user-agent": WINDOWS, "accept-language": "de-DE,de;q=0.9,en;q=0.8", "x-envoy-external-address": "194.25.2.129" },
    "/abc1234?utm_source=newsletter",
  );
  assert.is(ruleTarget(rules, desktopInGermany.visitor), "https://example.de/");
  const iphone = visit({ "user-agent": IPHONE, "x-envoy-external-address": "194.25.2.129" });
  assert.is(ruleTarget(rules, iphone.visitor), "https://apps.apple.com/app/kurt");
  assert.is(iphone.counts.lookups, 0);
  const desktopInUs = visit(
    { "user-agent": WINDOWS, "accept-language": "de", "x-envoy-external-address": "8.8.8.8" },
    "/abc1234?utm_source=newsletter",
  );
  assert.is(ruleTarget(rules, desktopInUs.visitor), "https://example.com/welcome");
  const nobody = visit({ "user-agent": WINDOWS }, "/abc1234");
  assert.is(ruleTarget(rules, nobody.visitor), undefined);
});

test.run();
