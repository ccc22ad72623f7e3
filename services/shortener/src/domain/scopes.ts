import { API_KEY_SCOPES, type ApiKeyScope, isApiKeyScope } from "@kurt/contract/scopes";
import { invalidArgument } from "@kurt/platform/errors";

/** The scopes of a new key: at least one, each known; duplicates dropped, order of the known list kept. */
export function validateScopes(values: readonly string[]): ApiKeyScope[] {
  if (values.length === 0) throw invalidArgument("scopes", `at least one of ${API_KEY_SCOPES.join(", ")}`);
  values.forEach((value, index) => {
    if (!isApiKeyScope(value))
      throw invalidArgument(
        `scopes[${index}]`,
        `unknown scope ${JSON.stringify(value.slice(0, 40))}; known: ${API_KEY_SCOPES.join(", ")}`,
      );
  });
  return API_KEY_SCOPES.filter((scope) => values.includes(scope));
}
