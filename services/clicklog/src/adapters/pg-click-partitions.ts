import type pg from "pg";
import type { ClickPartitions } from "../domain/click-ports.js";
import { addDays } from "../domain/utc-time.js";
import { inTransaction } from "./pg-transaction.js";

/** Serialises partition DDL across replicas; any constant works if all replicas share it. */
const PARTITION_LOCK = 7_402_154_992;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PARTITION_NAME = /^clicks_p(\d{4})(\d{2})(\d{2})$/;
// Partition DDL locks the parent table briefly; rather than queue every
// insert behind a DDL that waits on a long transaction, give up and retry later.
const BEGIN_DDL = "begin; set local lock_timeout = '5s'";

function partitionName(day: string): string {
  return `clicks_p${day.replaceAll("-", "")}`;
}

function checkedDay(day: string): string {
  // Days end up in DDL, which takes no parameters: only this exact shape passes.
  if (!DAY.test(day)) throw new Error(`not a day: ${JSON.stringify(day)}`);
  return day;
}

/**
 * One partition of `clicks` per UTC day. Several replicas may create or drop
 * the same partitions at the same moment; a transaction-scoped advisory lock
 * (which PgBouncer's transaction pooling allows) makes them take turns, and
 * IF [NOT] EXISTS makes the late one a no-op.
 */
export function createPgClickPartitions(pool: pg.Pool): ClickPartitions {
  // Days known to have a partition, so that a batch costs no DDL round trip.
  const known = new Set<string>();
  return {
    async ensure(days) {
      const missing = [...new Set(days)].filter((day) => !known.has(checkedDay(day))).sort();
      if (missing.length === 0) return;
      await inTransaction(
        pool,
        async (client) => {
          await client.query("select pg_advisory_xact_lock($1)", [PARTITION_LOCK]);
          for (const day of missing) {
            await client.query(
              `create table if not exists ${partitionName(day)} partition of clicks
               for values from ('${day} 00:00:00+00') to ('${addDays(day, 1)} 00:00:00+00')`,
            );
          }
        },
        BEGIN_DDL,
      );
      for (const day of missing) known.add(day);
    },

    async dropBefore(day) {
      checkedDay(day);
      const dropped = await inTransaction(
        pool,
        async (client) => {
          await client.query("select pg_advisory_xact_lock($1)", [PARTITION_LOCK]);
          const { rows } = await client.query<{ name: string }>(
            `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
             where i.inhparent = 'clicks'::regclass`,
          );
          const days: string[] = [];
          for (const { name } of rows) {
            const match = PARTITION_NAME.exec(name);
            if (!match) continue;
            const partitionDay = `${match[1]}-${match[2]}-${match[3]}`;
            if (partitionDay >= day) continue;
            await client.query(`drop table if exists ${name}`);
            days.push(partitionDay);
          }
          return days.sort();
        },
        BEGIN_DDL,
      );
      for (const gone of dropped) known.delete(gone);
      return dropped;
    },

    forget() {
      known.clear();
    },
  };
}
