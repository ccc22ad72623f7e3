import { KurtError, unavailable } from "./errors.js";

// SQLSTATE classes that mean "the database is not there right now" rather
// than "this statement is wrong": connection exceptions, operator
// intervention (shutdown, failover), insufficient resources.
const UNAVAILABLE_CLASSES = ["08", "57", "53"];
// read_only_sql_transaction: a write reached a server that is not (or not yet)
// the leader. Patroni answers /primary a few tens of ms before the promotion
// completes, so during a failover the router can hand a write to it too early.
const UNAVAILABLE_STATES = ["25006"];

/**
 * Runs a Postgres call for a gRPC answer; a database that cannot be reached
 * (a SQLSTATE of those classes, or no SQLSTATE at all: refused connection,
 * timeout) becomes UNAVAILABLE (503, worth retrying elsewhere) instead of an
 * internal error. Errors with another SQLSTATE stay internal: they are bugs.
 * A domain error thrown inside the call (an unknown API key…) passes as it
 * is: it is the answer, not a sign that the database is away.
 */
export async function orUnavailable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof KurtError) throw error;
    const sqlState = (error as { code?: unknown }).code;
    const isSqlState = typeof sqlState === "string" && /^[0-9A-Z]{5}$/.test(sqlState);
    if (!isSqlState || UNAVAILABLE_CLASSES.includes(sqlState.slice(0, 2)) || UNAVAILABLE_STATES.includes(sqlState))
      throw unavailable("the database is unavailable; try again", error);
    throw error;
  }
}
