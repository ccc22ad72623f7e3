-- maxVisits, passwords and redirect rules (issue 15, DESIGN.md §2). Nullable
-- columns and constant defaults: catalogue changes, no table rewrite, so
-- redirects keep reading while this runs. `visits` is the count of human
-- visits used up against max_visits: the resolver raises it on the primary
-- in the same statement that checks the cap, so no visit beyond the cap can
-- be granted (ADR 30). The checks are NOT VALID then validated, like 0003.
alter table links
  add column max_visits integer,
  add column visits integer not null default 0,
  add column password_hash text,
  add column rules jsonb not null default '[]';
alter table links
  add constraint links_max_visits_positive check (max_visits >= 1) not valid,
  add constraint links_visits_within_cap check (visits <= max_visits) not valid,
  add constraint links_rules_array check (jsonb_typeof(rules) = 'array') not valid;
alter table links validate constraint links_max_visits_positive;
alter table links validate constraint links_visits_within_cap;
alter table links validate constraint links_rules_array;
