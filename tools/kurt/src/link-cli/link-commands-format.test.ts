import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatDomain, formatDomainList, formatLinkList, sparkline, table } from "./link-commands-format.js";
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

test.run();
