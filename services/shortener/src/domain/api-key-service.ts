import { randomUUID } from "node:crypto";
import { createAuthenticate } from "@kurt/api-keys/authenticate";
import { createCachedKeyLookup, type KeyCacheOptions } from "@kurt/api-keys/cached-key-lookup";
import { displayPrefix, generateApiKeySecret, hashApiKeySecret } from "@kurt/api-keys/secret";
import type { ApiKeyScope } from "@kurt/contract/scopes";
import { invalidArgument, notFound } from "@kurt/platform/errors";
import type { ApiKey, ApiKeyStore } from "./api-key.js";
import { CONTROL_CHARACTER } from "./control-characters.js";
import { decodePageToken, encodePageToken, pageSize } from "./page-token.js";
import { validateScopes } from "./scopes.js";

export const MAX_KEY_NAME_LENGTH = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PAGE_KIND = "api-keys";

export interface IssuedApiKey {
  readonly key: ApiKey;
  /** Shown once, to the caller who created the key; never stored, never logged. */
  readonly secret: string;
}

export interface ApiKeyPage {
  readonly keys: readonly ApiKey[];
  readonly nextPageToken: string;
}

export interface ApiKeyService {
  createKey(input: { name: string; scopes: readonly string[] }): Promise<IssuedApiKey>;
  listKeys(request: { pageSize: number; pageToken: string }): Promise<ApiKeyPage>;
  revokeKey(id: string): Promise<ApiKey>;
  /**
   * The key behind an `authorization` value, if it is active and grants
   * `needed`: UNAUTHENTICATED for a missing, malformed, unknown or revoked
   * key, PERMISSION_DENIED naming the scope for a key without it. With a
   * key cache, a revocation takes effect at once on the replica that revoked
   * it and within the cache's maxAgeMs on every other; without one, at once
   * everywhere (a lookup per call).
   */
  authenticate(authorization: string | undefined, needed: ApiKeyScope): Promise<ApiKey>;
}

function validateName(name: string): string {
  if (name.trim() === "") throw invalidArgument("name", 'required: a label such as "ci" or "marketing site"');
  const length = [...name].length;
  if (length > MAX_KEY_NAME_LENGTH)
    throw invalidArgument("name", `at most ${MAX_KEY_NAME_LENGTH} characters, got ${length}`);
  if (CONTROL_CHARACTER.test(name)) throw invalidArgument("name", "must not contain control characters");
  return name;
}

/** API keys: issuing (the one implementation of secret and hash, also used by the bootstrap), listing, revoking, checking. */
export function createApiKeyService(deps: {
  readonly store: ApiKeyStore;
  /** Holds verified keys briefly instead of looking each call's key up. */
  readonly keyCache?: KeyCacheOptions;
}): ApiKeyService {
  const { store } = deps;
  const find = (hash: Buffer) => store.findBySecretHash(hash);
  const cached = deps.keyCache === undefined ? undefined : createCachedKeyLookup(find, deps.keyCache);
  const authenticate = createAuthenticate(cached?.lookup ?? find);
  return {
    async createKey(input) {
      const name = validateName(input.name);
      const scopes = validateScopes(input.scopes);
      const secret = generateApiKeySecret();
      const key = await store.insert({
        id: randomUUID(),
        name,
        prefix: displayPrefix(secret),
        secretHash: hashApiKeySecret(secret),
        scopes,
      });
      return { key, secret };
    },

    async listKeys(request) {
      const limit = pageSize(request.pageSize);
      const after =
        request.pageToken === ""
          ? undefined
          : (() => {
              const position = decodePageToken(PAGE_KIND, request.pageToken, UUID);
              return { createdAtMicros: position.createdAtMicros, id: position.key };
            })();
      const rows = await store.list(limit + 1, after);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        keys: page.map((row) => row.key),
        nextPageToken:
          rows.length > limit && last !== undefined
            ? encodePageToken(PAGE_KIND, { createdAtMicros: last.position.createdAtMicros, key: last.position.id })
            : "",
      };
    },

    async revokeKey(id) {
      const normalised = id.toLowerCase();
      if (!UUID.test(normalised)) throw invalidArgument("id", "not an API key id (a UUID)");
      const key = await store.revoke(normalised);
      if (key === undefined) throw notFound(`API key ${normalised}`);
      cached?.forget(key.id);
      return key;
    },

    authenticate,
  };
}
