import type { ApiKeyScope } from "@kurt/contract/scopes";

/** An API key as stored: never its secret, only the secret's hash (kept by the store) and its display prefix. */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export interface NewApiKey {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly secretHash: Buffer;
  readonly scopes: readonly ApiKeyScope[];
}

export interface ApiKeyPosition {
  readonly createdAtMicros: bigint;
  readonly id: string;
}

/** The api_keys table on the primary: the one place a revocation is seen by every replica at once. */
export interface ApiKeyStore {
  insert(key: NewApiKey): Promise<ApiKey>;
  /** One indexed lookup (secret_hash is unique); revoked keys are answered too. */
  findBySecretHash(hash: Buffer): Promise<ApiKey | undefined>;
  /** Newest first, strictly after `after`. */
  list(limit: number, after: ApiKeyPosition | undefined): Promise<Array<{ key: ApiKey; position: ApiKeyPosition }>>;
  /** Sets revoked_at unless already set; answers the key either way, undefined for an unknown id. */
  revoke(id: string): Promise<ApiKey | undefined>;
}
