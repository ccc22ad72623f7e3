import { randomBytes } from "node:crypto";
import pg from "pg";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import type { NewLink } from "../domain/link.js";
import { createPgLinkStore } from "./pg-link-store.js";

// Against the running stack's primary, through PgBouncer, as the service itself connects.
const pool = new pg.Pool({ connectionString: serviceEnv.KURT_PG_PRIMARY_URL, max: 20 });
const store = createPgLinkStore(pool);

const uniqueCode = (prefix: string) => `${prefix}-${randomBytes(6).toString("base64url")}`;

function draft(code: string, overrides: Partial<NewLink> = {}): NewLink {
  return {
    domain: "",
    code,
    url: "https://example.com/",
    redirectStatus: 302,
    cacheSeconds: 0,
    title: null,
    tags: [],
    expiresAt: null,
    validSince: null,
    maxVisits: null,
    passwordHash: null,
    rules: [],
    forwardQuery: false,
    createdByKey: null,
    ...overrides,
  };
}

test("an insert answers the committed row with its timestamps", async () => {
  const code = uniqueCode("ins");
  const expiresAt = new Date(Date.now() + 3_600_000);
  const link = await store.insert(
    draft(code, { url: "https://example.com/a", redirectStatus: 308, title: "T", tags: ["a", "b"], expiresAt }),
  );
  assert.ok(link);
  assert.is(link.code, code);
  assert.is(link.redirectStatus, 308);
  assert.equal(link.tags, ["a", "b"]);
  assert.is(link.title, "T");
  assert.is(link.expiresAt?.getTime(), expiresAt.getTime());
  assert.is(link.disabled, false);
  assert.is(link.deletedAt, null);
  assert.ok(link.createdAt instanceof Date);
  assert.equal(await store.find({ domain: "", code: code }), link);
});

test("an insert of a taken code answers nothing and leaves the first row as it was", async () => {
  const code = uniqueCode("dup");
  const first = await store.insert(draft(code, { url: "https://first.example/" }));
  assert.ok(first);
  assert.is(await store.insert(draft(code, { url: "https://second.example/" })), undefined);
  assert.is((await store.find({ domain: "", code: code }))?.url, "https://first.example/");
});

test("codes are case-sensitive: abc and ABC are two links", async () => {
  const code = uniqueCode("case")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x");
  assert.ok(await store.insert(draft(code)));
  assert.ok(await store.insert(draft(code.toUpperCase())), "the upper-case code is a different one");
});

test("200 concurrent inserts of the same code: exactly one wins", async () => {
  const code = uniqueCode("race");
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => store.insert(draft(code, { url: `https://example.com/${i}` }))),
  );
  const winners = results.filter((link) => link !== undefined);
  assert.is(winners.length, 1);
  assert.is((await store.find({ domain: "", code: code }))?.url, winners[0]?.url);
});

test("a deleted link keeps its code: it cannot be created again", async () => {
  const code = uniqueCode("del");
  assert.ok(await store.insert(draft(code)));
  const deleted = await store.markDeleted({ domain: "", code: code });
  assert.ok(deleted?.deletedAt instanceof Date);
  assert.is(
    await store.markDeleted({ domain: "", code: code }),
    undefined,
    "deleting twice finds nothing the second time",
  );
  assert.is(await store.insert(draft(code)), undefined);
  assert.is(
    await store.update({ domain: "", code: code }, { disabled: true }),
    undefined,
    "a deleted link cannot be updated",
  );
  assert.ok((await store.find({ domain: "", code: code }))?.deletedAt, "find still answers the deleted row");
});

test("an update changes only the fields given, and each version is at least 1 ms newer", async () => {
  const code = uniqueCode("upd");
  const created = await store.insert(draft(code, { title: "keep", tags: ["x"] }));
  assert.ok(created);
  let previous = created.updatedAt.getTime();
  for (let i = 0; i < 5; i++) {
    const updated = await store.update({ domain: "", code: code }, { disabled: i % 2 === 0 });
    assert.ok(updated);
    assert.ok(updated.updatedAt.getTime() > previous, "versions never tie at millisecond precision");
    previous = updated.updatedAt.getTime();
    assert.is(updated.title, "keep");
    assert.equal(updated.tags, ["x"]);
  }
  const changed = await store.update(
    { domain: "", code: code },
    {
      url: "https://example.org/new",
      redirectStatus: 301,
      title: null,
      tags: [],
      expiresAt: new Date(Date.now() + 60_000),
    },
  );
  assert.ok(changed);
  assert.is(changed.url, "https://example.org/new");
  assert.is(changed.redirectStatus, 301);
  assert.is(changed.title, null);
  assert.equal(changed.tags, []);
  assert.ok(changed.expiresAt);
  assert.is(changed.createdAt.getTime(), created.createdAt.getTime());
  const cleared = await store.update({ domain: "", code: code }, { expiresAt: null });
  assert.is(cleared?.expiresAt, null);
  assert.is(await store.update({ domain: "", code: uniqueCode("none") }, { disabled: true }), undefined);
});

test("listing pages newest first without repeating or skipping a link", async () => {
  const mine: string[] = [];
  for (let i = 0; i < 7; i++) {
    const code = uniqueCode(`list${i}`);
    await store.insert(draft(code));
    mine.push(code);
  }
  await store.markDeleted({ domain: "", code: mine[3] as string });
  const expected = mine.filter((_, i) => i !== 3).reverse();
  const seen: string[] = [];
  let after: Parameters<typeof store.list>[1];
  // Pages of 2 until the oldest of ours went by; links of other runs may be interleaved before ours.
  while (!seen.includes(mine[0] as string)) {
    const page = await store.list(2, after);
    assert.ok(page.length > 0, "the listing ended before our oldest link");
    for (const row of page) seen.push(row.link.code);
    after = page.at(-1)?.position;
  }
  assert.is(new Set(seen).size, seen.length, "no link twice");
  assert.equal(
    seen.filter((code) => mine.includes(code)),
    expected,
  );
});

test("a position survives the round trip through its microseconds", async () => {
  const code = uniqueCode("pos");
  await store.insert(draft(code));
  const all = await store.list(500, undefined);
  const index = all.findIndex((row) => row.link.code === code);
  const here = all[index];
  assert.ok(here);
  const next = await store.list(1, here.position);
  assert.is(next[0]?.link.code, all[index + 1]?.link.code, "the page after a position starts right after it");
  const { rows } = await pool.query<{ same: boolean }>(
    "select created_at = timestamptz 'epoch' + $2::bigint * interval '1 microsecond' as same from links where code = $1",
    [code, here.position.createdAtMicros.toString()],
  );
  assert.is(rows[0]?.same, true, "the microseconds give back the exact timestamp");
});

const batching = createPgLinkStore(pool, { maxBatch: 50, maxInFlight: 2 });

test("insertMany commits the links in one statement and answers each as an insert would", async () => {
  const taken = uniqueCode("many-taken");
  assert.ok(await store.insert(draft(taken, { url: "https://first.example/" })));
  const expiresAt = new Date(Date.now() + 3_600_000);
  const drafts = [
    draft(uniqueCode("many"), {
      url: "https://example.com/1",
      redirectStatus: 308,
      title: "T",
      tags: ["a", "b"],
      expiresAt,
    }),
    draft(taken, { url: "https://second.example/" }),
    draft(uniqueCode("many"), { url: "https://example.com/3", tags: ["é", "x,y", '"q"'] }),
  ];
  const results = await batching.insertMany(drafts);
  assert.equal(
    results.map((r) => r.status),
    ["fulfilled", "fulfilled", "fulfilled"],
  );
  const [first, second, third] = results.map((r) => (r.status === "fulfilled" ? r.value : undefined));
  assert.ok(first);
  assert.is(first.redirectStatus, 308);
  assert.is(first.title, "T");
  assert.equal(first.tags, ["a", "b"]);
  assert.is(first.expiresAt?.getTime(), expiresAt.getTime());
  assert.equal(await store.find({ domain: "", code: first.code }), first);
  assert.is(second, undefined, "a taken code answers nothing");
  assert.is((await store.find({ domain: "", code: taken }))?.url, "https://first.example/");
  assert.ok(third);
  assert.equal(third.tags, ["é", "x,y", '"q"']);
  assert.is(first.createdAt.getTime(), third.createdAt.getTime(), "one statement, one transaction");
});

test("a create that fails in a batch fails alone: the others are committed", async () => {
  const good = [uniqueCode("ok"), uniqueCode("ok")];
  const bad = uniqueCode("bad");
  // The table's check refuses it (the domain would never send it): the statement fails for everyone.
  const results = await batching.insertMany([
    draft(good[0] as string),
    draft(bad, { url: `https://example.com/${"x".repeat(8_200)}` }),
    draft(good[1] as string),
  ]);
  assert.equal(
    results.map((r) => r.status),
    ["fulfilled", "rejected", "fulfilled"],
  );
  for (const code of good) assert.ok(await store.find({ domain: "", code: code }), `${code} committed`);
  assert.is(await store.find({ domain: "", code: bad }), undefined);
});

test("with batching, concurrent inserts are all committed, and of 200 on one code exactly one wins", async () => {
  const codes = Array.from({ length: 300 }, () => uniqueCode("conc"));
  const links = await Promise.all(codes.map((code) => batching.insert(draft(code))));
  assert.equal(
    links.map((link) => link?.code),
    codes,
  );
  const { rows } = await pool.query("select count(*)::int as n from links where code = any($1)", [codes]);
  assert.is(rows[0]?.n, 300);
  assert.ok(new Set(links.map((link) => link?.createdAt.getTime())).size < 300, "some inserts shared a statement");

  const code = uniqueCode("race-batched");
  const outcomes = await Promise.all(
    Array.from({ length: 200 }, (_, i) => batching.insert(draft(code, { url: `https://example.com/${i}` }))),
  );
  assert.is(outcomes.filter((link) => link !== undefined).length, 1);
});

test.after(() => pool.end());
test.run();
