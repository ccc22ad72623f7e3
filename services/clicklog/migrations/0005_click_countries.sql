-- Countries (ADR 27, DESIGN.md §2 Stats.countries): clicklog looks the
-- click's client address up in DB-IP's country data when it enriches the
-- click and keeps only the result; the address itself is still never stored.
--
-- clicks.country holds what the countries breakdown counts: an ISO 3166-1
-- alpha-2 code ("DE") or 'unknown' (the value every dimension uses for what
-- nobody could tell). It is nullable without a default, so ADD COLUMN is a
-- catalogue change (no rewrite, no scan; on clicks it recurses to every
-- daily partition the same way): NULL marks the clicks stored before
-- countries were looked up, which cannot be placed afterwards since their
-- addresses were never kept. Their hours have no 'country' rollup rows, so
-- the breakdown of a range reaching back before this migration adds up to
-- fewer clicks than the total.
--
-- The rollups take the new dimension in click_hourly_dimensions, whose check
-- constraint (0001, named by Postgres) lists the allowed dimensions: it is
-- swapped for a wider one, NOT VALID, so that nothing is scanned under the
-- ACCESS EXCLUSIVE lock held until this file commits (rows already there
-- satisfy the narrower list; 0006 validates it without blocking writes).
-- Tables are taken in the order the store statement and the stats reads
-- take them (clicks, then click_hourly_dimensions), so that waiting on each
-- other cannot deadlock.
--
-- Clicklog code of before countries keeps working on this schema (its
-- inserts leave country NULL and add no country rows), so this file is
-- applied ahead of the new code; the new code on the old schema fails each
-- store (no such column) and rolls it back, and its clicks wait in Kafka.
alter table clicks add column country text;

alter table click_hourly_dimensions
  drop constraint click_hourly_dimensions_dimension_check,
  add constraint click_hourly_dimensions_dimension_check
    check (dimension in ('referrer', 'browser', 'os', 'device', 'country')) not valid;
