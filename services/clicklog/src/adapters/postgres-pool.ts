import pg from "pg";

export interface PostgresPoolOptions {
  readonly connectionString: string;
  readonly maxConnections: number;
  /** Connecting and each query are abandoned after this long, so a dead server fails fast. */
  readonly timeoutMs: number;
  /** Errors of idle connections (a server restart): logged, never fatal. */
  readonly onIdleError: (error: Error) => void;
}

/**
 * A pool to PgBouncer's primary database. PgBouncer pools transactions, so
 * no session settings and no named prepared statements: the timeout is the
 * client's, not statement_timeout.
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

/**
 * Runs `work` in one transaction on one pooled connection. A failure rolls
 * back; a connection that failed mid-transaction is discarded, not reused.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  begin = "begin",
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
