import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeLinkCacheEntry, encodeLinkCacheEntry, type LinkCacheEntry, linkCacheKey } from "./link-cache.js";

const ENTRY: LinkCacheEntry = {
  url: "https://example.com/a",
  redirectStatus: 301,
  cacheSeconds: 60,
  expiresAtMs: 1_900_000_000_000,
  validSinceMs: 1_800_000_000_000,
  forwardQuery: true,
  maxVisits: null,
  passwordHash: null,
  rules: [],
  disabled: false,
  deleted: false,
  updatedAtMs: 1_700_000_000_000,
};

test("an entry reads back as written", () => {
  assert.equal(decodeLinkCacheEntry(encodeLinkCacheEntry(ENTRY)), ENTRY);
  const bare = { ...ENTRY, expiresAtMs: null, validSinceMs: null, forwardQuery: false };
  assert.equal(decodeLinkCacheEntry(encodeLinkCacheEntry(bare)), bare);
});

test("the version the shortener's guarded write compares stays the 7th element", () => {
  assert.is(JSON.parse(encodeLinkCacheEntry(ENTRY))[6], ENTRY.updatedAtMs);
});

test("entries written before later fields existed read with their defaults", () => {
  const seven = JSON.stringify([1, "https://example.com/a", 302, null, 0, 0, 5]);
  assert.equal(decodeLinkCacheEntry(seven), {
    url: "https://example.com/a",
    redirectStatus: 302,
    cacheSeconds: 0,
    expiresAtMs: null,
    validSinceMs: null,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
    disabled: false,
    deleted: false,
    updatedAtMs: 5,
  });
  const eight = JSON.stringify([1, "https://example.com/a", 302, null, 0, 0, 5, 30]);
  assert.is(decodeLinkCacheEntry(eight)?.cacheSeconds, 30);
});

test("anything else is a miss", () => {
  for (const text of ["", "{}", "[2]", JSON.stringify([1, "u", 302, null, 0, 0, 5, 0, "soon", 0]), "[1,2,3,4,5,6]"])
    assert.is(decodeLinkCacheEntry(text), undefined, text);
  assert.is(linkCacheKey("go.example.com/abc"), "kurt:link:v1:go.example.com/abc");
});

test.run();
