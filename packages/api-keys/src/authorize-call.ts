import { type ApiKeyScope, AUTHORIZATION_KEY } from "@kurt/contract";
import { type CallContext, KurtError } from "@kurt/platform";
import type { Authenticate, StoredKeyGrant } from "./authenticate.js";

/** Checks a call's API key for a scope: the key when it grants it, UNAUTHENTICATED or PERMISSION_DENIED otherwise. */
export type AuthorizeCall<K extends StoredKeyGrant> = (context: CallContext, needed: ApiKeyScope) => Promise<K>;

/**
 * The check every service makes before anything else, so that an
 * unauthenticated caller learns nothing about input rules or stored data:
 * the call's `authorization` metadata (Envoy passes the HTTP header on as
 * is) through `authenticate`. A refusal (a domain error: UNAUTHENTICATED,
 * PERMISSION_DENIED, or UNAVAILABLE when the keys cannot be read) is logged
 * with the scope and the reason, which never echoes the secret; any other
 * error is a bug, left to the handler's internal-error log.
 */
export function createAuthorizeCall<K extends StoredKeyGrant>(authenticate: Authenticate<K>): AuthorizeCall<K> {
  return async (context, needed) => {
    try {
      return await authenticate(context.header(AUTHORIZATION_KEY), needed);
    } catch (error) {
      if (error instanceof KurtError) context.logger.info("call refused", { needed, reason: error.message });
      throw error;
    }
  };
}
