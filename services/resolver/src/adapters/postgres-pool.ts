import pg from "pg";

export interface PostgresPoolOptions {
  readonly connectionString: string;
  readonly maxConnections: number;
  /** Connecting and each query are abandoned after this long, so a dead server is skipped quickly. */
  readonly timeoutMs: number;
  /** Errors of idle connections (a server restart): logged, never fatal. */
  readonly onIdleError: (error: Error) => void;
}

/**
 * A pool to one PgBouncer database. PgBouncer pools transactions, so no
 * session settings and no named prepared statements: the timeout is enforced
 * by the client, not by statement_timeout.
 */
export function createPostgresPool(options: PostgresPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections,
    connectionTimeoutMillis: options.timeoutMs,
    query_timeout: options.timeoutMs,
    idleTimeoutMillis: 30_000,
  });
  pool.on("error", options.onIdleError);
  return pool;
}
