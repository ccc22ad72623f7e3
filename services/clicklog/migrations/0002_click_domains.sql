-- Domains (issue 15, DESIGN.md §2): codes are unique per domain, so a click
-- and every rollup row belong to a (domain, code). '' is the default domain:
-- every click stored before domains existed was one of its links', so the
-- existing rows are right as they are.
--
-- Only the columns here; the rollups' new keys are 0003. The migrate job runs
-- each file in one transaction, and ADD COLUMN takes an ACCESS EXCLUSIVE lock
-- that lasts until the commit: in the same file, every index build of 0003
-- would then block the stats reads as well. A constant default makes each
-- ADD COLUMN a catalogue change (no rewrite, no scan; on clicks it recurses to
-- every daily partition the same way), so this commits at once. The tables
-- are taken in the order the store statement and the stats reads take them
-- (clicks, click_hourly, click_hourly_dimensions, click_hourly_visitors),
-- so that waiting on each other cannot deadlock.
--
-- Clicklog code of before domains keeps working on this schema (what it
-- inserts gets ''), so this file can be applied ahead of the new code.

-- The primary key of clicks stays (event_id, occurred_at): the event id is
-- the resolver's id for one redirect, unique whatever the domain, and the key
-- exists only to make storing a redelivered event a no-op. Changing it would
-- also be costly on Postgres 15: a unique key of a partitioned table must
-- contain the partition key (occurred_at), an index on a partitioned table
-- cannot be built CONCURRENTLY, and ADD PRIMARY KEY USING INDEX is refused
-- on partitioned tables, so the new key would be built in every partition
-- under a lock held until the commit.
alter table clicks add column domain text collate "C" not null default '';

alter table click_hourly add column domain text collate "C" not null default '';
alter table click_hourly_dimensions add column domain text collate "C" not null default '';
alter table click_hourly_visitors add column domain text collate "C" not null default '';
