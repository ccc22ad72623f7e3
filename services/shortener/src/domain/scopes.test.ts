import { test } from "uvu";
import * as assert from "uvu/assert";
import { validateScopes } from "./scopes.js";

test("a new key's scopes: at least one, all known, deduplicated in a fixed order", () => {
  assert.equal(validateScopes(["stats:read", "links:write", "stats:read"]), ["links:write", "stats:read"]);
  assert.throws(() => validateScopes([]), /^scopes: at least one of links:write, links:read, stats:read, admin$/);
  assert.throws(() => validateScopes(["links:read", "links:delete"]), /^scopes\[1\]: unknown scope "links:delete"/);
  assert.throws(() => validateScopes(["ADMIN"]), /unknown scope "ADMIN"/);
});

test.run();
