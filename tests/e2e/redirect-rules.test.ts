import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { adminKey, createApiKey } from "../support/api-keys.js";
import { visitHost } from "../support/host-visit.js";
import { describe, request } from "../support/http-client.js";
import { createLink, uniqueCode, updateLink } from "../support/links-api.js";
import { countsOf, statsWhenTotal } from "../support/stats-api.js";
import { waitFor } from "../support/tool.js";

// Redirect rules end to end through Envoy (DESIGN.md §2, issue 15 item 2):
// each kind of visitor is sent where the first rule that holds for it says.
// The visitor's address comes from X-Forwarded-For: `./kurt test` starts the
// stack trusting one proxy hop (KURT_TRUSTED_PROXY_HOPS=1, ADR 29), as a load
// balancer in front would be; the countries are DB-IP's (packages/geoip).

const UA = {
  iphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  ipad: "Mozilla/5.0 (iPad; CPU OS 12_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1",
  android:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
  windowsPhone:
    "Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063",
  firefox: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  windows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
};
/** Addresses whose country DB-IP's data gives (packages/geoip's tests pin the same ones). */
const FROM = { DE: "194.25.2.129", DE6: "2a00:1450:4001::1", US: "8.8.8.8", GB: "212.58.244.22", JP: "133.242.0.1" };

const T = (name: string) => `https://example.com/rules/${name}`;
const RULES = [
  { device: "ios", url: T("ios") },
  { device: "android", url: T("android") },
  { device: "desktop", country: "GB", url: T("desktop-gb") },
  { country: "DE", url: T("de") },
  { device: "mobile", url: T("other-mobile") },
  { language: "fr", url: T("fr") },
  { query: { name: "src", value: "mail" }, url: T("src-mail") },
  { query: { name: "beta" }, url: T("beta") },
];

let key: string;

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read", "stats:read"])).secret;
});

/** An update reaches every resolver through its link event: waits (bounded) until this visitor is sent to `location`. */
function visitUntil(code: string, headers: Record<string, string>, location: string) {
  return waitFor(
    `GET /${code} → ${location} six times in a row (Envoy spreads them over every resolver)`,
    async () => {
      for (let i = 0; i < 6; i++)
        if ((await request("GET", `/${code}`, { headers })).headers.get("location") !== location) return undefined;
      return true;
    },
    { timeoutMs: 6_000, intervalMs: 100 },
  );
}

async function visitAs(code: string, headers: Record<string, string>, query = "") {
  const answer = await request("GET", `/${code}${query}`, { headers });
  assert.is(answer.status, 302, describe(answer));
  return answer.headers.get("location");
}

test("each kind of visitor goes where the first rule that holds for it says", async () => {
  const link = await createLink(key, { url: T("default"), code: uniqueCode("rules"), rules: RULES });
  assert.equal(
    link.rules,
    RULES.map((rule) => ({ ...rule })),
    "the rules come back as stored, in order",
  );
  const cases: Array<[string, Record<string, string>, string, string]> = [
    ["an iPhone", { "user-agent": UA.iphone }, "", "ios"],
    ["an iPhone in Germany (the first rule wins)", { "user-agent": UA.iphone, "x-forwarded-for": FROM.DE }, "", "ios"],
    ["an iPad", { "user-agent": UA.ipad }, "", "ios"],
    ["an Android phone", { "user-agent": UA.android }, "", "android"],
    ["a Windows Phone (another mobile)", { "user-agent": UA.windowsPhone }, "", "other-mobile"],
    ["a desktop in Britain", { "user-agent": UA.windows, "x-forwarded-for": FROM.GB }, "", "desktop-gb"],
    ["a desktop in Germany", { "user-agent": UA.firefox, "x-forwarded-for": FROM.DE }, "", "de"],
    ["a desktop in Germany over IPv6", { "user-agent": UA.firefox, "x-forwarded-for": FROM.DE6 }, "", "de"],
    [
      "a desktop in the US reading French",
      { "user-agent": UA.firefox, "x-forwarded-for": FROM.US, "accept-language": "fr-CA,en;q=0.5" },
      "",
      "fr",
    ],
    [
      "French refused with q=0",
      { "user-agent": UA.firefox, "x-forwarded-for": FROM.US, "accept-language": "en, fr;q=0" },
      "",
      "default",
    ],
    ["?src=mail", { "user-agent": UA.firefox, "x-forwarded-for": FROM.JP }, "?src=mail", "src-mail"],
    ["?src=web (another value)", { "user-agent": UA.firefox, "x-forwarded-for": FROM.JP }, "?src=web", "default"],
    ["?beta (present, any value)", { "user-agent": UA.firefox, "x-forwarded-for": FROM.JP }, "?x=1&beta", "beta"],
    ["no rule holds", { "user-agent": UA.firefox, "x-forwarded-for": FROM.JP, "accept-language": "ja" }, "", "default"],
  ];
  for (const [who, headers, query, target] of cases) {
    const location = await visitAs(link.code, headers, query);
    assert.is(
      location,
      T(target),
      `${who}${headers["x-forwarded-for"] ? " (needs the gateway to trust one proxy hop: KURT_TRUSTED_PROXY_HOPS=1, as ./kurt test starts it)" : ""}`,
    );
  }
});

test("countries are counted in the stats from the same lookup; the address itself is not stored", async () => {
  const link = await createLink(key, { url: T("counted"), code: uniqueCode("geo") });
  const visits = [FROM.DE, FROM.DE6, FROM.US, FROM.GB, FROM.GB, FROM.GB, "10.1.2.3"];
  for (const address of visits) await visitAs(link.code, { "user-agent": UA.firefox, "x-forwarded-for": address });
  const { stats, last } = await statsWhenTotal(key, link.code, visits.length, { withinMs: 20_000 });
  await sleep(500);
  assert.ok(stats, last);
  const countries = countsOf(stats?.countries ?? []);
  assert.equal(countries, { GB: 3, DE: 2, US: 1, unknown: 1 }, last);
  assert.not.match(last, /194\.25\.2\.129|8\.8\.8\.8|212\.58/, "no address in the stats");
});

test("rules travel with forwardQuery, are replaced by an update and removed with []", async () => {
  const link = await createLink(key, {
    url: T("base"),
    code: uniqueCode("rulesupd"),
    forwardQuery: true,
    rules: [{ device: "ios", url: T("ios") }],
  });
  assert.is(await visitAs(link.code, { "user-agent": UA.iphone }, "?utm=a"), `${T("ios")}?utm=a`);
  const replaced = await updateLink(key, link.code, { rules: [{ device: "android", url: T("android") }] });
  assert.is(replaced.status, 200, describe(replaced));
  await visitUntil(link.code, { "user-agent": UA.iphone }, T("base"));
  assert.is(await visitAs(link.code, { "user-agent": UA.android }), T("android"));
  const removed = await updateLink(key, link.code, { rules: [] });
  assert.equal(removed.json.rules ?? [], []);
  await visitUntil(link.code, { "user-agent": UA.android }, T("base"));
});

test("rules work under another domain, selected by Host", async () => {
  const domain = `rules-${Date.now().toString(36)}.example.com`;
  const created = await request("POST", "/v1/domains", { key: adminKey(), body: { domain } });
  assert.is(created.status, 200, describe(created));
  const code = uniqueCode("dom");
  await createLink(adminKey(), { url: T("dom-default"), code, domain, rules: [{ country: "JP", url: T("dom-jp") }] });
  // The resolvers read the domains every 2 s.
  await sleep(2_500);
  const visit = (address: string) =>
    visitHost(domain, `/${code}`, "GET", { "x-forwarded-for": address, "user-agent": UA.firefox });
  const jp = await visit(FROM.JP);
  assert.is(jp.status, 302, jp.body);
  assert.is(jp.location, T("dom-jp"));
  assert.is((await visit(FROM.US)).location, T("dom-default"));
});

test.run();
