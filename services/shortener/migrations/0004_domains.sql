-- Domains (issue 15, DESIGN.md §2): links live under a domain and codes are
-- unique per domain. The default domain (the host of the public URL) is ''
-- and has no row here, so every link made before domains existed belongs to
-- it without being rewritten, and changing the public URL moves no data.
--
-- Two files, because the migrate job runs each in one transaction: adding
-- the column takes an exclusive lock until the commit, so it commits here at
-- once (a constant default is a catalogue change, no table rewrite), and the
-- index builds of 0005 hold only a lock that lets redirects read.
create table domains (
  -- Lowercase, punycode, no port: what a Host header is compared with.
  name               text collate "C" primary key
                     check (name <> '' and length(name) <= 253 and name ~ '^[a-z0-9.-]+$'),
  root_redirect      text check (length(root_redirect) <= 8192),
  not_found_redirect text check (length(not_found_redirect) <= 8192),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);

alter table links add column domain text collate "C" not null default '';
