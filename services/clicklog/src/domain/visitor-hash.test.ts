import { test } from "uvu";
import * as assert from "uvu/assert";
import { visitorHash } from "./visitor-hash.js";

const key1 = Buffer.alloc(32, 1);
const key2 = Buffer.alloc(32, 2);
const UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0";

test("the same address and user agent hash the same under one day's key", () => {
  assert.equal(visitorHash(key1, "203.0.113.7", UA), visitorHash(key1, "203.0.113.7", UA));
  assert.is(visitorHash(key1, "203.0.113.7", UA).length, 16);
});

test("another day's key gives an unrelated hash", () => {
  assert.not.equal(visitorHash(key1, "203.0.113.7", UA), visitorHash(key2, "203.0.113.7", UA));
});

test("another address or user agent is another visitor", () => {
  assert.not.equal(visitorHash(key1, "203.0.113.7", UA), visitorHash(key1, "203.0.113.8", UA));
  assert.not.equal(visitorHash(key1, "203.0.113.7", UA), visitorHash(key1, "203.0.113.7", `${UA} X`));
});

test("the hash does not contain the address", () => {
  const hash = visitorHash(key1, "203.0.113.7", UA);
  assert.not.ok(hash.includes(Buffer.from("203.0.113.7")));
});

test.run();
