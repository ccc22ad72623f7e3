import pg from "pg";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv, uniqueName } from "../support/stack.js";
import { PGBOUNCER_SERVER_LIFETIME_S, waitFor } from "../support/tool.js";

test("a row written on the primary through PgBouncer is read on the replica through PgBouncer", async () => {
  const primary = new pg.Client({ connectionString: serviceEnv.KURT_PG_PRIMARY_URL });
  const replica = new pg.Client({ connectionString: serviceEnv.KURT_PG_REPLICA_URL });
  // A dropped connection fails the pending query; without a listener it would also crash the run.
  for (const client of [primary, replica]) client.on("error", () => {});
  await primary.connect();
  await replica.connect();
  const table = uniqueName("smoke");
  try {
    assert.is((await primary.query("select pg_is_in_recovery() as r")).rows[0].r, false, "primary is not in recovery");
    // Right after a failover test the pool may still hold server connections the router gave to the leader while
    // no replica was healthy; PgBouncer replaces them within its server_lifetime, and then reads are a standby's.
    await waitFor(
      "the replica pool to read from a hot standby",
      async () => ((await replica.query("select pg_is_in_recovery() as r")).rows[0].r === true ? true : undefined),
      { timeoutMs: (PGBOUNCER_SERVER_LIFETIME_S + 15) * 1_000, intervalMs: 500 },
    );
    await primary.query(`create table ${table} (id int primary key, note text)`);
    await primary.query(`insert into ${table} values (1, $1)`, ["written on the primary"]);
    const note = await waitFor(
      `row on the replica`,
      async () => {
        const result = await replica.query(`select note from ${table} where id = 1`).catch(() => undefined);
        return result?.rows[0]?.note as string | undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    assert.is(note, "written on the primary");
    const write = await replica.query(`insert into ${table} values (2, 'x')`).then(
      () => "accepted",
      (e: Error) => e.message,
    );
    assert.match(write, /read-only transaction/, "the replica refuses writes");
  } finally {
    await primary.query(`drop table if exists ${table}`);
    await primary.end();
    await replica.end();
  }
});

test.run();
