import type {
  ApiKey as ApiKeyMessage,
  ApiKeyServiceServer,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  ListApiKeysRequest,
  ListApiKeysResponse,
  RevokeApiKeyRequest,
} from "@kurt/contract";
import { type Logger, unary } from "@kurt/platform";
import type { ApiKeyService } from "../domain/api-key-service.js";
import { toApiKeyMessage } from "../messages/api-key-message.js";
import type { Authorize } from "./authorize.js";

/** kurt.v1.ApiKeyService: admin keys only. The new secret is in the answer and nowhere else. */
export function createApiKeyServiceHandlers(deps: {
  readonly apiKeys: ApiKeyService;
  readonly authorize: Authorize;
  readonly logger: Logger;
}): ApiKeyServiceServer {
  const { apiKeys, authorize, logger } = deps;
  return {
    createApiKey: unary<CreateApiKeyRequest, CreateApiKeyResponse>(logger, async (request, context) => {
      const caller = await authorize.write(context, "admin");
      const issued = await apiKeys.createKey({ name: request.name, scopes: request.scopes });
      context.logger.info("api key created", {
        apiKeyId: issued.key.id,
        prefix: issued.key.prefix,
        scopes: issued.key.scopes,
        byApiKeyId: caller.id,
      });
      return { apiKey: toApiKeyMessage(issued.key), secret: issued.secret };
    }),

    listApiKeys: unary<ListApiKeysRequest, ListApiKeysResponse>(logger, async (request, context) => {
      await authorize.read(context, "admin");
      const page = await apiKeys.listKeys({ pageSize: request.pageSize, pageToken: request.pageToken });
      return { apiKeys: page.keys.map(toApiKeyMessage), nextPageToken: page.nextPageToken };
    }),

    revokeApiKey: unary<RevokeApiKeyRequest, ApiKeyMessage>(logger, async (request, context) => {
      const caller = await authorize.write(context, "admin");
      const key = await apiKeys.revokeKey(request.id);
      context.logger.info("api key revoked", { apiKeyId: key.id, prefix: key.prefix, byApiKeyId: caller.id });
      return toApiKeyMessage(key);
    }),
  };
}
