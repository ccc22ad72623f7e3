import { test } from "uvu";
import * as assert from "uvu/assert";
import { ExportFormatError } from "./import-row.js";
import { parseShlinkExport } from "./shlink-export.js";
import { fixture } from "./test-support/fixtures.js";

test("the web client's CSV: shortCode, longUrl, title and tags split on |", () => {
  const blog = "https://blog.example.net/2024/02/why-we-moved";
  assert.equal(parseShlinkExport(fixture("shlink-short-urls.csv")), {
    rows: [
      {
        line: 2,
        code: "release-notes",
        url: "https://docs.example.net/releases/4.2",
        title: "Release notes 4.2",
        tags: ["docs", "release"],
      },
      { line: 3, code: "Xk3pQ", url: blog, title: "Why we moved to Rust", tags: ["blog"] },
      { line: 4, code: "promo/2024", url: "https://shop.example.net/promo", title: "Promo 2024", tags: ["marketing"] },
      { line: 5, code: "café", url: "https://cafe.example.net/", title: "Café du Commerce", tags: ["food", "paris"] },
      { line: 6, code: "wWz7d", url: "https://example.net/pricing", tags: [] },
      { line: 7, code: "Straße", url: "https://maps.example.net/strasse", title: "Straßenkarte", tags: ["maps"] },
      {
        line: 8,
        code: "talk-fosdem",
        url: "https://slides.example.net/fosdem-2024",
        title: 'Talk: "Shorter links, longer life"',
        tags: ["talks", "fosdem"],
      },
      { line: 9, code: "Xk3pQ", url: blog, title: "Why we moved to Rust", tags: ["blog"] },
      {
        line: 10,
        code: "hiring",
        url: "https://jobs.example.net/",
        title: "Wir stellen ein! 🚀",
        tags: ["jobs", "de"],
      },
      { line: 11, code: "gh", url: "https://github.com/example/shlink-demo", title: "GitHub", tags: ["code"] },
      {
        line: 12,
        code: "april_2024",
        url: "https://example.net/news/april",
        title: "Новости апреля",
        tags: ["news", "ru"],
      },
    ],
    errors: [],
    unit: "line",
  });
});

test("the REST API's JSON: validSince, validUntil, the visits left of maxVisits, and forwardQuery", () => {
  const launch = {
    code: "launch-2025",
    url: "https://example.net/launch",
    title: "Launch day 🚀",
    tags: ["launch", "marketing"],
    forwardQuery: true,
  };
  assert.equal(parseShlinkExport(fixture("shlink-short-urls.json")), {
    rows: [
      { line: 1, ...launch },
      {
        line: 2,
        code: "early-bird",
        url: "https://tickets.example.net/conf-2031?tier=early",
        title: "Early-bird tickets",
        tags: ["conf", "tickets"],
        expiresAt: new Date("2031-01-31T23:59:59Z"),
        validSince: new Date("2030-06-01T00:00:00Z"),
        maxVisits: 460,
        forwardQuery: false,
      },
      {
        line: 3,
        code: "black-friday-24",
        url: "https://shop.example.net/black-friday",
        title: "Black Friday 2024",
        tags: ["sale"],
        expiresAt: new Date("2024-12-02T23:59:59Z"),
        validSince: new Date("2024-11-29T00:00:00Z"),
        forwardQuery: true,
      },
      {
        line: 5,
        code: "Zr8Tq",
        url: "https://wiki.example.net/Hauptseite",
        title: "Wiki – Hauptseite",
        tags: ["wiki", "de"],
        maxVisits: 43,
        forwardQuery: true,
      },
      {
        line: 6,
        code: "ñandú",
        url: "https://zoo.example.net/es/aves/nandu",
        title: "El ñandú",
        tags: ["zoo", "es"],
        forwardQuery: true,
      },
      {
        line: 7,
        code: "docs",
        url: "https://docs.example.net/",
        title: "Documentation",
        tags: ["docs"],
        forwardQuery: true,
      },
      { line: 8, ...launch },
      {
        line: 9,
        code: "2025-roadmap",
        url: "https://example.net/blog/roadmap-2025",
        title: "Roadmap 2025",
        tags: ["blog", "roadmap"],
        expiresAt: new Date("2035-12-31T23:59:59Z"),
        forwardQuery: false,
      },
      { line: 10, code: "ok", url: "https://example.net/ok", tags: [], forwardQuery: true },
    ],
    errors: [
      {
        line: 4,
        code: "beta-invite",
        url: "https://app.example.net/invite/beta",
        reason: "out of visits: 100 of its 100 visits were used in Shlink",
      },
    ],
    unit: "item",
  });
});

test("Shlink 2's visitsCount counts against maxVisits too", () => {
  const parsed = parseShlinkExport(
    JSON.stringify([
      { shortCode: "abc", longUrl: "https://example.com/", visitsCount: 3, meta: { maxVisits: 10 }, tags: [] },
    ]),
  );
  assert.is(parsed.rows[0]?.maxVisits, 7);
});

test("a CSV without shortCode or longUrl, or JSON of another shape, is not a Shlink export", () => {
  assert.throws(
    () => parseShlinkExport("Title,Link,Destination URL\nx,https://bit.ly/x,https://example.com/\n"),
    (error: unknown) => error instanceof ExportFormatError && /no short code column/.test(error.message),
  );
  assert.throws(
    () => parseShlinkExport('{"links": []}'),
    (error: unknown) =>
      error instanceof ExportFormatError && /expected the answer of GET \/rest\/v3\/short-urls/.test(error.message),
  );
});

test.run();
