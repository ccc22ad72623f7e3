import { primaryConnectionString, withPgClient } from "@kurt/tool";
import { topology } from "./stack.js";

/**
 * A summary of every row of `links` on the primary: if it is the same
 * before and after a call, the call created, changed and deleted nothing.
 */
export async function linksFingerprint(): Promise<string> {
  return withPgClient(primaryConnectionString(topology), async (client) => {
    const { rows } = await client.query(
      "select count(*)::int as n, coalesce(max(updated_at)::text, '') as u, coalesce(max(created_at)::text, '') as c, count(deleted_at)::int as d from links",
    );
    const row = rows[0] as { n: number; u: string; c: string; d: number };
    return `${row.n} rows, ${row.d} deleted, newest created ${row.c}, newest update ${row.u}`;
  });
}
