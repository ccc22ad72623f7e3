import { test } from "uvu";
import * as assert from "uvu/assert";
import { keySlot } from "./redis-slots.js";

test("slots agree with CLUSTER KEYSLOT", () => {
  // Values from redis-server 7.0's CLUSTER KEYSLOT.
  assert.is(keySlot("a"), 15495);
  assert.is(keySlot("b"), 3300);
  assert.is(keySlot("cc"), 700);
  assert.is(keySlot("123456789"), 12739);
});

test("a hash tag decides the slot, an empty one does not", () => {
  assert.is(keySlot("{user1000}.following"), keySlot("user1000"));
  assert.is(keySlot("foo{}{bar}"), keySlot("foo{}{bar}"));
  assert.is.not(keySlot("foo{}{bar}"), keySlot("bar"));
});

test.run();
