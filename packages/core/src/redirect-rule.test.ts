import { test } from "uvu";
import * as assert from "uvu/assert";
import { type RedirectRule, type RuleVisitor, ruleTarget, type VisitorDevice } from "./redirect-rule.js";

interface Visit {
  readonly device?: VisitorDevice;
  readonly country?: string;
  readonly languages?: readonly string[];
  readonly query?: Readonly<Record<string, readonly string[]>>;
}

/** A visitor that counts what it was asked, to show that rules ask only what they need. */
function visitor(visit: Visit = {}): RuleVisitor & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    device() {
      asked.push("device");
      return visit.device ?? "desktop";
    },
    country() {
      asked.push("country");
      return visit.country ?? "";
    },
    acceptsLanguage(primary) {
      asked.push(`language:${primary}`);
      return (visit.languages ?? []).includes(primary);
    },
    queryValues(name) {
      asked.push(`query:${name}`);
      return visit.query?.[name];
    },
  };
}

const target = (rules: readonly RedirectRule[], visit: Visit = {}) => ruleTarget(rules, visitor(visit));

test("no rules, or none that holds: undefined, so the link's own URL is used", () => {
  assert.is(target([]), undefined);
  assert.is(target([{ device: "ios", url: "https://ios.example/" }], { device: "android" }), undefined);
});

test("device ios, android and desktop hold for that device only", () => {
  const devices: VisitorDevice[] = ["ios", "android", "other-mobile", "desktop"];
  for (const wanted of ["ios", "android", "desktop"] as const) {
    const rules = [{ device: wanted, url: `https://${wanted}.example/` }];
    assert.equal(
      devices.map((device) => target(rules, { device }) !== undefined),
      devices.map((device) => device === wanted),
      wanted,
    );
  }
});

test("device mobile holds for ios, android and other mobile devices, not for desktop", () => {
  const rules: RedirectRule[] = [{ device: "mobile", url: "https://m.example/" }];
  assert.is(target(rules, { device: "ios" }), "https://m.example/");
  assert.is(target(rules, { device: "android" }), "https://m.example/");
  assert.is(target(rules, { device: "other-mobile" }), "https://m.example/");
  assert.is(target(rules, { device: "desktop" }), undefined);
});

test("country holds for that country; an unknown country never holds", () => {
  const rules: RedirectRule[] = [{ country: "DE", url: "https://de.example/" }];
  assert.is(target(rules, { country: "DE" }), "https://de.example/");
  assert.is(target(rules, { country: "AT" }), undefined);
  assert.is(target(rules, { country: "" }), undefined);
  assert.is(target([{ country: "", url: "https://nowhere.example/" }], { country: "" }), undefined);
});

test("language holds when the visitor accepts that primary language", () => {
  const rules: RedirectRule[] = [{ language: "de", url: "https://de.example/" }];
  assert.is(target(rules, { languages: ["en", "de"] }), "https://de.example/");
  assert.is(target(rules, { languages: ["en"] }), undefined);
  assert.is(target(rules, {}), undefined);
});

test("query {name} holds when the parameter is there, whatever its value, empty included", () => {
  const rules: RedirectRule[] = [{ query: { name: "ref" }, url: "https://ref.example/" }];
  assert.is(target(rules, { query: { ref: ["x"] } }), "https://ref.example/");
  assert.is(target(rules, { query: { ref: [""] } }), "https://ref.example/");
  assert.is(target(rules, { query: { other: ["x"] } }), undefined);
  assert.is(target(rules, {}), undefined);
});

test("query {name, value} holds when one of the parameter's values is exactly that value", () => {
  const rules: RedirectRule[] = [{ query: { name: "utm_source", value: "news" }, url: "https://news.example/" }];
  assert.is(target(rules, { query: { utm_source: ["news"] } }), "https://news.example/");
  assert.is(target(rules, { query: { utm_source: ["ads", "news"] } }), "https://news.example/");
  assert.is(target(rules, { query: { utm_source: ["News"] } }), undefined, "case-sensitive");
  assert.is(target(rules, { query: { utm_source: ["news "] } }), undefined);
  assert.is(target(rules, { query: { utm_source: [] } }), undefined);
  assert.is(
    target([{ query: { name: "q", value: "" }, url: "https://e.example/" }], { query: { q: [""] } }),
    "https://e.example/",
  );
  assert.is(
    target([{ query: { name: "q", value: "" }, url: "https://e.example/" }], { query: { q: ["1"] } }),
    undefined,
  );
});

test("every condition of a rule must hold", () => {
  const rules: RedirectRule[] = [
    { device: "ios", country: "DE", language: "de", query: { name: "c", value: "1" }, url: "https://all.example/" },
  ];
  const all: Visit = { device: "ios", country: "DE", languages: ["de"], query: { c: ["1"] } };
  assert.is(target(rules, all), "https://all.example/");
  assert.is(target(rules, { ...all, device: "android" }), undefined);
  assert.is(target(rules, { ...all, country: "AT" }), undefined);
  assert.is(target(rules, { ...all, languages: ["en"] }), undefined);
  assert.is(target(rules, { ...all, query: { c: ["2"] } }), undefined);
});

test("rules are checked in order: the first that holds wins, even if a later one is more specific", () => {
  const rules: RedirectRule[] = [
    { device: "mobile", url: "https://m.example/" },
    { device: "ios", country: "DE", url: "https://ios-de.example/" },
    { country: "DE", url: "https://de.example/" },
  ];
  assert.is(target(rules, { device: "ios", country: "DE" }), "https://m.example/");
  assert.is(target(rules, { device: "desktop", country: "DE" }), "https://de.example/");
  assert.is(target(rules, { device: "desktop", country: "FR" }), undefined);
});

test("a rule that fails on its device or query asks no country: no GeoIP lookup for nothing", () => {
  const visit = visitor({ device: "desktop", country: "DE" });
  ruleTarget(
    [
      { device: "ios", country: "DE", url: "https://a.example/" },
      { query: { name: "x" }, country: "DE", url: "https://b.example/" },
    ],
    visit,
  );
  assert.not.ok(visit.asked.includes("country"), visit.asked.join(", "));
});

test("rules without a country condition never ask for the country; evaluation stops at the first match", () => {
  const visit = visitor({ device: "ios", country: "DE" });
  assert.is(
    ruleTarget(
      [
        { device: "android", url: "https://a.example/" },
        { device: "ios", url: "https://i.example/" },
        { country: "DE", url: "https://de.example/" },
      ],
      visit,
    ),
    "https://i.example/",
  );
  assert.equal(visit.asked, ["device", "device"]);
});

test("a rule without conditions holds (every set condition, of none, holds)", () => {
  assert.is(target([{ url: "https://any.example/" }]), "https://any.example/");
});

test.run();
