export type { BearerParse } from "./api-key-secret.js";
export {
  API_KEY_PREFIX,
  API_KEY_SECRET_PATTERN,
  displayPrefix,
  generateApiKeySecret,
  hashApiKeySecret,
  parseBearer,
} from "./api-key-secret.js";
export type { Authenticate, KeyLookup, StoredKeyGrant } from "./authenticate.js";
export { createAuthenticate, grants } from "./authenticate.js";
export type { AuthorizeCall } from "./authorize-call.js";
export { createAuthorizeCall } from "./authorize-call.js";
export type { CachedKeyLookup, KeyCacheOptions } from "./cached-key-lookup.js";
export { createCachedKeyLookup } from "./cached-key-lookup.js";
export { createApiKeyAuthorizer, createPgKeyLookup } from "./pg-key-lookup.js";
