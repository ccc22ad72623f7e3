/** Where Debian's postgresql-15 puts the server's programs (Patroni runs initdb, pg_basebackup and pg_rewind from here). */
export const POSTGRES_BIN = "/usr/lib/postgresql/15/bin";
