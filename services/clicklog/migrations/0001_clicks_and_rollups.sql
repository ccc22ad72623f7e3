-- Clicks: clicklog writes them on the primary from kurt.clicks.v1 and serves
-- stats from the rollups. Every time is UTC; rollup hours and days are UTC.

-- One row per counted click. Partitioned by day (clicklog creates the daily
-- partitions ahead and drops the ones past the retention), so that old clicks
-- go with a cheap DROP TABLE instead of a long DELETE.
create table clicks (
  -- The resolver's id for the click: storing is idempotent on it. A unique
  -- constraint of a partitioned table must contain the partition key, hence
  -- (event_id, occurred_at); a redelivered event carries the same occurred_at.
  event_id        text not null,
  occurred_at     timestamptz not null,
  code            text collate "C" not null,
  -- "direct" when the click had no Referer.
  referrer_host   text not null,
  browser         text not null,
  os              text not null,
  device          text not null,
  bot             boolean not null,
  -- HMAC-SHA256 of client address and user agent under the key of the
  -- click's day (click_visitor_keys), truncated; the address itself is never stored.
  visitor_hash    bytea not null,
  -- Kept so that clicks can be classified again when the parsers improve.
  user_agent      text not null,
  redirect_status smallint not null,
  served_by       smallint not null,
  request_id      text not null,
  stored_at       timestamptz not null default now(),
  primary key (event_id, occurred_at)
) partition by range (occurred_at);

-- Rollups, changed only in the transaction that inserted the clicks they
-- count, so that they always agree with the stored clicks.
create table click_hourly (
  code   text collate "C" not null,
  hour   timestamptz not null,
  clicks bigint not null,
  human  bigint not null,
  bot    bigint not null,
  primary key (code, hour)
);

create table click_hourly_dimensions (
  code      text collate "C" not null,
  hour      timestamptz not null,
  dimension text not null check (dimension in ('referrer', 'browser', 'os', 'device')),
  value     text not null,
  clicks    bigint not null,
  primary key (code, hour, dimension, value)
);

-- Who clicked in which hour, as visitor hashes. The hash key changes every
-- day, so a person is one visitor per day: unique visitors over a range are
-- the distinct (day, visitor_hash) pairs in it, i.e. the sum of daily uniques.
create table click_hourly_visitors (
  code         text collate "C" not null,
  hour         timestamptz not null,
  visitor_hash bytea not null,
  primary key (code, hour, visitor_hash)
);

-- The visitor hash key of each UTC day: random, made by whichever replica
-- needs it first (insert … on conflict do nothing, so every replica uses the
-- same one), and deleted a couple of days later, after which nobody can link
-- that day's hashes to an address again.
create table click_visitor_keys (
  day        date primary key,
  key        bytea not null check (length(key) = 32),
  created_at timestamptz not null default now()
);
