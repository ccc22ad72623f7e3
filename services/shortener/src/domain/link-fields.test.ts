import { UnreadableTimestamp } from "@kurt/platform/timestamps";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  MAX_CACHE_SECONDS,
  validateCacheSeconds,
  validateExpiresAt,
  validateRedirectStatus,
  validateTags,
  validateTitle,
  validateValidSince,
} from "./link-fields.js";

test("redirectStatus defaults to 302 and accepts 301, 302, 307 and 308 only", () => {
  assert.is(validateRedirectStatus(undefined), 302);
  for (const status of [301, 302, 307, 308]) assert.is(validateRedirectStatus(status), status);
  for (const status of [0, 200, 303, 304, 300, 309, -1])
    assert.throws(
      () => validateRedirectStatus(status),
      new RegExp(`^redirectStatus: must be 301, 302, 307 or 308, got ${status}$`),
    );
});

test("validSince may lie in the past or up to 100 years ahead, and must come before the expiry", () => {
  const now = new Date("2030-01-01T00:00:00Z");
  const past = new Date("2020-01-01T00:00:00Z");
  const soon = new Date("2030-01-02T00:00:00Z");
  assert.is(validateValidSince(past, now, null), past, "in the past: valid at once");
  assert.is(validateValidSince(soon, now, new Date("2030-01-03T00:00:00Z")), soon);
  assert.throws(() => validateValidSince(soon, now, soon), /^validSince: must be before expiresAt/);
  assert.throws(() => validateValidSince(soon, now, past), /would never redirect/);
  assert.throws(
    () => validateValidSince(new Date("2130-01-01T00:00:01Z"), now, null),
    /^validSince: must be at most 100 years ahead/,
  );
  assert.throws(() => validateValidSince(new Date(Number.NaN), now, null), /^validSince: not a valid timestamp/);
});

test("expiresAt must lie in the future", () => {
  const now = new Date("2030-01-01T00:00:00Z");
  const later = new Date("2030-01-01T00:00:01Z");
  assert.is(validateExpiresAt(later, now), later);
  assert.throws(() => validateExpiresAt(now, now), /^expiresAt: must be in the future/);
  assert.throws(() => validateExpiresAt(new Date("2020-01-01T00:00:00Z"), now), /got 2020-01-01T00:00:00.000Z/);
  assert.throws(() => validateExpiresAt(new Date(Number.NaN), now), /^expiresAt: not a valid timestamp/);
});

test("expiresAt may lie at most 100 years ahead, to the millisecond", () => {
  const now = new Date("2026-12-04T10:00:00.000Z");
  const limit = new Date("2126-12-04T10:00:00.000Z");
  assert.is(validateExpiresAt(limit, now), limit);
  assert.throws(
    () => validateExpiresAt(new Date(limit.getTime() + 1), now),
    /^expiresAt: must be at most 100 years ahead \(no later than 2126-12-04T10:00:00\.000Z\), got 2126-12-04T10:00:00\.001Z$/,
  );
  // seconds = 300,000,000,000: a Date holds it, RFC 3339 cannot print it.
  assert.throws(
    () => validateExpiresAt(new Date(300_000_000_000 * 1000), now),
    /^expiresAt: must be at most 100 years ahead .*, got \+011476-/,
  );
  assert.throws(() => validateExpiresAt(new Date(8_640_000_000_000_000), now), /at most 100 years ahead/);
});

test("an expiry the request decoder could not read is refused with its reason", () => {
  const now = new Date("2026-12-04T10:00:00.000Z");
  assert.throws(
    () => validateExpiresAt(new UnreadableTimestamp("nanos must be from 0 to 999,999,999, got -1"), now),
    /^expiresAt: nanos must be from 0 to 999,999,999, got -1$/,
  );
});

test("whatever the clock says, an expiry outside 1970-01-01 … 9999-12-31 is refused", () => {
  const farFuture = new Date("9950-01-01T00:00:00.000Z");
  assert.throws(
    () => validateExpiresAt(new Date("+010000-01-01T00:00:00.000Z"), farFuture),
    /^expiresAt: must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z, got \+010000-01-01T00:00:00\.000Z$/,
  );
  const latest = new Date("9999-12-31T23:59:59.999Z");
  assert.is(validateExpiresAt(latest, farFuture), latest);
});

test("a title has at most 200 characters, counted as characters, not UTF-16 units", () => {
  assert.is(validateTitle("Spring sale"), "Spring sale");
  assert.is(validateTitle("é".repeat(200)), "é".repeat(200));
  assert.is(validateTitle("😀".repeat(200)), "😀".repeat(200));
  assert.throws(() => validateTitle("x".repeat(201)), /^title: at most 200 characters, got 201$/);
});

test("an empty title means no title, and control characters are refused", () => {
  assert.is(validateTitle(""), null);
  assert.throws(() => validateTitle("a\nb"), /^title: must not contain control characters/);
  assert.throws(() => validateTitle("a\u0000b"), /control characters/);
});

test("tags are up to 20 strings of 1 to 50 of [A-Za-z0-9_.:-], duplicates dropped in order", () => {
  assert.equal(validateTags([]), []);
  assert.equal(validateTags(["campaign:spring-24", "v1.2", "Team_A", "team_a", "campaign:spring-24"]), [
    "campaign:spring-24",
    "v1.2",
    "Team_A",
    "team_a",
  ]);
  const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`);
  assert.equal(validateTags(twenty), twenty);
  assert.throws(() => validateTags([...twenty, "t20"]), /^tags: at most 20 tags, got 21$/);
  assert.is(validateTags(["x".repeat(50)])[0], "x".repeat(50));
  assert.throws(() => validateTags(["ok", "x".repeat(51)]), /^tags\[1\]: must be 1 to 50 characters/);
  assert.throws(() => validateTags([""]), /^tags\[0\]: must be 1 to 50/);
  assert.throws(() => validateTags(["has space"]), /got "has space"/);
  assert.throws(() => validateTags(["ünicode"]), /tags\[0\]/);
});

test("tags from a JSON list must all be strings", () => {
  assert.throws(() => validateTags(["a", 1]), /^tags\[1\]: must be a string, got number$/);
  assert.throws(() => validateTags([null]), /^tags\[0\]: must be a string, got null$/);
  assert.throws(() => validateTags([true]), /got boolean/);
  assert.throws(() => validateTags([{ a: 1 }]), /got object/);
  assert.throws(() => validateTags([["a"]]), /got object/);
});

test("cacheSeconds is a whole number of seconds from 0 (the default: not kept) to a year", () => {
  assert.is(validateCacheSeconds(undefined), 0);
  for (const value of [0, 1, 3600, MAX_CACHE_SECONDS]) assert.is(validateCacheSeconds(value), value);
  assert.is(MAX_CACHE_SECONDS, 31_536_000);
  for (const value of [-1, MAX_CACHE_SECONDS + 1, 1.5, Number.NaN])
    assert.throws(() => validateCacheSeconds(value), /cacheSeconds: must be a whole number from 0 to 31536000/);
});

test.run();
