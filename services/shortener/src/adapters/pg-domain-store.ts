import { orUnavailable } from "@kurt/platform";
import type pg from "pg";
import type { Domain, DomainChanges, DomainStore } from "../domain/domain.js";

interface DomainRow {
  name: string;
  root_redirect: string | null;
  not_found_redirect: string | null;
  created_at: Date;
}

const COLUMNS = "name, root_redirect, not_found_redirect, created_at";

const toDomain = (row: DomainRow): Domain => ({
  name: row.name,
  rootRedirect: row.root_redirect,
  notFoundRedirect: row.not_found_redirect,
  createdAt: row.created_at,
});

/** The domains table, one statement per call (PgBouncer transaction pooling, unnamed statements). */
export function createPgDomainStore(pool: pg.Pool): DomainStore {
  const query = <R extends pg.QueryResultRow>(text: string, values: unknown[]) =>
    orUnavailable(() => pool.query<R>(text, values));
  return {
    async insert(domain) {
      const { rows } = await query<DomainRow>(
        `insert into domains (name, root_redirect, not_found_redirect) values ($1, $2, $3)
         on conflict (name) do nothing returning ${COLUMNS}`,
        [domain.name, domain.rootRedirect, domain.notFoundRedirect],
      );
      return rows[0] === undefined ? undefined : toDomain(rows[0]);
    },

    async list() {
      const { rows } = await query<DomainRow>(`select ${COLUMNS} from domains order by name`, []);
      return rows.map(toDomain);
    },

    async update(name, changes: DomainChanges) {
      const sets: string[] = [];
      const values: unknown[] = [name];
      const set = (column: string, value: unknown) => {
        values.push(value);
        sets.push(`${column} = $${values.length}`);
      };
      if (changes.rootRedirect !== undefined) set("root_redirect", changes.rootRedirect);
      if (changes.notFoundRedirect !== undefined) set("not_found_redirect", changes.notFoundRedirect);
      const { rows } = await query<DomainRow>(
        sets.length === 0
          ? `select ${COLUMNS} from domains where name = $1`
          : `update domains set ${sets.join(", ")}, updated_at = now() where name = $1 returning ${COLUMNS}`,
        values,
      );
      return rows[0] === undefined ? undefined : toDomain(rows[0]);
    },

    // One statement decides: the domain goes only when no live link counts against it.
    async delete(name) {
      const { rows } = await query<DomainRow & { live_links: string; found: boolean }>(
        `with live as (select count(*) as n from links where domain = $1 and deleted_at is null),
              gone as (delete from domains where name = $1 and (select n from live) = 0 returning ${COLUMNS})
         select d.*, (select n from live)::text as live_links,
                exists (select 1 from domains where name = $1) as found
         from (select 1) one left join gone d on true`,
        [name],
      );
      const row = rows[0];
      if (row === undefined || !row.found) return { missing: true };
      if (row.name !== null && row.name !== undefined) return { deleted: toDomain(row) };
      return { liveLinks: Number(row.live_links) };
    },
  };
}
