import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseBitlyExport } from "./bitly-export.js";
import { ExportFormatError } from "./import-row.js";
import { fixture } from "./test-support/fixtures.js";

const SALE = "https://shop.example.com/sale?utm_source=bitly&utm_medium=social";

test("the dashboard's CSV: the custom back-half, else the bitlink's, with title and tags", () => {
  assert.equal(parseBitlyExport(fixture("bitly-links.csv")), {
    rows: [
      {
        line: 2,
        code: "spring-sale",
        url: SALE,
        title: "Spring sale — 20% off everything",
        tags: ["marketing", "sale"],
      },
      { line: 3, code: "48kLmQ2", url: "https://www.example.de/%C3%BCber-uns", title: "Über uns", tags: ["about"] },
      {
        line: 4,
        code: "3Tq0kyo",
        url: "https://example.jp/offices/tokyo",
        title: "東京オフィスのご案内",
        tags: ["jp", "office"],
      },
      {
        line: 5,
        code: "q1-report",
        url: "https://files.example.com/reports/2024-q1.pdf",
        title: "Q1 report (PDF)",
        tags: ["reports"],
      },
      { line: 6, code: "careers", url: "https://jobs.example.com/acme", title: "Careers", tags: ["hr", "recruiting"] },
      {
        line: 7,
        code: "3vWx1Yz",
        url: "https://events.example.com/webinars/scaling-postgres",
        title: 'Webinar: "Scaling Postgres"',
        tags: ["events"],
      },
      { line: 8, code: "go", url: "https://example.com/start", title: "Go", tags: [] },
      { line: 9, code: "3CfE5MN", url: "https://cafe.example.org/menu", title: "Café menu ☕", tags: ["food"] },
      {
        line: 10,
        code: "spring-sale",
        url: SALE,
        title: "Spring sale — 20% off everything",
        tags: ["marketing", "sale"],
      },
      {
        line: 11,
        code: "49nNwSu",
        url: "https://example.com/newsletter",
        title: "Newsletter sign-up",
        tags: ["marketing", "email"],
      },
      { line: 12, code: "3dOcS_v2", url: "https://docs.example.com/api/v2", title: "API docs", tags: ["docs"] },
      {
        line: 13,
        code: "3sUmR24",
        url: "https://shop.example.com/summer",
        title: "Summer campaign",
        tags: ["marketing", "sale", "summer"],
      },
      { line: 14, code: "3St4tUs", url: "https://status.example.com/", title: "Status page", tags: ["ops"] },
    ],
    errors: [],
    unit: "line",
  });
});

test("the older CSV headers (Bitlink, Long URL) are read too", () => {
  const parsed = parseBitlyExport("Bitlink,Long URL,Title,Tags\nbit.ly/2abcDEF,https://example.com/x,X,a|b\n");
  assert.equal(parsed.rows, [{ line: 2, code: "2abcDEF", url: "https://example.com/x", title: "X", tags: ["a", "b"] }]);
});

test("the API's bitlinks JSON: link, custom_bitlinks, long_url, title, tags", () => {
  const parsed = parseBitlyExport(
    JSON.stringify({
      links: [
        {
          created_at: "2024-01-01T00:00:00+0000",
          id: "bit.ly/3abcXYZ",
          link: "https://bit.ly/3abcXYZ",
          custom_bitlinks: ["https://acme.link/hello"],
          long_url: "https://example.com/hello",
          title: "Hello",
          archived: false,
          tags: ["greeting"],
        },
        { link: "https://bit.ly/3defUVW", long_url: "https://example.com/plain", tags: [] },
        { link: "https://bit.ly/3nolong" },
      ],
      pagination: { total: 3, size: 50, prev: "", next: "", page: 1 },
    }),
  );
  assert.equal(parsed, {
    rows: [
      { line: 1, code: "hello", url: "https://example.com/hello", title: "Hello", tags: ["greeting"] },
      { line: 2, code: "3defUVW", url: "https://example.com/plain", tags: [] },
    ],
    errors: [{ line: 3, code: "3nolong", reason: "no long_url" }],
    unit: "item",
  });
});

test("a CSV without a long URL or a short link column is not a Bitly export", () => {
  assert.throws(
    () => parseBitlyExport("keyword,url\nabc,https://example.com/\n"),
    (error: unknown) =>
      error instanceof ExportFormatError &&
      /no long URL column \(looked for Destination URL or Long URL/.test(error.message) &&
      /found "keyword", "url"/.test(error.message),
  );
  assert.throws(
    () => parseBitlyExport("Title,Long URL\nx,https://example.com/\n"),
    (error: unknown) => error instanceof ExportFormatError && /no short link column/.test(error.message),
  );
});

test.run();
