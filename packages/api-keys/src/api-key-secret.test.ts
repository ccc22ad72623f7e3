import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  API_KEY_SECRET_PATTERN,
  displayPrefix,
  generateApiKeySecret,
  hashApiKeySecret,
  parseBearer,
} from "./api-key-secret.js";

test("a secret is kurt_ and 43 base64url characters of 32 random bytes", () => {
  const secrets = new Set(Array.from({ length: 100 }, () => generateApiKeySecret()));
  assert.is(secrets.size, 100);
  for (const secret of secrets) {
    assert.match(secret, /^kurt_[A-Za-z0-9_-]{43}$/);
    assert.is(Buffer.from(secret.slice(5), "base64url").length, 32);
  }
  assert.is(
    generateApiKeySecret(() => new Uint8Array(32)),
    `kurt_${"A".repeat(43)}`,
  );
});

test("the stored form is the SHA-256 of the whole secret, and the display prefix shows 4 characters after kurt_", () => {
  const secret = `kurt_${"A".repeat(43)}`;
  assert.is(
    hashApiKeySecret(secret).toString("hex"),
    "a6c1d671dfb5e7f04bc91b89215c477f465dcd5ac192e62fcf1cc889f3c35e64",
  );
  assert.is(hashApiKeySecret(secret).length, 32);
  assert.not.equal(hashApiKeySecret(secret), hashApiKeySecret(`${secret.slice(0, -1)}B`));
  assert.is(displayPrefix(secret), "kurt_AAAA");
});

test("a bearer header yields the secret; the scheme is case-insensitive", () => {
  const secret = generateApiKeySecret();
  assert.equal(parseBearer(`Bearer ${secret}`), { ok: true, secret });
  assert.equal(parseBearer(`bearer ${secret}`), { ok: true, secret });
  assert.ok(API_KEY_SECRET_PATTERN.test(secret));
});

test("missing and malformed headers are told apart, and the reason never echoes the value", () => {
  const secret = generateApiKeySecret();
  const reasons = [
    [undefined, /missing API key/],
    ["", /missing API key/],
    [secret, /malformed authorization: expected "Bearer <key>"/],
    [`Basic ${secret}`, /malformed authorization/],
    [`Bearer ${secret} extra`, /malformed authorization/],
    ["Bearer kurt_short", /malformed API key/],
    [`Bearer ${secret}x`, /malformed API key/],
    [`Bearer ${secret.replace("kurt_", "kurx_")}`, /malformed API key/],
  ] as const;
  for (const [header, reason] of reasons) {
    const parsed = parseBearer(header);
    assert.is(parsed.ok, false, String(header));
    if (!parsed.ok) {
      assert.match(parsed.reason, reason);
      assert.not.ok(parsed.reason.includes(secret.slice(5, 20)), "the reason must not contain the key");
    }
  }
});

test.run();
