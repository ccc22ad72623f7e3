import { test } from "uvu";
import * as assert from "uvu/assert";
import { linkState } from "./link-state.js";

const NOW = 1_800_000_000_000;
const live = { expiresAtMs: null, validSinceMs: null, disabled: false, deleted: false };

test("a link with no expiry, neither disabled nor deleted, is active", () => {
  assert.is(linkState(live, NOW), "active");
  assert.is(linkState({ ...live, expiresAtMs: NOW + 1 }, NOW), "active");
});

test("a link expires at its instant, not after", () => {
  assert.is(linkState({ ...live, expiresAtMs: NOW }, NOW), "expired");
  assert.is(linkState({ ...live, expiresAtMs: NOW - 1 }, NOW), "expired");
});

test("deleted wins over disabled, which wins over expired", () => {
  assert.is(linkState({ ...live, expiresAtMs: NOW - 1, disabled: true, deleted: true }, NOW), "deleted");
  assert.is(linkState({ ...live, expiresAtMs: NOW - 1, disabled: true, deleted: false }, NOW), "disabled");
});

test("a link is pending before its validSince instant and active from it on; gone states win", () => {
  assert.is(linkState({ ...live, validSinceMs: NOW + 1 }, NOW), "pending");
  assert.is(linkState({ ...live, validSinceMs: NOW }, NOW), "active");
  assert.is(linkState({ ...live, validSinceMs: NOW - 1 }, NOW), "active");
  assert.is(linkState({ ...live, validSinceMs: NOW + 1, disabled: true }, NOW), "disabled");
  assert.is(linkState({ ...live, validSinceMs: NOW + 1, expiresAtMs: NOW }, NOW), "expired");
});

test.run();
