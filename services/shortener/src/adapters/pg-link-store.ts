import type { RedirectStatus } from "@kurt/contract";
import type pg from "pg";
import type { Link, LinkChanges, LinkPosition, ListedLink, NewLink } from "../domain/link.js";
import type { LinkStore } from "../domain/link-ports.js";
import { orUnavailable } from "./pg-unavailable.js";

/**
 * The links table, through PgBouncer in transaction pooling: every method is
 * a single statement (so a single transaction) and no query is named (named
 * prepared statements do not survive PgBouncer's connection switching).
 */

interface LinkRow {
  code: string;
  url: string;
  redirect_status: number;
  title: string | null;
  tags: string[];
  expires_at: Date | null;
  disabled: boolean;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  created_by_key: string | null;
  created_at_micros: string;
}

const COLUMNS = `code, url, redirect_status, title, tags, expires_at, disabled, deleted_at, created_at, updated_at,
  created_by_key, (extract(epoch from created_at) * 1000000)::bigint::text as created_at_micros`;

// Each committed version of a row gets an updated_at at least 1 ms later than
// the one before: caches compare versions in milliseconds, so two quick
// updates must never share one.
const NEXT_VERSION = "greatest(now(), updated_at + interval '1 millisecond')";

function toLink(row: LinkRow): Link {
  return {
    code: row.code,
    url: row.url,
    redirectStatus: row.redirect_status as RedirectStatus,
    title: row.title,
    tags: row.tags,
    expiresAt: row.expires_at,
    disabled: row.disabled,
    deletedAt: row.deleted_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdByKey: row.created_by_key,
  };
}

export function createPgLinkStore(pool: pg.Pool): LinkStore {
  const query = (text: string, values: unknown[]) => orUnavailable(() => pool.query<LinkRow>(text, values));
  return {
    async insert(link: NewLink) {
      // The primary key decides who gets a code, atomically: a concurrent
      // create of the same code finds the conflict and gets no row back.
      const { rows } = await query(
        `insert into links (code, url, redirect_status, title, tags, expires_at, created_by_key)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (code) do nothing
         returning ${COLUMNS}`,
        [link.code, link.url, link.redirectStatus, link.title, link.tags, link.expiresAt, link.createdByKey],
      );
      return rows[0] === undefined ? undefined : toLink(rows[0]);
    },

    async find(code) {
      const { rows } = await query(`select ${COLUMNS} from links where code = $1`, [code]);
      return rows[0] === undefined ? undefined : toLink(rows[0]);
    },

    async list(limit, after: LinkPosition | undefined) {
      const { rows } = await query(
        after === undefined
          ? `select ${COLUMNS} from links where deleted_at is null
             order by created_at desc, code desc limit $1`
          : `select ${COLUMNS} from links where deleted_at is null
               and (created_at, code) < (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3)
             order by created_at desc, code desc limit $1`,
        after === undefined ? [limit] : [limit, after.createdAtMicros.toString(), after.code],
      );
      return rows.map(
        (row): ListedLink => ({
          link: toLink(row),
          position: { createdAtMicros: BigInt(row.created_at_micros), code: row.code },
        }),
      );
    },

    async update(code, changes: LinkChanges) {
      const sets: string[] = [];
      const values: unknown[] = [code];
      const set = (column: string, value: unknown) => {
        values.push(value);
        sets.push(`${column} = $${values.length}`);
      };
      if (changes.url !== undefined) set("url", changes.url);
      if (changes.redirectStatus !== undefined) set("redirect_status", changes.redirectStatus);
      if (changes.expiresAt !== undefined) set("expires_at", changes.expiresAt);
      if (changes.disabled !== undefined) set("disabled", changes.disabled);
      if (changes.title !== undefined) set("title", changes.title);
      if (changes.tags !== undefined) set("tags", changes.tags);
      sets.push(`updated_at = ${NEXT_VERSION}`);
      const { rows } = await query(
        `update links set ${sets.join(", ")} where code = $1 and deleted_at is null returning ${COLUMNS}`,
        values,
      );
      return rows[0] === undefined ? undefined : toLink(rows[0]);
    },

    async markDeleted(code) {
      const { rows } = await query(
        `update links set deleted_at = now(), updated_at = ${NEXT_VERSION}
         where code = $1 and deleted_at is null returning ${COLUMNS}`,
        [code],
      );
      return rows[0] === undefined ? undefined : toLink(rows[0]);
    },
  };
}
