import type { LinkCacheEntry } from "@kurt/contract";
import type { RedirectRule } from "@kurt/core/redirect-rule";
import type pg from "pg";
import type { LinkStore } from "../domain/link-store.js";

interface LinkRow {
  url: string;
  redirect_status: number;
  cache_seconds: number;
  expires_at: Date | null;
  valid_since: Date | null;
  forward_query: boolean;
  max_visits: number | null;
  password_hash: string | null;
  rules: RedirectRule[];
  disabled: boolean;
  deleted: boolean;
  updated_at: Date;
}

// Unnamed statement: PgBouncer's transaction pooling cannot keep named ones.
const FIND_LINK = `
  select url, redirect_status, cache_seconds, expires_at, valid_since, forward_query, max_visits, password_hash, rules,
    disabled, deleted_at is not null as deleted, updated_at
  from links
  where domain = $1 and code = $2`;

/** Links as one Postgres server (through its PgBouncer pool) has them. */
export function createPostgresLinkStore(pool: pg.Pool): LinkStore {
  return {
    async find(domain, code): Promise<LinkCacheEntry | undefined> {
      const { rows } = await pool.query<LinkRow>(FIND_LINK, [domain, code]);
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        url: row.url,
        redirectStatus: row.redirect_status,
        cacheSeconds: row.cache_seconds,
        expiresAtMs: row.expires_at === null ? null : row.expires_at.getTime(),
        validSinceMs: row.valid_since === null ? null : row.valid_since.getTime(),
        forwardQuery: row.forward_query,
        maxVisits: row.max_visits,
        passwordHash: row.password_hash,
        rules: row.rules,
        disabled: row.disabled,
        deleted: row.deleted,
        updatedAtMs: row.updated_at.getTime(),
      };
    },
  };
}
