import type { ApiKey as ApiKeyMessage } from "@kurt/contract";
import type { ApiKey } from "../domain/api-key.js";

/** An API key as the API shows it: never its secret or hash. */
export function toApiKeyMessage(key: ApiKey): ApiKeyMessage {
  return {
    id: key.id,
    name: key.name,
    scopes: [...key.scopes],
    createdAt: key.createdAt,
    revokedAt: key.revokedAt ?? undefined,
  };
}
