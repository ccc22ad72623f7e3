import { type Link, Stats } from "@kurt/contract";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseRule } from "./link-commands-args.js";
import {
  formatDomain,
  formatDomainList,
  formatLink,
  formatLinkList,
  formatRule,
  formatStats,
  sparkline,
  table,
} from "./link-commands-format.js";
import { sampleDomain, sampleLink } from "./test-support/fake-kurt-client.js";

test("a sparkline scales to the largest value", () => {
  assert.is(sparkline([0, 1, 2, 4, 8]), "▁▂▃▅█");
  assert.is(sparkline([0, 0, 0]), "▁▁▁");
  assert.is(sparkline([]), "");
});

test("a table pads every column but the last and leaves no trailing blanks", () => {
  assert.is(
    table([
      ["a", "bb", ""],
      ["ccc", "d", "e"],
    ]),
    "a    bb\nccc  d   e",
  );
});

test("a list of links names their domains only once it spans several", () => {
  const one = formatLinkList([sampleLink, { ...sampleLink, code: "other" }]);
  assert.match(one, /^CODE\s+STATUS\s+URL\s+NOTE$/m);
  const several = formatLinkList([sampleLink, { ...sampleLink, domain: "kurt.example" }]);
  assert.match(several, /^DOMAIN\s+CODE\s+STATUS\s+URL\s+NOTE$/m);
  assert.match(several, /^kurt\.example\s+launch\s+302\s+https:\/\/example\.com\/launch$/m);
});

const guarded: Link = {
  ...sampleLink,
  cacheSeconds: 3600,
  validSince: new Date("2026-02-01T00:00:00Z"),
  maxVisits: 10,
  visits: 3,
  passwordProtected: true,
  forwardQuery: true,
  rules: [
    { device: "ios", url: "https://apps.apple.com/app/id0" },
    { country: "DE", language: "de", query: { name: "ref", value: "mail" }, url: "https://example.com/de" },
    { query: { name: "beta" }, url: "https://example.com/beta" },
  ],
};

test("a link's table shows the cap with the visits used, the password, each rule in order and the schedule", () => {
  assert.is(
    formatLink(guarded),
    [
      "code           launch",
      "domain         go.example.com",
      "short url      http://go.example.com/launch",
      "url            https://example.com/launch",
      "status         302",
      "cache seconds  3600",
      "valid since    2026-02-01T00:00:00.000Z",
      "expires        -",
      "max visits     3 of 10 used",
      "disabled       no",
      "password       yes",
      "forward query  yes",
      "rules          1. device=ios,url=https://apps.apple.com/app/id0",
      "               2. country=DE,language=de,query=ref:mail,url=https://example.com/de",
      "               3. query=beta,url=https://example.com/beta",
      "title          -",
      "tags           -",
      "created        2026-01-01T00:00:00.000Z",
      "updated        2026-01-01T00:00:00.000Z",
    ].join("\n"),
  );
});

test("a rule is shown as --rule takes it, so that it can be given back", () => {
  for (const rule of guarded.rules) assert.equal(parseRule(formatRule(rule)), rule);
  assert.is(
    formatRule({ query: { name: "a", value: "" }, url: "https://example.com/" }),
    "query=a:,url=https://example.com/",
  );
});

test("a list notes the start, the cap, a password and the rules of each link", () => {
  const listed = formatLinkList([guarded, { ...sampleLink, code: "plain", rules: guarded.rules.slice(0, 1) }]);
  assert.match(
    listed,
    /^launch\s+302\s+https:\/\/example\.com\/launch\s+from 2026-02-01T00:00:00\.000Z, visits 3\/10, password, 3 rules$/m,
  );
  assert.match(listed, /^plain\s+302\s+https:\/\/example\.com\/launch\s+1 rule$/m);
});

test("domains: one as a table of fields, several as rows with the default one marked", () => {
  assert.is(
    formatDomain(sampleDomain),
    [
      "domain              go.example.com",
      "default             no",
      "root redirect       https://example.com/",
      "not found redirect  -",
      "created             2026-01-01T00:00:00.000Z",
    ].join("\n"),
  );
  const home = { domain: "kurt.example", isDefault: true, rootRedirect: undefined, notFoundRedirect: undefined };
  assert.is(
    formatDomainList([home, sampleDomain]),
    [
      "DOMAIN          ROOT REDIRECT         NOT FOUND REDIRECT  NOTE",
      "kurt.example    -                     -                   default",
      "go.example.com  https://example.com/  -",
    ].join("\n"),
  );
  assert.is(formatDomainList([]), "no domains");
});

test("stats show the top countries beside the other breakdowns", () => {
  const text = formatStats(
    Stats.fromPartial({
      code: "launch",
      total: 5,
      humanTotal: 5,
      devices: [{ value: "desktop", clicks: 5 }],
      countries: [
        { value: "DE", clicks: 3 },
        { value: "unknown", clicks: 2 },
      ],
    }),
  );
  assert.match(text, /COUNTRY\s+CLICKS/);
  assert.match(text, /DE\s+3/);
  assert.match(text, /unknown\s+2/);
});

test.run();
