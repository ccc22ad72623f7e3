import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseGenericCsv } from "./generic-csv.js";
import { ExportFormatError } from "./import-row.js";
import { fixture } from "./test-support/fixtures.js";

test("url, code, title, tags (| or ;), expiresAt, validSince, maxVisits; unreadable rows reported by line", () => {
  const handbook = {
    code: "handbook",
    url: "https://example.com/handbook",
    title: "Employee handbook",
    tags: ["hr", "docs"],
  };
  assert.equal(parseGenericCsv(fixture("links.csv")), {
    rows: [
      { line: 2, ...handbook },
      {
        line: 3,
        code: "party-2031",
        url: "https://example.com/holiday-party",
        title: "Holiday party 🎄",
        tags: ["events", "social"],
        expiresAt: new Date("2031-12-31T23:00:00Z"),
        maxVisits: 200,
      },
      {
        line: 4,
        code: "old-offer",
        url: "https://example.com/old-offer",
        title: "Old offer",
        tags: ["marketing"],
        expiresAt: new Date("2024-01-31T00:00:00Z"),
      },
      { line: 5, url: "https://example.com/ünïcödé", title: "Ünïcödé path", tags: ["i18n"] },
      { line: 6, url: "https://example.com/no-code", title: "A link without a code", tags: [] },
      { line: 7, ...handbook },
      { line: 8, code: "bad code", url: "https://example.com/bad code", title: "A code with a space", tags: [] },
      {
        line: 9,
        code: "launch-day",
        url: "https://example.com/launch",
        title: "Launch day",
        tags: [],
        validSince: new Date("2030-01-01T09:00:00Z"),
      },
      { line: 12, code: "ftp-files", url: "ftp://files.example.com/pub", title: "Not http", tags: [] },
      { line: 13, code: "same-code", url: "https://example.com/conflict-a", title: "First of two", tags: [] },
      { line: 14, code: "same-code", url: "https://example.com/conflict-b", title: "Second of two", tags: [] },
      { line: 15, url: "https://example.com/no-code", title: "A link without a code (again)", tags: [] },
      {
        line: 16,
        code: "jp-link",
        url: "https://例え.jp/パス",
        title: "日本語のリンク",
        tags: ["jp", "i18n"],
        maxVisits: 5,
      },
    ],
    errors: [
      {
        line: 10,
        code: "when",
        url: "https://example.com/when",
        reason: 'expiresAt: "next tuesday" is not an ISO 8601 date',
      },
      { line: 11, code: "orphan", reason: "no url" },
    ],
    unit: "line",
  });
});

test("a spreadsheet's semicolon CSV with a byte-order mark and other column spellings", () => {
  const parsed = parseGenericCsv("\uFEFFURL;Code;Expires_At;Tags\nhttps://example.com/a;abc;2030-01-01;x|y\n");
  assert.equal(parsed.rows, [
    {
      line: 2,
      code: "abc",
      url: "https://example.com/a",
      tags: ["x", "y"],
      expiresAt: new Date("2030-01-01T00:00:00Z"),
    },
  ]);
});

test("a quoted field over several lines: the next record keeps its own line number", () => {
  const parsed = parseGenericCsv('url,title\nhttps://example.com/a,"two\nlines"\n\nhttps://example.com/b,b\n');
  assert.equal(
    parsed.rows.map((row) => [row.line, row.title]),
    [
      [2, "two\nlines"],
      [5, "b"],
    ],
  );
});

test("no url column, an empty file or broken quoting is the file's fault, naming what is wrong", () => {
  const fails = (text: string, pattern: RegExp) =>
    assert.throws(
      () => parseGenericCsv(text),
      (error: unknown) => error instanceof ExportFormatError && pattern.test(error.message),
    );
  fails("link,code\nhttps://example.com/,abc\n", /csv file: no url column \(looked for url; found "link", "code"\)/);
  fails("", /the file is empty/);
  fails('url,title\nhttps://example.com/,"unclosed\n', /not readable as CSV: Quote Not Closed/);
});

test.run();
