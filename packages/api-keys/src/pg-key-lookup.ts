import type { ApiKeyScope } from "@kurt/contract";
import type pg from "pg";
import { type Authenticate, createAuthenticate, type KeyLookup, type StoredKeyGrant } from "./authenticate.js";

/**
 * Looks keys up in the api_keys table on the primary (a key created or
 * revoked this instant must count at once; the replica may lag). A single
 * unnamed statement, so it is safe through PgBouncer's transaction pooling.
 */
export function createPgKeyLookup(pool: pg.Pool): KeyLookup<StoredKeyGrant> {
  return async (secretHash) => {
    const { rows } = await pool.query<{ id: string; scopes: string[]; revoked_at: Date | null }>(
      "select id, scopes, revoked_at from api_keys where secret_hash = $1",
      [secretHash],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : { id: row.id, scopes: row.scopes as ApiKeyScope[], revokedAt: row.revoked_at };
  };
}

/** The check for services that only verify keys (clicklog): the shared rules over the api_keys table. */
export function createApiKeyAuthorizer(pool: pg.Pool): Authenticate<StoredKeyGrant> {
  return createAuthenticate(createPgKeyLookup(pool));
}
