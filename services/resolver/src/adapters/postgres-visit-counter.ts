import { orUnavailable } from "@kurt/platform";
import type pg from "pg";
import type { VisitCounter } from "../domain/visit-gate.js";

// One statement each (PgBouncer transaction pooling, unnamed). The update
// takes a visit only while one is left; a link whose cap was removed
// meanwhile is let through without counting.
const TAKE = `
  with taken as (
    update links set visits = visits + 1
    where domain = $1 and code = $2 and deleted_at is null and max_visits is not null and visits < max_visits
    returning 1)
  select exists (select 1 from taken)
      or exists (select 1 from links where domain = $1 and code = $2 and deleted_at is null and max_visits is null)
    as granted`;

const HAS_LEFT = `
  select max_visits is null or visits < max_visits as left
  from links where domain = $1 and code = $2 and deleted_at is null`;

/** The visit count on the primary (never a replica: it must see every visit taken). */
export function createPostgresVisitCounter(primary: pg.Pool): VisitCounter {
  return {
    async take(domain, code) {
      const { rows } = await orUnavailable(() => primary.query<{ granted: boolean }>(TAKE, [domain, code]));
      return rows[0]?.granted === true;
    },
    async hasLeft(domain, code) {
      const { rows } = await orUnavailable(() => primary.query<{ left: boolean }>(HAS_LEFT, [domain, code]));
      return rows[0]?.left === true;
    },
  };
}
