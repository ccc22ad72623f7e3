import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  CUSTOM_CODE_PATTERN,
  GATEWAY_ROUTED_CODES,
  GENERATED_CODE_ALPHABET,
  GENERATED_CODE_LENGTH,
  GENERATED_CODE_PATTERN,
  isReservedCode,
  isWellFormedCode,
  RESERVED_CODES,
} from "./link-code.js";

test("custom codes are 3 to 64 of [A-Za-z0-9_-]", () => {
  for (const code of ["abc", "My-Link_2024", "A".repeat(64), "a-b", "___"])
    assert.ok(CUSTOM_CODE_PATTERN.test(code), code);
  for (const code of ["ab", "a".repeat(65), "dot.ted", "slash/y", "ünï", "abc\u0000", ""])
    assert.not.ok(CUSTOM_CODE_PATTERN.test(code), code);
});

test("a generated code has the generated shape, which is also a custom code's and a well-formed one", () => {
  assert.is(GENERATED_CODE_ALPHABET.length, 62);
  const code = GENERATED_CODE_ALPHABET.slice(0, GENERATED_CODE_LENGTH);
  assert.ok(GENERATED_CODE_PATTERN.test(code));
  assert.ok(CUSTOM_CODE_PATTERN.test(code));
  assert.ok(isWellFormedCode(code));
  assert.not.ok(GENERATED_CODE_PATTERN.test("abc_def"));
});

test("well-formed codes are what a reader may look up; junk is not", () => {
  assert.ok(isWellFormedCode("x"));
  assert.ok(isWellFormedCode("x".repeat(64)));
  for (const code of ["", "x".repeat(65), "a b", "../etc", "a\u0000b"]) assert.not.ok(isWellFormedCode(code), code);
});

test("reserved words, including every word the gateway routes, are reserved in any case", () => {
  for (const word of [...GATEWAY_ROUTED_CODES, ...RESERVED_CODES]) {
    assert.ok(isReservedCode(word), word);
    assert.ok(isReservedCode(word.toUpperCase()), word);
  }
  for (const code of ["v2", "V10", "api", "ADMIN"]) assert.ok(isReservedCode(code), code);
  for (const code of ["v1x", "apis", "my-admin", "metrics2", "vv1", "healthz-check"])
    assert.not.ok(isReservedCode(code), code);
});

test.run();
