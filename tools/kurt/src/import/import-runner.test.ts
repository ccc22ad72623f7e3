import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RowOutcome } from "./import-outcome.js";
import { planImport } from "./import-plan.js";
import type { ParsedExport } from "./import-row.js";
import { RetryLater, runImport } from "./import-runner.js";
import { fakeKurt } from "./test-support/fake-import-port.js";

const NOW = new Date("2026-12-05T00:00:00Z");

const rows = (count: number, code = (i: number) => `code-${i}`): ParsedExport => ({
  rows: Array.from({ length: count }, (_, i) => ({
    line: i + 2,
    code: code(i),
    url: `https://example.com/${i}`,
    tags: [],
  })),
  errors: [],
  unit: "line",
});

const kinds = (outcomes: readonly RowOutcome[]) => {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome.kind] = (counts[outcome.kind] ?? 0) + 1;
  return counts;
};

test("a first run creates every link under its own code; a second creates nothing and reports all as already imported", async () => {
  const kurt = fakeKurt();
  const plan = planImport(rows(5), { renameInvalid: false, now: NOW });
  const first = await runImport(plan, kurt.port);
  assert.equal(
    first.map((o) => [o.kind, o.line, o.kind === "created" ? o.code : ""]),
    [0, 1, 2, 3, 4].map((i) => ["created", i + 2, `code-${i}`]),
  );
  const second = await runImport(plan, kurt.port);
  assert.equal(kinds(second), { "already-imported": 5 });
  assert.equal(kurt.links.get("")?.size, 5);
  assert.equal(kurt.getLinkCalls.length, 5, "each taken code is looked up");
});

test("a code taken by a link to another URL is a conflict naming both URLs", async () => {
  const kurt = fakeKurt();
  kurt.links.set("go.example.com", new Map([["code-1", "https://elsewhere.example.org/"]]));
  const plan = planImport(rows(3), { domain: "go.example.com", renameInvalid: false, now: NOW });
  const outcomes = await runImport(plan, kurt.port, { domain: "go.example.com" });
  assert.equal(outcomes[1], {
    kind: "conflict",
    line: 3,
    code: "code-1",
    url: "https://example.com/1",
    existingUrl: "https://elsewhere.example.org/",
  });
  assert.equal(kinds(outcomes), { created: 2, conflict: 1 });
  assert.equal([...(kurt.links.get("go.example.com")?.keys() ?? [])].sort(), ["code-0", "code-1", "code-2"]);
});

test("what Kurt refuses as invalid is reported with the row's line and Kurt's reason", async () => {
  const kurt = fakeKurt({
    refuse: (input) =>
      input.code === "code-2" ? { code: 3, message: "url: points back at Kurt (redirect loop)" } : undefined,
  });
  const outcomes = await runImport(planImport(rows(4), { renameInvalid: false, now: NOW }), kurt.port);
  assert.equal(outcomes[2], {
    kind: "invalid",
    line: 4,
    code: "code-2",
    url: "https://example.com/2",
    reason: "url: points back at Kurt (redirect loop)",
  });
});

test("links go in batches of at most 1,000, at most 4 calls in flight, and every row is settled once", async () => {
  const kurt = fakeKurt({ delayMs: 5 });
  const plan = planImport(rows(10_500), { renameInvalid: false, now: NOW });
  const progress: number[] = [];
  const outcomes = await runImport(plan, kurt.port, { onProgress: (n) => progress.push(n) });
  assert.is(outcomes.length, 10_500);
  assert.equal(kinds(outcomes), { created: 10_500 });
  assert.equal(
    [...kurt.batchSizes].sort((a, b) => b - a),
    [...Array(10).fill(1_000), 500],
  );
  assert.is(kurt.maxInFlight, 4);
  assert.is(progress.at(-1), 10_500);
});

test("a smaller batch size and concurrency are honoured", async () => {
  const kurt = fakeKurt({ delayMs: 5 });
  await runImport(planImport(rows(25), { renameInvalid: false, now: NOW }), kurt.port, {
    batchSize: 10,
    concurrency: 2,
  });
  assert.equal(
    kurt.batchSizes.sort((a, b) => a - b),
    [5, 10, 10],
  );
  assert.is(kurt.maxInFlight, 2);
});

test("a batch refused by the rate limit is sent again after the wait it names", async () => {
  const waits: number[] = [];
  const kurt = fakeKurt({
    beforeBatch: (call) => {
      if (call <= 2) throw new RetryLater(250, "write rate limit exceeded; retry in 250 ms");
    },
  });
  const outcomes = await runImport(planImport(rows(3), { renameInvalid: false, now: NOW }), kurt.port, {
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  assert.equal(waits, [250, 250]);
  assert.equal(kinds(outcomes), { created: 3 });
});

test("a batch whose call fails leaves its rows failed, with the reason, and the other batches go on", async () => {
  const kurt = fakeKurt({
    beforeBatch: (call) => {
      if (call === 1) throw new Error("unavailable: connection refused");
    },
  });
  const outcomes = await runImport(planImport(rows(4), { renameInvalid: false, now: NOW }), kurt.port, {
    batchSize: 2,
    concurrency: 1,
  });
  assert.equal(kinds(outcomes), { failed: 2, created: 2 });
  assert.equal(outcomes[0], {
    kind: "failed",
    line: 2,
    code: "code-0",
    url: "https://example.com/0",
    reason: "unavailable: connection refused",
  });
});

test("rows without a code get a generated one, and a rerun finds them by URL instead of creating them again", async () => {
  const kurt = fakeKurt();
  const parsed: ParsedExport = {
    rows: [
      { line: 2, url: "https://example.com/a", tags: [] },
      { line: 3, code: "über", url: "https://example.com/b", tags: [] },
    ],
    errors: [],
    unit: "line",
  };
  const plan = planImport(parsed, { renameInvalid: true, now: NOW });
  const first = await runImport(plan, kurt.port);
  assert.equal(first, [
    { kind: "created", line: 2, code: "gen0001", url: "https://example.com/a" },
    { kind: "created", line: 3, code: "gen0002", url: "https://example.com/b", originalCode: "über" },
  ]);
  const second = await runImport(plan, kurt.port);
  assert.equal(second, [
    { kind: "already-imported", line: 2, code: "gen0001", url: "https://example.com/a" },
    { kind: "already-imported", line: 3, code: "gen0002", url: "https://example.com/b" },
  ]);
  assert.is(kurt.links.get("")?.size, 2);
});

test("rows the plan decided (invalid, duplicates) come back with the sent ones, in line order", async () => {
  const kurt = fakeKurt();
  const parsed: ParsedExport = {
    rows: [
      { line: 2, code: "ok-code", url: "https://example.com/a", tags: [] },
      { line: 3, code: "no", url: "https://example.com/b", tags: [] },
      { line: 4, code: "ok-code", url: "https://example.com/a", tags: [] },
    ],
    errors: [{ line: 5, reason: "no url" }],
    unit: "line",
  };
  const outcomes = await runImport(planImport(parsed, { renameInvalid: false, now: NOW }), kurt.port);
  assert.equal(
    outcomes.map((o) => [o.line, o.kind]),
    [
      [2, "created"],
      [3, "invalid"],
      [4, "duplicate"],
      [5, "invalid"],
    ],
  );
});

test.run();
