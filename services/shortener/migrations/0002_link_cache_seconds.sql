-- How long a browser may keep a link's redirect (DESIGN.md §2, issue 11):
-- 0, the default, answers `Cache-Control: private, no-store`. A constant
-- default makes this a catalogue change only: no table rewrite, no lock held
-- while redirects run.
alter table links
  add column cache_seconds integer not null default 0
  check (cache_seconds between 0 and 31536000);
