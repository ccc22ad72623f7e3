import { hashApiKeySecret } from "@kurt/api-keys";
import { KurtError } from "@kurt/platform";
import pg from "pg";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import { createApiKeyService } from "../domain/api-key-service.js";
import { createPgApiKeyStore } from "./pg-api-key-store.js";

const pool = new pg.Pool({ connectionString: serviceEnv.KURT_PG_PRIMARY_URL, max: 5 });
const store = createPgApiKeyStore(pool);
const service = createApiKeyService({ store });
// Every key made here is revoked at the end: the stack's database outlives the test run.
const made: string[] = [];
const apiKeys: typeof service = {
  ...service,
  async createKey(input) {
    const issued = await service.createKey(input);
    made.push(issued.key.id);
    return issued;
  },
};

async function rejection(promise: Promise<unknown>): Promise<KurtError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, KurtError);
    return error as KurtError;
  }
  throw new Error("expected a rejection");
}

test("a created key is stored as its hash and prefix, and found by the hash of its secret", async () => {
  const { key, secret } = await apiKeys.createKey({ name: "integration", scopes: ["links:read", "links:write"] });
  assert.match(secret, /^kurt_[A-Za-z0-9_-]{43}$/);
  assert.is(key.prefix, secret.slice(0, 9));
  assert.equal(key.scopes, ["links:write", "links:read"]);
  const { rows } = await pool.query<{ secret_hash: Buffer; prefix: string }>(
    "select secret_hash, prefix from api_keys where id = $1",
    [key.id],
  );
  assert.equal(rows[0]?.secret_hash, hashApiKeySecret(secret));
  const { rows: leaks } = await pool.query("select 1 from api_keys where position($1 in name || prefix) > 0", [
    secret.slice(9),
  ]);
  assert.is(leaks.length, 0, "the secret itself is stored nowhere");
  assert.equal(await store.findBySecretHash(hashApiKeySecret(secret)), key);
});

test("authenticate: the right scope passes, a missing one is PERMISSION_DENIED naming it", async () => {
  const { key, secret } = await apiKeys.createKey({ name: "reader", scopes: ["links:read"] });
  assert.is((await apiKeys.authenticate(`Bearer ${secret}`, "links:read")).id, key.id);
  const denied = await rejection(apiKeys.authenticate(`Bearer ${secret}`, "links:write"));
  assert.is(denied.code, "permission_denied");
  assert.match(denied.message, /lacks the scope links:write/);
});

test("authenticate: an admin key passes for every scope", async () => {
  const { secret } = await apiKeys.createKey({ name: "admin", scopes: ["admin"] });
  for (const scope of ["links:write", "links:read", "stats:read", "admin"] as const)
    await apiKeys.authenticate(`Bearer ${secret}`, scope);
});

test("authenticate: missing, malformed, unknown and revoked keys are UNAUTHENTICATED", async () => {
  const { key, secret } = await apiKeys.createKey({ name: "soon revoked", scopes: ["links:read"] });
  const unknown = `kurt_${"Z".repeat(43)}`;
  for (const [header, reason] of [
    [undefined, /missing/],
    ["Token abc", /malformed/],
    [`Bearer ${unknown}`, /unknown API key/],
  ] as const) {
    const error = await rejection(apiKeys.authenticate(header, "links:read"));
    assert.is(error.code, "unauthenticated");
    assert.match(error.message, reason);
  }
  const revoked = await apiKeys.revokeKey(key.id);
  assert.ok(revoked.revokedAt instanceof Date);
  const error = await rejection(apiKeys.authenticate(`Bearer ${secret}`, "links:read"));
  assert.is(error.code, "unauthenticated");
  assert.match(error.message, /revoked/);
});

test("revoking twice keeps the first instant; unknown ids are NOT_FOUND, malformed ones INVALID_ARGUMENT", async () => {
  const { key } = await apiKeys.createKey({ name: "twice", scopes: ["stats:read"] });
  const first = await apiKeys.revokeKey(key.id);
  const second = await apiKeys.revokeKey(key.id.toUpperCase());
  assert.is(second.revokedAt?.getTime(), first.revokedAt?.getTime());
  assert.is((await rejection(apiKeys.revokeKey("00000000-0000-4000-8000-000000000000"))).code, "not_found");
  const bad = await rejection(apiKeys.revokeKey("not-a-uuid"));
  assert.is(bad.code, "invalid_argument");
  assert.is(bad.field, "id");
});

test("bad names and scopes are refused and store nothing", async () => {
  const before = await pool.query<{ n: string }>("select count(*)::text as n from api_keys");
  for (const [input, field] of [
    [{ name: "", scopes: ["admin"] }, "name"],
    [{ name: "   ", scopes: ["admin"] }, "name"],
    [{ name: "x".repeat(101), scopes: ["admin"] }, "name"],
    [{ name: "a\nb", scopes: ["admin"] }, "name"],
    [{ name: "ok", scopes: [] }, "scopes"],
    [{ name: "ok", scopes: ["root"] }, "scopes[0]"],
  ] as const) {
    const error = await rejection(apiKeys.createKey(input));
    assert.is(error.code, "invalid_argument");
    assert.is(error.field, field);
  }
  const after = await pool.query<{ n: string }>("select count(*)::text as n from api_keys");
  assert.is(after.rows[0]?.n, before.rows[0]?.n);
});

test("keys are listed newest first and paged without repeats", async () => {
  const mine: string[] = [];
  for (let i = 0; i < 4; i++)
    mine.push((await apiKeys.createKey({ name: `page ${i}`, scopes: ["links:read"] })).key.id);
  const seen: string[] = [];
  let pageToken = "";
  do {
    const page = await apiKeys.listKeys({ pageSize: 3, pageToken });
    seen.push(...page.keys.map((key) => key.id));
    pageToken = page.nextPageToken;
  } while (pageToken !== "" && !seen.includes(mine[0] as string));
  assert.is(new Set(seen).size, seen.length);
  assert.equal(
    seen.filter((id) => mine.includes(id)),
    [...mine].reverse(),
  );
  const error = await rejection(apiKeys.listKeys({ pageSize: 3, pageToken: "nonsense" }));
  assert.is(error.field, "pageToken");
});

test("with key caches, a key revoked on one replica is refused there at once and on another within a second", async () => {
  // Two replicas as main.ts builds them: each its own pool and its own cache of verified keys.
  const otherPool = new pg.Pool({ connectionString: serviceEnv.KURT_PG_PRIMARY_URL, max: 2 });
  try {
    const maxAgeMs = 900;
    const replica1 = createApiKeyService({ store, keyCache: { maxAgeMs } });
    const replica2 = createApiKeyService({ store: createPgApiKeyStore(otherPool), keyCache: { maxAgeMs } });
    const { key, secret } = await apiKeys.createKey({ name: "revoked across replicas", scopes: ["links:write"] });
    const header = `Bearer ${secret}`;
    assert.is((await replica2.authenticate(header, "links:write")).id, key.id, "a new key works at once elsewhere");
    assert.is((await replica1.authenticate(header, "links:write")).id, key.id);

    await replica1.revokeKey(key.id);
    const revokedAt = performance.now();
    assert.is((await rejection(replica1.authenticate(header, "links:write"))).code, "unauthenticated");
    // Until its answer is maxAgeMs old, replica 2 may still let the key through; after that, never.
    let lastAccepted = revokedAt;
    while (performance.now() - revokedAt < 1_200) {
      const asked = performance.now();
      const outcome = await replica2.authenticate(header, "links:write").then(
        () => "accepted",
        (error: KurtError) => error.code,
      );
      if (outcome === "accepted") lastAccepted = asked;
      else assert.is(outcome, "unauthenticated");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(
      lastAccepted - revokedAt < 1_000,
      `accepted ${Math.round(lastAccepted - revokedAt)} ms after the revocation`,
    );
    assert.is((await rejection(replica2.authenticate(header, "links:write"))).code, "unauthenticated");
  } finally {
    await otherPool.end();
  }
});

test.after(async () => {
  for (const id of made) await store.revoke(id);
  await pool.end();
});
test.run();
