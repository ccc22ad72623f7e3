-- Links and API keys: the shortener writes them on the primary; the resolver
-- reads links on the replica (and on the primary when the replica misses).

create table links (
  -- Case-sensitive: "C" collation compares bytes, so "abc" and "ABC" differ.
  code            text collate "C" primary key,
  url             text not null check (length(url) <= 8192),
  redirect_status smallint not null default 302 check (redirect_status in (301, 302, 307, 308)),
  title           text,
  tags            text[] not null default '{}',
  expires_at      timestamptz,
  disabled        boolean not null default false,
  -- A deleted link keeps its row (and so its code) and resolves as gone:
  -- a code once published never points somewhere else.
  deleted_at      timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  created_by_key  uuid
);

-- ListLinks pages newest first with a (created_at, code) keyset.
create index links_newest_first on links (created_at desc, code desc) where deleted_at is null;

create table api_keys (
  id          uuid primary key,
  name        text not null,
  -- The first characters of the secret, shown in listings so a person can tell keys apart.
  prefix      text not null,
  -- SHA-256 of the whole secret: secrets are 256-bit random, so a slow hash adds nothing.
  secret_hash bytea not null unique,
  scopes      text[] not null check (scopes <@ array['links:write', 'links:read', 'stats:read', 'admin']::text[]),
  created_at  timestamptz not null default now(),
  revoked_at  timestamptz
);
