import { createAuthorizeCall } from "@kurt/api-keys";
import type { ApiKeyScope } from "@kurt/contract";
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
 * The shared check of the call's API key (@kurt/api-keys' createAuthorizeCall)
 * for every call; a write is then counted against its key, only once the key
 * is verified and grants the scope: a request without a valid key uses up no
 * one's budget. Only the key's id reaches the logs, never the secret.
 */
export function createAuthorize(apiKeys: ApiKeyService, writeLimit: WriteRateLimiter): Authorize {
  const read: Authorize["read"] = createAuthorizeCall((authorization, needed) =>
    apiKeys.authenticate(authorization, needed),
  );
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
