import { createPostgresPool } from "@kurt/platform";
import pg from "pg";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv, topology } from "../../../../tests/support/stack.js";
import { primaryConnectionString } from "../../../../tests/support/tool.js";
import { createPostgresVisitCounter } from "./postgres-visit-counter.js";

// The visit count on the real primary, through PgBouncer as the resolver reaches it (ADR 30).
const pool = createPostgresPool({
  connectionString: serviceEnv.KURT_PG_PRIMARY_URL,
  maxConnections: 8,
  timeoutMs: 5_000,
  onIdleError: (error) => {
    throw error;
  },
});
const counter = createPostgresVisitCounter(pool);
const writer = new pg.Client(primaryConnectionString(topology));
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

async function insertLink(code: string, maxVisits: number | null): Promise<void> {
  await writer.query("insert into links (code, url, max_visits) values ($1, $2, $3)", [
    code,
    `https://example.com/${code}`,
    maxVisits,
  ]);
}

const visitsOf = async (code: string) =>
  (await writer.query<{ visits: number }>("select visits from links where domain = '' and code = $1", [code])).rows[0]
    ?.visits;

test.before(async () => {
  await writer.connect();
});

test.after(async () => {
  await Promise.all([writer.end(), pool.end()]);
});

test("200 takes at once on a cap of 25 grant exactly 25, and the row says 25", async () => {
  const code = unique("cap");
  await insertLink(code, 25);
  const granted = await Promise.all(Array.from({ length: 200 }, () => counter.take("", code)));
  assert.is(granted.filter(Boolean).length, 25);
  assert.is(await visitsOf(code), 25);
  assert.is(await counter.hasLeft("", code), false);
});

test("hasLeft takes nothing; a link whose cap was removed is let through uncounted", async () => {
  const code = unique("left");
  await insertLink(code, 2);
  assert.ok(await counter.hasLeft("", code));
  assert.ok(await counter.hasLeft("", code));
  assert.is(await visitsOf(code), 0);
  assert.ok(await counter.take("", code));
  await writer.query("update links set max_visits = null where domain = '' and code = $1", [code]);
  for (let i = 0; i < 3; i++) assert.ok(await counter.take("", code));
  assert.is(await visitsOf(code), 1);
});

test("a deleted or unknown link grants nothing", async () => {
  const code = unique("gone");
  await insertLink(code, 5);
  await writer.query("update links set deleted_at = now() where domain = '' and code = $1", [code]);
  assert.not.ok(await counter.take("", code));
  assert.not.ok(await counter.hasLeft("", code));
  assert.not.ok(await counter.take("", unique("none")));
});

test.run();
