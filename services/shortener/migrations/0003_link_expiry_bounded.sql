-- An expiry beyond 9999-12-31 cannot be written as an RFC 3339 timestamp, so
-- Envoy's transcoder failed on every listing that held one (issue 12: such a
-- link could be created before expiries were bounded). An expiry that late
-- means "never" in practice: it is moved to the last instant RFC 3339 can
-- write, and the column refuses a later one from now on, whatever the
-- shortener's own rule (at most 100 years ahead) may become. NOT VALID then
-- VALIDATE keeps the lock that blocks writes to a moment.
update links set expires_at = '9999-12-31T23:59:59Z' where expires_at > '9999-12-31T23:59:59Z';
alter table links
  add constraint links_expires_at_rfc3339 check (expires_at <= '9999-12-31T23:59:59Z') not valid;
alter table links validate constraint links_expires_at_rfc3339;
