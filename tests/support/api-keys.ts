import type { ApiKeyScope } from "@kurt/contract";
import { adminKeyFile, readAdminKey, resolvePaths } from "@kurt/tool";
import { describe, request } from "./http-client.js";
import { uniqueName } from "./stack.js";

/** The first admin key, which `./kurt up` writes to `<KURT_STATE_DIR>/admin-api-key`. */
export function adminKey(): string {
  const paths = resolvePaths();
  const key = readAdminKey(paths);
  if (key === undefined) throw new Error(`no admin API key in ${adminKeyFile(paths)}: has ./kurt up run?`);
  return key;
}

export interface TestApiKey {
  readonly id: string;
  readonly secret: string;
}

/** A key with just these scopes, made through the API by the admin key. */
export async function createApiKey(scopes: readonly ApiKeyScope[], name = uniqueName("e2e")): Promise<TestApiKey> {
  const answer = await request("POST", "/v1/api-keys", { key: adminKey(), body: { name, scopes } });
  if (answer.status !== 200 && answer.status !== 201) throw new Error(`cannot create an API key: ${describe(answer)}`);
  return { id: answer.json.apiKey.id, secret: answer.json.secret };
}

export async function revokeApiKey(id: string): Promise<void> {
  const answer = await request("DELETE", `/v1/api-keys/${encodeURIComponent(id)}`, { key: adminKey() });
  if (answer.status !== 200 && answer.status !== 204)
    throw new Error(`cannot revoke API key ${id}: ${describe(answer)}`);
}
