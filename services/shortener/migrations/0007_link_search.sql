-- Search and filter in ListLinks (issue 15, item 8): `query` finds text in a
-- link's code, URL or title in any case, `tag` the links carrying a tag.
-- pg_trgm ships with Postgres and is a trusted extension (the database's
-- owner may create it); its GIN index serves `ilike '%text%'`. The search
-- expression must stay exactly the one pg-link-store.ts queries. Both builds
-- block writes, not the redirects' reads, while they run.
create extension if not exists pg_trgm;
create index links_search on links
  using gin ((code || E'\n' || url || E'\n' || coalesce(title, '')) gin_trgm_ops)
  where deleted_at is null;
create index links_tags on links using gin (tags) where deleted_at is null;
