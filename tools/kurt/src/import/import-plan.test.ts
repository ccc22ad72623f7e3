import { test } from "uvu";
import * as assert from "uvu/assert";
import { planImport } from "./import-plan.js";
import type { ImportRow, ParsedExport } from "./import-row.js";

const NOW = new Date("2026-12-05T00:00:00Z");
const parsed = (...rows: ImportRow[]): ParsedExport => ({ rows, errors: [], unit: "line" });

test("a row becomes a create with every field Kurt has, under --domain", () => {
  const plan = planImport(
    parsed({
      line: 2,
      code: "spring",
      url: "https://example.com/s",
      title: "Spring",
      tags: ["a"],
      expiresAt: new Date("2030-01-01T00:00:00Z"),
      validSince: new Date("2029-01-01T00:00:00Z"),
      maxVisits: 10,
      forwardQuery: true,
    }),
    { domain: "go.example.com", renameInvalid: false, now: NOW },
  );
  assert.equal(plan, {
    links: [
      {
        line: 2,
        input: {
          url: "https://example.com/s",
          code: "spring",
          domain: "go.example.com",
          title: "Spring",
          tags: ["a"],
          expiresAt: new Date("2030-01-01T00:00:00Z"),
          validSince: new Date("2029-01-01T00:00:00Z"),
          maxVisits: 10,
          forwardQuery: true,
        },
      },
    ],
    outcomes: [],
  });
});

test("a code that does not fit Kurt is reported, or with --rename-invalid sent without a code", () => {
  const rows = parsed(
    { line: 2, code: "ab", url: "https://example.com/a", tags: [] },
    { line: 3, code: "promo/2024", url: "https://example.com/b", tags: [] },
    { line: 4, code: "x".repeat(65), url: "https://example.com/c", tags: [] },
  );
  const strict = planImport(rows, { renameInvalid: false, now: NOW });
  assert.equal(strict.links, []);
  assert.equal(
    strict.outcomes.map((o) => [o.line, o.kind, o.code]),
    [
      [2, "invalid", "ab"],
      [3, "invalid", "promo/2024"],
      [4, "invalid", "x".repeat(65)],
    ],
  );
  const first = strict.outcomes[0];
  assert.is(
    first?.kind === "invalid" && first.reason,
    'code "ab" does not fit Kurt\'s codes ([A-Za-z0-9_-], 3 to 64 characters); --rename-invalid imports it under a generated code',
  );
  const renamed = planImport(rows, { renameInvalid: true, now: NOW });
  assert.equal(renamed.outcomes, []);
  assert.equal(
    renamed.links.map((l) => [l.line, l.input.code, l.originalCode]),
    [
      [2, undefined, "ab"],
      [3, undefined, "promo/2024"],
      [4, undefined, "x".repeat(65)],
    ],
  );
});

test("an expiry already past, or a URL that is not http(s), is reported and not sent", () => {
  const plan = planImport(
    parsed(
      { line: 2, code: "old", url: "https://example.com/a", tags: [], expiresAt: new Date("2024-01-01T00:00:00Z") },
      { line: 3, code: "ftp", url: "ftp://example.com/b", tags: [] },
      { line: 4, code: "rel", url: "/relative/path", tags: [] },
    ),
    { renameInvalid: false, now: NOW },
  );
  assert.equal(plan.links, []);
  assert.equal(plan.outcomes, [
    {
      kind: "invalid",
      line: 2,
      code: "old",
      url: "https://example.com/a",
      reason: "expired on 2024-01-01T00:00:00.000Z (Kurt takes only an expiry in the future)",
    },
    {
      kind: "invalid",
      line: 3,
      code: "ftp",
      url: "ftp://example.com/b",
      reason: 'url: "ftp://example.com/b" is not an absolute http or https URL',
    },
    {
      kind: "invalid",
      line: 4,
      code: "rel",
      url: "/relative/path",
      reason: 'url: "/relative/path" is not an absolute http or https URL',
    },
  ]);
});

test("a repeated code is a duplicate for the same URL and a conflict for another; without a code the URL decides", () => {
  const plan = planImport(
    parsed(
      { line: 2, code: "abc", url: "https://example.com/a", tags: [] },
      { line: 3, code: "abc", url: "https://EXAMPLE.com/a", tags: [] },
      { line: 4, code: "abc", url: "https://example.com/other", tags: [] },
      { line: 5, url: "https://example.com/x", tags: [] },
      { line: 6, url: "https://example.com/x", tags: ["again"] },
    ),
    { renameInvalid: false, now: NOW },
  );
  assert.equal(
    plan.links.map((l) => l.line),
    [2, 5],
  );
  assert.equal(plan.outcomes, [
    { kind: "duplicate", line: 3, code: "abc", url: "https://EXAMPLE.com/a", firstLine: 2 },
    {
      kind: "conflict",
      line: 4,
      code: "abc",
      url: "https://example.com/other",
      existingUrl: "https://example.com/a",
      firstLine: 2,
    },
    { kind: "duplicate", line: 6, url: "https://example.com/x", firstLine: 5 },
  ]);
});

test("the parser's row errors are reported as invalid", () => {
  const plan = planImport(
    { rows: [], errors: [{ line: 7, code: "x1", reason: "no url" }], unit: "item" },
    { renameInvalid: false, now: NOW },
  );
  assert.equal(plan.outcomes, [{ kind: "invalid", line: 7, code: "x1", reason: "no url" }]);
});

test.run();
