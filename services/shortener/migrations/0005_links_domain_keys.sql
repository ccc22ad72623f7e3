-- The links' key becomes (domain, code) (see 0004). Every index is built
-- first, under a lock that blocks writes but not the redirects' reads; the
-- swaps and the drop that need an exclusive lock come last, each a catalogue
-- change, so that lock is held only from them to the commit.
create unique index links_domain_code on links (domain, code);

-- The newest-first listing's keyset gains the domain (two domains may hold
-- the same code created by the same statement), and a listing of one domain
-- reads its own index range.
create index links_newest_first_by_domain_key on links (created_at desc, code desc, domain desc)
  where deleted_at is null;
create index links_domain_newest_first on links (domain, created_at desc, code desc) where deleted_at is null;

alter table links
  drop constraint links_pkey,
  add constraint links_pkey primary key using index links_domain_code;
drop index links_newest_first;
