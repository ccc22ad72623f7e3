/**
 * Daily partitions and visitor keys against the stack's Postgres, with
 * several "replicas" (separate adapter instances) acting at once. The days
 * used lie far in the past so that nothing real is touched.
 */

import { createPostgresPool } from "@kurt/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import { createPgClickPartitions } from "./pg-click-partitions.js";
import { createPgVisitorKeys } from "./pg-visitor-keys.js";

const env = serviceEnv;
const pool = createPostgresPool({
  connectionString: env.KURT_PG_PRIMARY_URL,
  maxConnections: 8,
  timeoutMs: 10_000,
  onIdleError: () => {},
});

async function partitionDays(): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where i.inhparent = 'clicks'::regclass and c.relname like 'clicks_p1999%' order by 1`,
  );
  return rows.map((row) => row.name);
}

test.after(async () => {
  await createPgClickPartitions(pool).dropBefore("2000-01-01");
  await pool.query("delete from click_visitor_keys where day < '2000-01-01'");
  await pool.end();
});

test("several replicas creating the same partitions at once all succeed, and each day gets one", async () => {
  const days = ["1999-01-01", "1999-01-02", "1999-01-03"];
  await Promise.all(Array.from({ length: 4 }, () => createPgClickPartitions(pool).ensure(days)));
  assert.equal(await partitionDays(), ["clicks_p19990101", "clicks_p19990102", "clicks_p19990103"]);
  const { rows } = await pool.query<{ bound: string }>(
    "select pg_get_expr(relpartbound, oid) as bound from pg_class where relname = 'clicks_p19990102'",
  );
  assert.match(rows[0]?.bound ?? "", /FROM \('1999-01-02 00:00:00\+00'\) TO \('1999-01-03 00:00:00\+00'\)/);
});

test("a click lands in its day's partition", async () => {
  await createPgClickPartitions(pool).ensure(["1999-01-02"]);
  const eventId = crypto.randomUUID();
  await pool.query(
    `insert into clicks (event_id, occurred_at, code, referrer_host, browser, os, device, bot, visitor_hash,
                         user_agent, redirect_status, served_by, request_id)
     values ($1, '1999-01-02T23:59:59.999Z', 'x', 'direct', 'b', 'o', 'd', false, '\\x00', '', 302, 1, '')`,
    [eventId],
  );
  const { rows } = await pool.query<{ partition: string }>(
    "select tableoid::regclass::text as partition from clicks where event_id = $1",
    [eventId],
  );
  assert.is(rows[0]?.partition, "clicks_p19990102");
});

test("dropping before a day drops exactly the older partitions, with their clicks", async () => {
  const partitions = createPgClickPartitions(pool);
  await partitions.ensure(["1999-01-01", "1999-01-02", "1999-01-03"]);
  assert.equal(await partitions.dropBefore("1999-01-03"), ["1999-01-01", "1999-01-02"]);
  assert.equal(await partitionDays(), ["clicks_p19990103"]);
  assert.equal(await partitions.dropBefore("1999-01-03"), [], "a second drop finds nothing");
  // The adapter forgot the dropped days: asking for one creates it again.
  await partitions.ensure(["1999-01-02"]);
  assert.equal(await partitionDays(), ["clicks_p19990102", "clicks_p19990103"]);
});

test("replicas asking for a day's visitor key at once all get the same one", async () => {
  const keys = await Promise.all(Array.from({ length: 5 }, () => createPgVisitorKeys(pool).keyFor("1999-02-01")));
  assert.is(new Set(keys.map((key) => key.toString("hex"))).size, 1);
  assert.is(keys[0]?.length, 32);
  const other = await createPgVisitorKeys(pool).keyFor("1999-02-02");
  assert.not.equal(other, keys[0], "each day has its own key");
});

test("old visitor keys are deleted, and a deleted day's key is not reused from memory", async () => {
  const visitorKeys = createPgVisitorKeys(pool);
  const before = await visitorKeys.keyFor("1999-03-01");
  await visitorKeys.keyFor("1999-03-05");
  assert.ok((await visitorKeys.deleteBefore("1999-03-05")) >= 1);
  const { rows } = await pool.query<{ day: string }>(
    "select day::text from click_visitor_keys where day between '1999-03-01' and '1999-03-31' order by day",
  );
  assert.equal(
    rows.map((row) => row.day),
    ["1999-03-05"],
  );
  const after = await visitorKeys.keyFor("1999-03-01");
  assert.not.equal(after, before, "a new key: the old hashes can no longer be linked");
});

test.run();
