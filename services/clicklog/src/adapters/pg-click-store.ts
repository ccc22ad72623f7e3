import type pg from "pg";
import type { EnrichedClick } from "../domain/click.js";
import type { ClickStore } from "../domain/click-ports.js";

/**
 * Stores a batch and updates the rollups in ONE statement, which Postgres
 * runs as one transaction: the raw insert skips every event id already
 * stored (ON CONFLICT DO NOTHING) and RETURNs only the rows it inserted, and
 * the rollups are computed from those rows alone. So a batch seen for the
 * second time (a redelivery) inserts nothing and changes no count, and a
 * batch that fails changes nothing at all. Every rollup row is a (domain,
 * code)'s, so the same code on two domains is counted apart. The country is
 * stored as a code ("DE", "unknown"); the client address never reaches this
 * statement (EnrichedClick has none).
 *
 * Two consumers storing the same events at once (a rebalance moving a
 * partition mid-batch) is safe too: the second waits on the unique index for
 * the first to commit, then finds the conflict and counts nothing.
 */
const STORE_BATCH = `
with incoming as (
  select * from unnest(
    $1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::boolean[], $9::bytea[], $10::text[], $11::smallint[], $12::smallint[], $13::text[], $14::text[],
    $15::boolean[], $16::text[]
  ) as t(event_id, occurred_at, code, referrer_host, browser, os, device,
         bot, visitor_hash, user_agent, redirect_status, served_by, request_id, domain, prefetch, country)
),
inserted as (
  insert into clicks (event_id, occurred_at, code, referrer_host, browser, os, device,
                      bot, visitor_hash, user_agent, redirect_status, served_by, request_id, domain, prefetch, country)
  select * from incoming
  on conflict do nothing
  returning domain, code, date_trunc('hour', occurred_at, 'UTC') as hour,
            referrer_host, browser, os, device, country, bot, visitor_hash, prefetch
),
-- A prefetch is neither a human nor a bot visit: clicks = human + bot + prefetch.
hourly as (
  insert into click_hourly as h (domain, code, hour, clicks, human, bot, prefetch)
  select domain, code, hour, count(*),
         count(*) filter (where not bot and not prefetch),
         count(*) filter (where bot and not prefetch),
         count(*) filter (where prefetch)
  from inserted
  group by domain, code, hour
  on conflict (domain, code, hour) do update
    set clicks = h.clicks + excluded.clicks, human = h.human + excluded.human, bot = h.bot + excluded.bot,
        prefetch = h.prefetch + excluded.prefetch
),
dimensions as (
  insert into click_hourly_dimensions as d (domain, code, hour, dimension, value, clicks)
  select i.domain, i.code, i.hour, v.dimension, v.value, count(*)
  from inserted i
  cross join lateral (
    values ('referrer', i.referrer_host), ('browser', i.browser), ('os', i.os), ('device', i.device),
           ('country', i.country)
  ) as v(dimension, value)
  group by i.domain, i.code, i.hour, v.dimension, v.value
  on conflict (domain, code, hour, dimension, value) do update set clicks = d.clicks + excluded.clicks
),
visitors as (
  insert into click_hourly_visitors (domain, code, hour, visitor_hash)
  select distinct domain, code, hour, visitor_hash from inserted
  on conflict do nothing
)
select count(*)::int as stored from inserted`;

export function createPgClickStore(pool: pg.Pool): ClickStore {
  return {
    async store(clicks) {
      if (clicks.length === 0) return 0;
      const column = <T>(pick: (click: EnrichedClick) => T) => clicks.map(pick);
      const { rows } = await pool.query<{ stored: number }>(STORE_BATCH, [
        column((c) => c.eventId),
        column((c) => c.occurredAt),
        column((c) => c.code),
        column((c) => c.referrerHost),
        column((c) => c.browser),
        column((c) => c.os),
        column((c) => c.device),
        column((c) => c.bot),
        column((c) => c.visitorHash),
        column((c) => c.userAgent),
        column((c) => c.redirectStatus),
        column((c) => c.servedBy),
        column((c) => c.requestId),
        column((c) => c.domain),
        column((c) => c.prefetch),
        column((c) => c.country),
      ]);
      return rows[0]?.stored ?? 0;
    },
  };
}
