import { type ApiKeyScope, AUTHORIZATION_KEY } from "@kurt/contract";
import type { CallContext } from "@kurt/platform";
import type { ApiKey } from "../domain/api-key.js";
import type { ApiKeyService } from "../domain/api-key-service.js";

export type Authorize = (context: CallContext, needed: ApiKeyScope) => Promise<ApiKey>;

/**
 * Checks the call's `authorization` metadata (Envoy passes the HTTP header
 * on as is) before anything else, so that an unauthenticated caller learns
 * nothing about input rules or stored links. Only the key's id reaches the
 * logs, never the secret.
 */
export function createAuthorize(apiKeys: ApiKeyService): Authorize {
  return async (context, needed) => {
    try {
      return await apiKeys.authenticate(context.header(AUTHORIZATION_KEY), needed);
    } catch (error) {
      context.logger.info("call refused", { needed, reason: (error as Error).message });
      throw error;
    }
  };
}
