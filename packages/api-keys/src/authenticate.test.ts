import { test } from "uvu";
import * as assert from "uvu/assert";
import { generateApiKeySecret, hashApiKeySecret } from "./api-key-secret.js";
import { createAuthenticate, grants, type StoredKeyGrant } from "./authenticate.js";

test("admin grants every scope", () => {
  for (const scope of ["links:write", "links:read", "stats:read", "admin"] as const)
    assert.ok(grants(["admin"], scope));
});

test("other scopes grant exactly themselves", () => {
  assert.ok(grants(["links:write"], "links:write"));
  assert.not.ok(grants(["links:write"], "links:read"), "writing does not imply reading");
  assert.not.ok(grants(["links:read"], "links:write"));
  assert.not.ok(grants(["links:read", "links:write", "stats:read"], "admin"));
  assert.not.ok(grants([], "links:read"));
});

const active = generateApiKeySecret();
const revoked = generateApiKeySecret();
const keys = new Map<string, StoredKeyGrant>([
  [hashApiKeySecret(active).toString("hex"), { id: "a", scopes: ["stats:read"], revokedAt: null }],
  [hashApiKeySecret(revoked).toString("hex"), { id: "r", scopes: ["admin"], revokedAt: new Date() }],
]);
const authenticate = createAuthenticate(async (hash) => keys.get(hash.toString("hex")));

test("an active key with the scope is answered; each refusal says why without echoing the key", async () => {
  assert.is((await authenticate(`Bearer ${active}`, "stats:read")).id, "a");
  const refusal = (header: string | undefined, scope: "stats:read" | "links:write") =>
    authenticate(header, scope).then(
      () => "accepted",
      (error: Error & { code?: string }) => `${error.code}: ${error.message}`,
    );
  assert.match(await refusal(undefined, "stats:read"), /^unauthenticated: missing API key/);
  assert.match(await refusal("Basic abc", "stats:read"), /^unauthenticated: malformed authorization/);
  assert.match(await refusal(`Bearer ${generateApiKeySecret()}`, "stats:read"), /^unauthenticated: unknown API key$/);
  assert.match(await refusal(`Bearer ${revoked}`, "stats:read"), /^unauthenticated: API key was revoked$/);
  const denied = await refusal(`Bearer ${active}`, "links:write");
  assert.match(denied, /^permission_denied: this API key lacks the scope links:write/);
  assert.not.match(denied, new RegExp(active));
});

test.run();
