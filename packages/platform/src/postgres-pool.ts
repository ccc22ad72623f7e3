import pg from "pg";

export interface PostgresPoolOptions {
  readonly connectionString: string;
  readonly maxConnections: number;
  /** Each query is abandoned after this long (and connecting too, unless connectTimeoutMs says otherwise). */
  readonly timeoutMs: number;
  readonly connectTimeoutMs?: number;
  /** Errors of idle connections (a server restart): logged, never fatal. */
  readonly onIdleError: (error: Error) => void;
}

/**
 * A pool to one PgBouncer database. PgBouncer pools transactions, so no
 * session settings and no named prepared statements: the timeout is enforced
 * by the client, not by statement_timeout (which PgBouncer refuses as a
 * startup parameter). A dead server is thereby skipped quickly.
 */
export function createPostgresPool(options: PostgresPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections,
    connectionTimeoutMillis: options.connectTimeoutMs ?? options.timeoutMs,
    query_timeout: options.timeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that breaks is dropped from the pool; the next query opens another.
  pool.on("error", options.onIdleError);
  return pool;
}
