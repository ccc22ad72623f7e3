import type { ApiKeyScope } from "@kurt/contract/scopes";
import { permissionDenied, unauthenticated } from "@kurt/platform/errors";
import { hashApiKeySecret, parseBearer } from "./api-key-secret.js";

/** What a check needs to know of a stored key. */
export interface StoredKeyGrant {
  readonly id: string;
  readonly scopes: readonly ApiKeyScope[];
  readonly revokedAt: Date | null;
}

/** Finds a key by the SHA-256 of its secret (one indexed lookup); revoked keys are answered too. */
export type KeyLookup<K extends StoredKeyGrant> = (secretHash: Buffer) => Promise<K | undefined>;

export type Authenticate<K extends StoredKeyGrant> = (
  authorization: string | undefined,
  needed: ApiKeyScope,
) => Promise<K>;

/** admin implies every other scope; otherwise a key holds exactly what it lists (links:write does not imply links:read). */
export function grants(held: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  return held.includes("admin") || held.includes(needed);
}

/**
 * The one check of an `authorization` value, shared by every service that
 * takes API keys: UNAUTHENTICATED for a missing, malformed, unknown or
 * revoked key, PERMISSION_DENIED naming the scope for a key without it. The
 * lookup decides how soon a revocation counts: a plain one (a query per
 * call) at once, a cached one (cached-key-lookup.ts) within its maxAgeMs.
 * No message ever echoes the secret.
 */
export function createAuthenticate<K extends StoredKeyGrant>(lookup: KeyLookup<K>): Authenticate<K> {
  return async (authorization, needed) => {
    const bearer = parseBearer(authorization);
    if (!bearer.ok) throw unauthenticated(bearer.reason);
    const key = await lookup(hashApiKeySecret(bearer.secret));
    if (key === undefined) throw unauthenticated("unknown API key");
    if (key.revokedAt !== null) throw unauthenticated("API key was revoked");
    if (!grants(key.scopes, needed))
      throw permissionDenied(`this API key lacks the scope ${needed} (it has ${key.scopes.join(", ")})`);
    return key;
  };
}
