-- Prefetches and link previews counted apart (issue 15, DESIGN.md §2): a
-- click the resolver marked as a prefetch is neither a human nor a bot
-- visit, so clicks = human + bot + prefetch. Constant defaults: catalogue
-- changes, no rewrite; every click stored before was counted as a visit.
alter table clicks add column prefetch boolean not null default false;
alter table click_hourly add column prefetch bigint not null default 0;
