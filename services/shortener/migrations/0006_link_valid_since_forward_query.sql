-- validSince and forwardQuery (issue 15, DESIGN.md §2): a link answers 404
-- before its start, and may add the request's query parameters to its
-- target. Null and a constant default: catalogue changes, no rewrite. The
-- checks are NOT VALID then validated, like 0003: no row can break them yet.
alter table links
  add column valid_since timestamptz,
  add column forward_query boolean not null default false;
alter table links
  add constraint links_valid_since_rfc3339 check (valid_since <= '9999-12-31T23:59:59Z') not valid,
  add constraint links_valid_since_before_expiry check (valid_since < expires_at) not valid;
alter table links validate constraint links_valid_since_rfc3339;
alter table links validate constraint links_valid_since_before_expiry;
