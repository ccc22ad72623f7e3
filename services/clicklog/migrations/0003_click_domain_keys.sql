-- The rollups' keys become (domain, code, …), so that the same code on two
-- domains adds to two rows (0002 added the columns). Stats read a key prefix
-- (domain, code) and a range of hours, as before with (code).
--
-- Each new key's unique index is built first: CREATE INDEX takes a SHARE
-- lock, so stats keep reading while clicklog's writes wait for the build
-- (their Kafka lag grows and catches up; nothing is lost). CONCURRENTLY is
-- not possible, as the migrate job runs the file in a transaction. Only then
-- does each table swap its key for the index already built, a catalogue
-- change under an ACCESS EXCLUSIVE lock: all the swaps come last, so that
-- lock is held only from the swap to the commit just after. Tables are taken
-- in the order the store statement and the stats reads take them, so that
-- waiting on each other cannot deadlock.
--
-- From here on, clicklog code of before domains cannot store clicks (its
-- ON CONFLICT (code, hour) names a key that no longer exists): each attempt
-- rolls back whole and its Kafka offsets stay uncommitted, so the clicks are
-- stored once the new code runs, neither lost nor counted twice.

create unique index click_hourly_domain_key on click_hourly (domain, code, hour);
create unique index click_hourly_dimensions_domain_key
  on click_hourly_dimensions (domain, code, hour, dimension, value);
create unique index click_hourly_visitors_domain_key on click_hourly_visitors (domain, code, hour, visitor_hash);

alter table click_hourly
  drop constraint click_hourly_pkey,
  add constraint click_hourly_pkey primary key using index click_hourly_domain_key;
alter table click_hourly_dimensions
  drop constraint click_hourly_dimensions_pkey,
  add constraint click_hourly_dimensions_pkey primary key using index click_hourly_dimensions_domain_key;
alter table click_hourly_visitors
  drop constraint click_hourly_visitors_pkey,
  add constraint click_hourly_visitors_pkey primary key using index click_hourly_visitors_domain_key;
