import { test } from "uvu";
import * as assert from "uvu/assert";
import { hashPassword, isPasswordHash, verifyPassword } from "./password-hash.js";

test("a hash verifies its own password only", async () => {
  const stored = await hashPassword("correct horse");
  assert.ok(isPasswordHash(stored));
  assert.ok(stored.startsWith("scrypt$15$8$1$"));
  assert.not.ok(stored.includes("correct horse"));
  assert.ok(await verifyPassword("correct horse", stored));
  assert.not.ok(await verifyPassword("correct hors", stored));
  assert.not.ok(await verifyPassword("Correct horse", stored));
  assert.not.ok(await verifyPassword("", stored));
});

test("each hash has its own salt", async () => {
  const [a, b] = await Promise.all([hashPassword("same"), hashPassword("same")]);
  assert.is.not(a, b);
});

test("a composed and a decomposed spelling are one password (NFC)", async () => {
  const stored = await hashPassword("caf\u00e9!");
  assert.ok(await verifyPassword("cafe\u0301!", stored));
});

test("a malformed hash never verifies", async () => {
  for (const stored of [
    "",
    "plain",
    "scrypt$15$8$1$short$short",
    "scrypt$40$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  ])
    assert.not.ok(await verifyPassword("x", stored), stored);
});

test.run();
