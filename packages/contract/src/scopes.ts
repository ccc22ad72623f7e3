/**
 * API key scopes. The proto carries them as strings so that their JSON form
 * reads "links:write"; this list is the one place that says which exist.
 */
export const API_KEY_SCOPES = ["links:write", "links:read", "stats:read", "admin"] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}
