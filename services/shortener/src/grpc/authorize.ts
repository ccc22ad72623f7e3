import { type ApiKeyScope, AUTHORIZATION_KEY } from "@kurt/contract";
import type { CallContext } from "@kurt/platform";
import type { ApiKey } from "../domain/api-key.js";
import type { ApiKeyService } from "../domain/api-key-service.js";
import { type WriteRateLimiter, writeRateLimitExceeded } from "../domain/write-rate-limiter.js";

export interface Authorize {
  /** A call that changes nothing: the key must be active and grant `needed`. */
  read(context: CallContext, needed: ApiKeyScope): Promise<ApiKey>;
  /** A call that writes: the same, then one token of that key's write budget (RESOURCE_EXHAUSTED when spent). */
  write(context: CallContext, needed: ApiKeyScope): Promise<ApiKey>;
}

/**
 * Checks the call's `authorization` metadata (Envoy passes the HTTP header
 * on as is) before anything else, so that an unauthenticated caller learns
 * nothing about input rules or stored links. A write is counted against its
 * key only once the key is verified and grants the scope: a request without
 * a valid key uses up no one's budget. Only the key's id reaches the logs,
 * never the secret.
 */
export function createAuthorize(apiKeys: ApiKeyService, writeLimit: WriteRateLimiter): Authorize {
  const read: Authorize["read"] = async (context, needed) => {
    try {
      return await apiKeys.authenticate(context.header(AUTHORIZATION_KEY), needed);
    } catch (error) {
      context.logger.info("call refused", { needed, reason: (error as Error).message });
      throw error;
    }
  };
  return {
    read,
    async write(context, needed) {
      const key = await read(context, needed);
      const decision = writeLimit.take(key.id);
      if (!decision.allowed) {
        const error = writeRateLimitExceeded(writeLimit, decision.retryAfterMs);
        context.logger.info("call refused", { needed, apiKeyId: key.id, reason: error.message });
        throw error;
      }
      return key;
    },
  };
}
