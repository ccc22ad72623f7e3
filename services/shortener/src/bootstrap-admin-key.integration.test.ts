import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { hashApiKeySecret } from "@kurt/api-keys";
import pg from "pg";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../tests/support/stack.js";
import { createPgApiKeyStore } from "./adapters/pg-api-key-store.js";
import { ensureAdminKey } from "./bootstrap-admin-key.js";
import { createApiKeyService } from "./domain/api-key-service.js";

const connectionString = serviceEnv.KURT_PG_PRIMARY_URL;
const dir = mkdtempSync(path.join(tmpdir(), "kurt-admin-key-"));

test("on a new installation an admin key is issued and written to a file only its owner can read", async () => {
  const keyFile = path.join(dir, "admin-api-key");
  assert.equal(await ensureAdminKey({ connectionString, keyFile }), { created: true });
  assert.is(statSync(keyFile).mode & 0o777, 0o600);
  const secret = readFileSync(keyFile, "utf8").trim();
  assert.match(secret, /^kurt_[A-Za-z0-9_-]{43}$/);
  const pool = new pg.Pool({ connectionString, max: 1 });
  try {
    const key = await createApiKeyService({ store: createPgApiKeyStore(pool) }).authenticate(
      `Bearer ${secret}`,
      "admin",
    );
    assert.is(key.name, "bootstrap admin");
    assert.equal(key.scopes, ["admin"]);
  } finally {
    await pool.end();
  }
});

test("when the key file exists nothing is issued and the file is left alone", async () => {
  const keyFile = path.join(dir, "admin-api-key");
  const before = readFileSync(keyFile, "utf8");
  assert.equal(await ensureAdminKey({ connectionString, keyFile }), { created: false });
  assert.is(readFileSync(keyFile, "utf8"), before);
});

test("a key file this database never issued (its data is new) gives way to a new admin key; a revoked key stays", async () => {
  const keyFile = path.join(dir, "stale-key");
  writeFileSync(keyFile, "kurt_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG\n", { mode: 0o600 });
  assert.equal(await ensureAdminKey({ connectionString, keyFile }), { created: true, replaced: true });
  const secret = readFileSync(keyFile, "utf8").trim();
  assert.is.not(secret, "kurt_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG");
  assert.is(statSync(keyFile).mode & 0o777, 0o600);
  const pool = new pg.Pool({ connectionString, max: 1 });
  try {
    const keys = createApiKeyService({ store: createPgApiKeyStore(pool) });
    assert.equal((await keys.authenticate(`Bearer ${secret}`, "admin")).scopes, ["admin"]);
    await pool.query("update api_keys set revoked_at = now() where secret_hash = $1", [hashApiKeySecret(secret)]);
    assert.equal(await ensureAdminKey({ connectionString, keyFile }), { created: false });
    assert.is(readFileSync(keyFile, "utf8").trim(), secret, "a revoked key is not replaced behind the revoker's back");
  } finally {
    await pool.end();
  }
});

test("two concurrent calls issue one key", async () => {
  const keyFile = path.join(dir, "racing-key");
  const results = await Promise.all([1, 2, 3].map(() => ensureAdminKey({ connectionString, keyFile })));
  assert.is(results.filter((result) => result.created).length, 1);
});

test("when the database is unreachable the call fails and leaves no key file behind", async () => {
  const keyFile = path.join(dir, "unreachable-key");
  try {
    await ensureAdminKey({ connectionString: "postgres://kurt:x@127.0.0.1:1/kurt", keyFile });
    assert.unreachable("should have failed");
  } catch (error) {
    assert.not.instance(error, assert.Assertion);
  }
  assert.throws(() => statSync(keyFile));
});

// The keys issued here are revoked before their files go: the stack's database outlives the test run.
test.after(async () => {
  const pool = new pg.Pool({ connectionString, max: 1 });
  const store = createPgApiKeyStore(pool);
  try {
    for (const file of readdirSync(dir)) {
      const key = await store.findBySecretHash(hashApiKeySecret(readFileSync(path.join(dir, file), "utf8").trim()));
      if (key !== undefined) await store.revoke(key.id);
    }
  } finally {
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
  }
});
test.run();
