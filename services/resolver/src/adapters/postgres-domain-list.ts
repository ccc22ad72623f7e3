import type pg from "pg";
import type { ConfiguredDomain } from "../domain/domain-directory.js";

interface DomainRow {
  name: string;
  root_redirect: string | null;
  not_found_redirect: string | null;
}

/** The configured domains as one Postgres server has them (a small table, read whole). */
export async function listDomains(pool: pg.Pool): Promise<ConfiguredDomain[]> {
  const { rows } = await pool.query<DomainRow>("select name, root_redirect, not_found_redirect from domains");
  return rows.map((row) => ({
    name: row.name,
    rootRedirect: row.root_redirect,
    notFoundRedirect: row.not_found_redirect,
  }));
}
