/**
 * What redirect rules cost a redirect: nanoseconds per evaluation of a
 * 3-rule link (a visitor built from the request, then ruleTarget), with the
 * real GeoIP data. `node --import tsx services/resolver/src/visitor/rule-visitor.bench.ts`;
 * it prints numbers and fails on none (DESIGN.md §3).
 */
import { type RedirectRule, ruleTarget } from "@kurt/core/redirect-rule";
import { openCountryLookup } from "@kurt/geoip";
import { createRuleVisitor } from "./rule-visitor.js";

const ROUNDS = 1_000_000;

const HEADERS: readonly Record<string, string>[] = [
  {
    "user-agent":
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "accept-language": "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
    "x-envoy-external-address": "194.25.2.129",
  },
  {
    "user-agent":
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "accept-language": "en-GB,en;q=0.9",
    "x-envoy-external-address": "212.58.244.22",
  },
  {
    "user-agent":
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    "accept-language": "fr-FR,fr;q=0.9",
    "x-envoy-external-address": "8.8.8.8",
  },
  {
    "user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
    "accept-language": "en-US,en;q=0.5",
    "x-envoy-external-address": "133.242.0.1",
  },
];

const LINKS: Record<string, readonly RedirectRule[]> = {
  "device only (ios, android, mobile)": [
    { device: "ios", url: "https://apps.apple.com/app/kurt" },
    { device: "android", url: "https://play.google.com/store/apps/details?id=kurt" },
    { device: "mobile", url: "https://m.example.com/" },
  ],
  "device, language, query": [
    { device: "ios", url: "https://apps.apple.com/app/kurt" },
    { language: "de", url: "https://example.de/" },
    { query: { name: "utm_source", value: "newsletter" }, url: "https://example.com/welcome" },
  ],
  "country in each (ios+DE, US, JP)": [
    { device: "ios", country: "DE", url: "https://apps.apple.com/de/app/kurt" },
    { country: "US", url: "https://example.com/us" },
    { country: "JP", url: "https://example.jp/" },
  ],
};

const geo = openCountryLookup();
const countryOf = (address: string) => geo.lookup(address);
let sink = 0;

/**
 * The header readers are made before the loop: the bundles (and tsx) are
 * built with esbuild's keepNames, which gives every function created at run
 * time its name with Object.defineProperty, ~0.3 µs a closure here. The
 * redirect handler makes its header reader anyway, for the click.
 */
const READERS = HEADERS.map((headers) => (name: string) => headers[name]);

function measure(rules: readonly RedirectRule[], url: string): number {
  const run = (rounds: number) => {
    for (let i = 0; i < rounds; i++) {
      const visitor = createRuleVisitor({ header: READERS[i & 3] as (name: string) => string, url, countryOf });
      sink += ruleTarget(rules, visitor)?.length ?? 0;
    }
  };
  run(100_000); // warm-up
  const started = process.hrtime.bigint();
  run(ROUNDS);
  return Number(process.hrtime.bigint() - started) / ROUNDS;
}

console.log(
  `${ROUNDS.toLocaleString("en")} visits per link, 4 visitors in turn (desktop DE, iPhone GB, Android US, Mac JP)`,
);
for (const [name, rules] of Object.entries(LINKS)) {
  const ns = measure(rules, "/abc1234?utm_source=newsletter&utm_medium=email");
  console.log(`${name.padEnd(36)} ${ns.toFixed(0).padStart(5)} ns per evaluation`);
}
console.log(
  `${"no rules (the visitor alone)".padEnd(36)} ${measure([], "/abc1234").toFixed(0).padStart(5)} ns per evaluation`,
);
if (sink === -1) console.log(sink);
