import { test } from "uvu";
import * as assert from "uvu/assert";
import { redactSecrets } from "./redact-secrets.js";

const key = "kurt_Abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE";

test("an API key anywhere in a line keeps only the prefix listings show", () => {
  const line = redactSecrets(`{"msg":"x","detail":"Failed to add metadata entry authorization: ${key}"}`);
  assert.not.match(line, key.slice(9));
  assert.match(line, "kurt_Abcd…[redacted]");
});

test("whatever follows Bearer is cut, with a space, a tab or an escaped tab between", () => {
  for (const sep of [" ", "\t", "\\t", "\\u0009", "  "]) {
    const line = redactSecrets(`authorization: Bearer${sep}not-a-kurt-key-but-secret`);
    assert.not.match(line, "not-a-kurt-key-but-secret", JSON.stringify(sep));
  }
});

test("lines without secrets are left alone", () => {
  const line = '{"msg":"link created","code":"kurt_x","apiKeyId":"k_123"}';
  assert.is(redactSecrets(line), line);
});

test("a redacted JSON line is still valid JSON, whatever surrounds the secret", () => {
  for (const value of [
    'Bearer\tabc"def',
    'value "Bearer x\\y" contains',
    `Metadata string value "Bearer\t${key}" contains illegal characters`,
    "bearer",
    `Bearer ${key}\\`,
  ]) {
    const line = redactSecrets(JSON.stringify({ msg: "grpc-js", detail: value }));
    assert.type(JSON.parse(line), "object", line);
    assert.not.match(line, key.slice(9));
  }
});

test.run();
