import type pg from "pg";

/**
 * Runs `work` in one transaction on one pooled connection. A failure rolls
 * back; a connection that failed mid-transaction is discarded, not reused.
 *
 * While a client is checked out, the pool listens to none of its 'error'
 * events, and pg emits one whenever the connection ends unexpectedly (a
 * Postgres failover, PgBouncer closing it with server_login_retry): without
 * a listener of its own that event would end the process. The query in
 * flight fails with the same error, which is what the caller sees.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  begin = "begin",
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
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
    client.removeListener("error", onError);
    client.release(broken);
  }
}
