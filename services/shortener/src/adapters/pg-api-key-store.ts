import type { ApiKeyScope } from "@kurt/contract";
import { orUnavailable } from "@kurt/platform";
import type pg from "pg";
import type { ApiKey, ApiKeyPosition, ApiKeyStore, NewApiKey } from "../domain/api-key.js";

/** The api_keys table, on the primary through PgBouncer (single statements, no named queries). */

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
  created_at_micros: string;
}

const COLUMNS =
  "id, name, prefix, scopes, created_at, revoked_at, (extract(epoch from created_at) * 1000000)::bigint::text as created_at_micros";

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as ApiKeyScope[],
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export function createPgApiKeyStore(pool: pg.Pool | pg.Client): ApiKeyStore {
  const query = (text: string, values: unknown[]) => orUnavailable(() => pool.query<ApiKeyRow>(text, values));
  return {
    async insert(key: NewApiKey) {
      const { rows } = await query(
        `insert into api_keys (id, name, prefix, secret_hash, scopes) values ($1, $2, $3, $4, $5) returning ${COLUMNS}`,
        [key.id, key.name, key.prefix, key.secretHash, key.scopes],
      );
      return toApiKey(rows[0] as ApiKeyRow);
    },

    async findBySecretHash(hash) {
      const { rows } = await query(`select ${COLUMNS} from api_keys where secret_hash = $1`, [hash]);
      return rows[0] === undefined ? undefined : toApiKey(rows[0]);
    },

    async list(limit, after: ApiKeyPosition | undefined) {
      const { rows } = await query(
        after === undefined
          ? `select ${COLUMNS} from api_keys order by created_at desc, id desc limit $1`
          : `select ${COLUMNS} from api_keys
             where (created_at, id) < (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid)
             order by created_at desc, id desc limit $1`,
        after === undefined ? [limit] : [limit, after.createdAtMicros.toString(), after.id],
      );
      return rows.map((row) => ({
        key: toApiKey(row),
        position: { createdAtMicros: BigInt(row.created_at_micros), id: row.id },
      }));
    },

    async revoke(id) {
      // coalesce keeps the first revocation's instant: revoking twice changes nothing.
      const { rows } = await query(
        `update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 returning ${COLUMNS}`,
        [id],
      );
      return rows[0] === undefined ? undefined : toApiKey(rows[0]);
    },
  };
}
