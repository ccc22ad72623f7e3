import { isReservedCode } from "@kurt/core/link-code";
import { KurtError } from "@kurt/platform/errors";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { validateCustomCode, validateLookupCode } from "./link-code.js";

function refused(code: string, reason: RegExp) {
  try {
    validateCustomCode(code);
  } catch (error) {
    assert.instance(error, KurtError);
    assert.is((error as KurtError).code, "invalid_argument");
    assert.is((error as KurtError).field, "code");
    assert.match((error as KurtError).message, reason);
    return;
  }
  assert.unreachable(`${JSON.stringify(code)} should have been refused`);
}

test("custom codes of 3 to 64 characters of [A-Za-z0-9_-] are accepted as sent", () => {
  for (const code of ["abc", "My-Link_2024", "A".repeat(64), "a-b", "___", "x1Y"])
    assert.is(validateCustomCode(code), code);
});

test("codes of the wrong length or with other characters are refused", () => {
  refused("ab", /3 to 64 characters/);
  refused("a".repeat(65), /3 to 64 characters/);
  refused("has space", /got "has space"/);
  refused("dot.ted", /3 to 64/);
  refused("slash/y", /3 to 64/);
  refused("ünï", /3 to 64/);
  refused("abc\u0000", /3 to 64/);
  refused("", /must not be empty/);
});

test("a long refused code is shortened in the message", () => {
  try {
    validateCustomCode(`${"x".repeat(200)}!`);
    assert.unreachable();
  } catch (error) {
    assert.ok((error as Error).message.length < 200);
  }
});

test("reserved words are refused in any letter case", () => {
  for (const code of ["v1", "V1", "healthz", "HealthZ", "metrics", "__ceiling", "api", "ADMIN", "static", "v2", "v10"])
    assert.ok(isReservedCode(code), code);
  // Routed only in the benchmark's gateway profile, but reserved all the same.
  assert.ok(isReservedCode("__floor-http"));
  refused("healthz", /"healthz" is reserved/);
  refused("Metrics", /"Metrics" is reserved/);
  refused("api", /reserved/);
  refused("v20", /reserved/);
});

test("words that merely contain a reserved word are not reserved", () => {
  for (const code of ["v1x", "apis", "my-admin", "metrics2", "vv1", "healthz-check"]) {
    assert.not.ok(isReservedCode(code), code);
    assert.is(validateCustomCode(code), code);
  }
});

test("a code to look up must have a code's shape but may be reserved (it is simply not found)", () => {
  assert.is(validateLookupCode("Ab3dE7x"), "Ab3dE7x");
  assert.is(validateLookupCode("healthz"), "healthz");
  assert.throws(() => validateLookupCode(""), /code: required/);
  assert.throws(() => validateLookupCode("a\u0000b"), /code: not a link code/);
  assert.throws(() => validateLookupCode("x".repeat(65)), /code: not a link code/);
});

test.run();
