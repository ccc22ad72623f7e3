import { test } from "uvu";
import * as assert from "uvu/assert";
import type { StoredKeyGrant } from "./authenticate.js";
import { createCachedKeyLookup } from "./cached-key-lookup.js";

/** A table of keys by hash, a count of lookups, and a clock the test moves. */
function fixture() {
  const rows = new Map<string, StoredKeyGrant>();
  const state = { lookups: 0, clock: 0 };
  const gates: Array<() => void> = [];
  let held = false;
  const source = async (hash: Buffer) => {
    state.lookups++;
    // The answer reflects the table when the lookup starts, as a statement's snapshot would.
    const row = rows.get(hash.toString("hex"));
    if (held) await new Promise<void>((resolve) => gates.push(resolve));
    return row;
  };
  const hold = () => {
    held = true;
  };
  const release = () => {
    held = false;
    for (const gate of gates.splice(0)) gate();
  };
  return { rows, state, source, hold, release, now: () => state.clock };
}

const hash = Buffer.alloc(32, 1);
const key = (revokedAt: Date | null = null): StoredKeyGrant => ({ id: "k1", scopes: ["links:write"], revokedAt });
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

test("a known key is looked up once per period, not once per call", async () => {
  const f = fixture();
  f.rows.set(hash.toString("hex"), key());
  const cache = createCachedKeyLookup(f.source, { maxAgeMs: 1_000, now: f.now });
  for (let i = 0; i < 100; i++) assert.is((await cache.lookup(hash))?.id, "k1");
  assert.is(f.state.lookups, 1);
});

test("concurrent first calls share one lookup", async () => {
  const f = fixture();
  f.rows.set(hash.toString("hex"), key());
  const cache = createCachedKeyLookup(f.source, { maxAgeMs: 1_000, now: f.now });
  const answers = await Promise.all(Array.from({ length: 50 }, () => cache.lookup(hash)));
  assert.ok(answers.every((answer) => answer?.id === "k1"));
  assert.is(f.state.lookups, 1);
});

test("past half its age an answer is still used while a refresh runs in the background", async () => {
  const f = fixture();
  f.rows.set(hash.toString("hex"), key());
  const cache = createCachedKeyLookup(f.source, { maxAgeMs: 1_000, now: f.now });
  await cache.lookup(hash);
  f.state.clock = 600;
  f.hold();
  const answer = await cache.lookup(hash);
  assert.is(answer?.id, "k1", "answered without waiting for the refresh");
  assert.is(f.state.lookups, 2);
  f.release();
});

test("a revocation elsewhere is seen once the answer is maxAgeMs old, counted from its lookup's start", async () => {
  const f = fixture();
  f.rows.set(hash.toString("hex"), key());
  const cache = createCachedKeyLookup(f.source, { maxAgeMs: 1_000, now: f.now });
  await cache.lookup(hash);
  f.rows.set(hash.toString("hex"), key(new Date()));
  f.state.clock = 999;
  // A refresh started now sees the revocation, but this call may still use the old answer.
  assert.is((await cache.lookup(hash))?.revokedAt, null);
  await settle();
  assert.not.equal((await cache.lookup(hash))?.revokedAt, null, "the refresh's answer is used as soon as it is in");

  const g = fixture();
  g.rows.set(hash.toString("hex"), key());
  const other = createCachedKeyLookup(g.source, { maxAgeMs: 1_000, now: g.now });
  await other.lookup(hash);
  g.rows.set(hash.toString("hex"), key(new Date()));
  g.state.clock = 1_000;
  assert.not.equal((await other.lookup(hash))?.revokedAt, null, "at maxAgeMs the old answer is never used");
});

test("forget drops the key at once, and a lookup in flight before it is not kept", async () => {
  const f = fixture();
  f.rows.set(hash.toString("hex"), key());
  const cache = createCachedKeyLookup(f.source, { maxAgeMs: 1_000, now: f.now });
  await cache.lookup(hash);
  f.state.clock = 600;
  f.hold();
  await cache.lookup(hash); // starts a refresh that read the row before the revocation
  f.rows.set(hash.toString("hex"), key(new Date()));
  cache.forget("k1");
  f.release();
  await settle();
  assert.not.equal((await cache.lookup(hash))?.revokedAt, null);
});

test("unknown keys are not held: a key issued a moment later works at once", async () => {
  const f = fixture();
  const cache = createCachedKeyLookup(f.source, { maxAgeMs: 1_000, now: f.now });
  assert.is(await cache.lookup(hash), undefined);
  f.rows.set(hash.toString("hex"), key());
  assert.is((await cache.lookup(hash))?.id, "k1");
});

test("a failed lookup is not held either: the next call asks again", async () => {
  let fail = true;
  let lookups = 0;
  const cache = createCachedKeyLookup(
    async () => {
      lookups++;
      if (fail) throw new Error("database down");
      return key();
    },
    { maxAgeMs: 1_000, now: () => 0 },
  );
  await cache.lookup(hash).then(
    () => assert.unreachable("should fail"),
    (error: Error) => assert.match(error.message, /database down/),
  );
  fail = false;
  assert.is((await cache.lookup(hash))?.id, "k1");
  assert.is(lookups, 2);
});

test("at most maxEntries keys are held, the oldest dropped first", async () => {
  let lookups = 0;
  const cache = createCachedKeyLookup(
    async (h) => {
      lookups++;
      return { id: h.toString("hex"), scopes: [], revokedAt: null };
    },
    { maxAgeMs: 1_000, maxEntries: 2, now: () => 0 },
  );
  const a = Buffer.alloc(32, 1);
  const b = Buffer.alloc(32, 2);
  const c = Buffer.alloc(32, 3);
  for (const h of [a, b, c]) await cache.lookup(h);
  await cache.lookup(c);
  await cache.lookup(b);
  assert.is(lookups, 3);
  await cache.lookup(a);
  assert.is(lookups, 4, "the oldest was dropped");
});

test.run();
