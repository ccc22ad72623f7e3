import type { RedirectStatus } from "@kurt/contract";
import { linkKey } from "@kurt/core/link-domain";
import type { RedirectRule } from "@kurt/core/redirect-rule";
import { orUnavailable } from "@kurt/platform";
import { invalidArgument } from "@kurt/platform/errors";
import type pg from "pg";
import type { Link, LinkChanges, LinkPosition, ListedLink, NewLink } from "../domain/link.js";
import type { LinkFilter } from "../domain/link-filter.js";
import type { LinkStore } from "../domain/link-ports.js";
import { createMicroBatcher } from "../domain/micro-batcher.js";

/**
 * The links table, through PgBouncer in transaction pooling: every method is
 * a single statement (so a single transaction) and no query is named (named
 * prepared statements do not survive PgBouncer's connection switching).
 */

interface LinkRow {
  domain: string;
  code: string;
  url: string;
  redirect_status: number;
  cache_seconds: number;
  title: string | null;
  tags: string[];
  expires_at: Date | null;
  valid_since: Date | null;
  forward_query: boolean;
  max_visits: number | null;
  visits: number;
  password_hash: string | null;
  rules: RedirectRule[];
  disabled: boolean;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  created_by_key: string | null;
  created_at_micros: string;
}

const COLUMNS = `domain, code, url, redirect_status, cache_seconds, title, tags, expires_at, valid_since, forward_query,
  max_visits, visits, password_hash, rules, disabled, deleted_at, created_at, updated_at, created_by_key, (extract(epoch from created_at) * 1000000)::bigint::text as created_at_micros`;

// Each committed version of a row gets an updated_at at least 1 ms later than
// the one before: caches compare versions in milliseconds, so two quick
// updates must never share one.
const NEXT_VERSION = "greatest(now(), updated_at + interval '1 millisecond')";

/**
 * What `query` searches: code, URL and title, joined by a newline (which a
 * query cannot contain, so no match spans two of them). Migration 0007's
 * trigram index is built on exactly this expression.
 */
const SEARCH_TEXT = "(code || E'\\n' || url || E'\\n' || coalesce(title, ''))";

/**
 * How many of the newest links (after the other filters) a query first
 * looks through before it asks the trigram index (ADR 30). A query that
 * matches many links fills its page from these at once, where the trigram
 * index would hand Postgres every match to sort (1.5 s at 1,000,000 links);
 * a selective one finds too few here and takes the index, as before.
 */
export const QUERY_RECENT_WINDOW = 2_000;

/** `%`, `_` and the escape itself stand for themselves in a query. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** Migration 0006's check that a link's start lies before its expiry. */
const VALID_BEFORE_EXPIRY = "links_valid_since_before_expiry";
/** Migration 0008's check that a cap is never below the visits already used. */
const VISITS_WITHIN_CAP = "links_visits_within_cap";

const fulfilled = <T>(value: T): PromiseFulfilledResult<T> => ({ status: "fulfilled", value });
const rejected = (reason: unknown): PromiseRejectedResult => ({ status: "rejected", reason });

function toLink(row: LinkRow): Link {
  return {
    domain: row.domain,
    code: row.code,
    url: row.url,
    redirectStatus: row.redirect_status as RedirectStatus,
    cacheSeconds: row.cache_seconds,
    title: row.title,
    tags: row.tags,
    expiresAt: row.expires_at,
    validSince: row.valid_since,
    forwardQuery: row.forward_query,
    maxVisits: row.max_visits,
    visits: row.visits,
    passwordHash: row.password_hash,
    rules: row.rules,
    disabled: row.disabled,
    deletedAt: row.deleted_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdByKey: row.created_by_key,
  };
}

export interface InsertBatching {
  /** Most creates committed by one statement. */
  readonly maxBatch: number;
  /** Insert statements running at once per replica (each holds a pooled connection). */
  readonly maxInFlight: number;
}

const isUnavailable = (error: unknown) => (error as { code?: unknown }).code === "unavailable";

export interface PgLinkStore extends LinkStore {
  /** Inserts several links in one statement; each answer as insert() would give it. */
  insertMany(links: readonly NewLink[]): Promise<Array<PromiseSettledResult<Link | undefined>>>;
}

/** With `batching`, concurrent inserts share statements (insertMany); without it, one statement each. */
export function createPgLinkStore(pool: pg.Pool, batching?: InsertBatching): PgLinkStore {
  const query = (text: string, values: unknown[]) => orUnavailable(() => pool.query<LinkRow>(text, values));

  // The primary key (domain, code) decides who gets a code, atomically: a
  // concurrent create of the same code finds the conflict and gets no row back.
  const insertOne = async (link: NewLink) => {
    const { rows } = await query(
      `insert into links (code, url, redirect_status, cache_seconds, title, tags, expires_at, created_by_key, domain,
         valid_since, forward_query, max_visits, password_hash, rules)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb)
       on conflict (domain, code) do nothing
       returning ${COLUMNS}`,
      [
        link.code,
        link.url,
        link.redirectStatus,
        link.cacheSeconds,
        link.title,
        link.tags,
        link.expiresAt,
        link.createdByKey,
        link.domain,
        link.validSince,
        link.forwardQuery,
        link.maxVisits,
        link.passwordHash,
        JSON.stringify(link.rules),
      ],
    );
    return rows[0] === undefined ? undefined : toLink(rows[0]);
  };

  // Creates that arrive together are committed by one statement, so one
  // transaction and one round trip (and one commit wait for the synchronous
  // standby) for the whole batch. The batch never holds a code twice, so a
  // returned row answers exactly one create, and a missing one means taken.
  const insertMany = async (links: readonly NewLink[]): Promise<Array<PromiseSettledResult<Link | undefined>>> => {
    if (links.length === 1) {
      const only = links[0] as NewLink;
      return [await insertOne(only).then(fulfilled, rejected)];
    }
    try {
      const { rows } = await query(
        `insert into links (domain, code, url, redirect_status, cache_seconds, title, tags, expires_at, created_by_key,
           valid_since, forward_query, max_visits, password_hash, rules)
         select domain, code, url, redirect_status, cache_seconds, title, tags, expires_at, created_by_key,
           valid_since, forward_query, max_visits, password_hash, rules
         from jsonb_to_recordset($1::jsonb) as r(domain text, code text, url text, redirect_status smallint,
           cache_seconds integer, title text, tags text[], expires_at timestamptz, created_by_key uuid,
           valid_since timestamptz, forward_query boolean, max_visits integer, password_hash text, rules jsonb)
         on conflict (domain, code) do nothing
         returning ${COLUMNS}`,
        [
          JSON.stringify(
            links.map((link) => ({
              domain: link.domain,
              code: link.code,
              url: link.url,
              redirect_status: link.redirectStatus,
              cache_seconds: link.cacheSeconds,
              title: link.title,
              tags: link.tags,
              expires_at: link.expiresAt,
              created_by_key: link.createdByKey,
              valid_since: link.validSince,
              forward_query: link.forwardQuery,
              max_visits: link.maxVisits,
              password_hash: link.passwordHash,
              rules: link.rules,
            })),
          ),
        ],
      );
      const byKey = new Map(rows.map((row) => [linkKey(row.domain, row.code), toLink(row)]));
      return links.map((link) => fulfilled(byKey.get(linkKey(link.domain, link.code))));
    } catch (error) {
      if (isUnavailable(error)) return links.map(() => rejected(error));
      // One bad row fails the statement; alone, each create gets its own answer.
      return Promise.all(links.map((link) => insertOne(link).then(fulfilled, rejected)));
    }
  };

  const batcher =
    batching === undefined
      ? undefined
      : createMicroBatcher<NewLink, Link | undefined>({
          run: insertMany,
          maxBatch: batching.maxBatch,
          maxInFlight: batching.maxInFlight,
          keyOf: (link) => linkKey(link.domain, link.code),
        });

  return {
    insert(link: NewLink) {
      return batcher === undefined ? insertOne(link) : batcher.submit(link);
    },

    insertMany,

    async find(id) {
      const { rows } = await query(`select ${COLUMNS} from links where domain = $1 and code = $2`, [
        id.domain,
        id.code,
      ]);
      return rows[0] === undefined ? undefined : toLink(rows[0]);
    },

    async list(limit, after: LinkPosition | undefined, filter: LinkFilter = {}) {
      // One domain's listing reads links_domain_newest_first, a tag links_tags (GIN), a query
      // links_search (trigram GIN over code, URL and title); the whole listing links_newest_first.
      const values: unknown[] = [limit];
      const where = ["deleted_at is null"];
      if (filter.domain !== undefined) {
        values.push(filter.domain);
        where.push(`domain = $${values.length}`);
      }
      if (filter.tag !== undefined) {
        values.push([filter.tag]);
        where.push(`tags @> $${values.length}::text[]`);
      }
      if (after !== undefined) {
        values.push(after.createdAtMicros.toString(), after.code, after.domain);
        const [micros, code, afterDomain] = [values.length - 2, values.length - 1, values.length];
        where.push(
          `(created_at, code, domain) < (timestamptz 'epoch' + $${micros}::bigint * interval '1 microsecond', $${code}, $${afterDomain})`,
        );
      }
      const ORDER = "order by created_at desc, code desc, domain desc";
      let rows: LinkRow[];
      if (filter.query === undefined) {
        ({ rows } = await query(`select ${COLUMNS} from links where ${where.join(" and ")} ${ORDER} limit $1`, values));
      } else {
        values.push(`%${likeEscaped(filter.query)}%`);
        const matches = `${SEARCH_TEXT} ilike $${values.length}`;
        // First the newest links in listing order: if they hold a page of matches (or are all there is), those
        // are the answer; otherwise the trigram index finds the matches. Either way the same rows, newest first.
        values.push(QUERY_RECENT_WINDOW);
        // The outer join keeps one row (of nulls) when nothing matched, so `scanned` always comes back.
        const recent = await query(
          `with recent as (select * from links where ${where.join(" and ")} ${ORDER} limit $${values.length}),
             hits as (select * from recent where ${matches} ${ORDER} limit $1)
           select ${COLUMNS}, (select count(*) from recent)::int as scanned
           from (select 1 as one) as one left join hits on true ${ORDER}`,
          values,
        );
        const hits = recent.rows.filter((row) => row.code !== null);
        const scanned = (recent.rows[0] as { scanned?: number } | undefined)?.scanned ?? 0;
        if (hits.length >= limit || scanned < QUERY_RECENT_WINDOW) rows = hits;
        else
          ({ rows } = await query(
            `select ${COLUMNS} from links where ${[...where, matches].join(" and ")} ${ORDER} limit $1`,
            values.slice(0, -1),
          ));
      }
      return rows.map(
        (row): ListedLink => ({
          link: toLink(row),
          position: { createdAtMicros: BigInt(row.created_at_micros), code: row.code, domain: row.domain },
        }),
      );
    },

    async update(id, changes: LinkChanges) {
      const sets: string[] = [];
      const values: unknown[] = [id.domain, id.code];
      const set = (column: string, value: unknown) => {
        values.push(value);
        sets.push(`${column} = $${values.length}`);
      };
      if (changes.url !== undefined) set("url", changes.url);
      if (changes.redirectStatus !== undefined) set("redirect_status", changes.redirectStatus);
      if (changes.cacheSeconds !== undefined) set("cache_seconds", changes.cacheSeconds);
      if (changes.expiresAt !== undefined) set("expires_at", changes.expiresAt);
      if (changes.validSince !== undefined) set("valid_since", changes.validSince);
      if (changes.forwardQuery !== undefined) set("forward_query", changes.forwardQuery);
      if (changes.maxVisits !== undefined) set("max_visits", changes.maxVisits);
      if (changes.passwordHash !== undefined) set("password_hash", changes.passwordHash);
      if (changes.rules !== undefined) {
        values.push(JSON.stringify(changes.rules));
        sets.push(`rules = $${values.length}::jsonb`);
      }
      if (changes.disabled !== undefined) set("disabled", changes.disabled);
      if (changes.title !== undefined) set("title", changes.title);
      if (changes.tags !== undefined) set("tags", changes.tags);
      sets.push(`updated_at = ${NEXT_VERSION}`);
      try {
        const { rows } = await query(
          `update links set ${sets.join(", ")} where domain = $1 and code = $2 and deleted_at is null returning ${COLUMNS}`,
          values,
        );
        return rows[0] === undefined ? undefined : toLink(rows[0]);
      } catch (error) {
        // The start and the expiry are checked together against the stored row only here, in one statement.
        if ((error as { constraint?: unknown }).constraint === VALID_BEFORE_EXPIRY) {
          const field = changes.validSince !== undefined ? "validSince" : "expiresAt";
          throw invalidArgument(field, "validSince must be before expiresAt, or the link would never redirect");
        }
        if ((error as { constraint?: unknown }).constraint === VISITS_WITHIN_CAP)
          throw invalidArgument("maxVisits", "is below the visits this link has already used; see its visits");
        throw error;
      }
    },

    async markDeleted(id) {
      const { rows } = await query(
        `update links set deleted_at = now(), updated_at = ${NEXT_VERSION}
         where domain = $1 and code = $2 and deleted_at is null returning ${COLUMNS}`,
        [id.domain, id.code],
      );
      return rows[0] === undefined ? undefined : toLink(rows[0]);
    },
  };
}
