import type { LinkCacheEntry } from "@kurt/contract/link-cache";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLocalLinkCache, type LocalLinkCacheOptions } from "./local-link-cache.js";

const entry = (url: string): LinkCacheEntry => ({
  url,
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
  updatedAtMs: 0,
});

/** A clock that moves only when the test says. */
function fakeClock() {
  let now = 5_000;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

const options: LocalLinkCacheOptions = {
  maxEntries: 1000,
  maxBytes: 1_000_000,
  ttlMs: 60_000,
  negativeTtlMs: 60_000,
  negativeMaxEntries: 1000,
  now: () => 0,
};

test("the entry count is bounded, least recently used first out", () => {
  const cache = createLocalLinkCache({ ...options, maxEntries: 2 });
  cache.setLink("a", entry("https://a.example/"));
  cache.setLink("b", entry("https://b.example/"));
  cache.get("a");
  cache.setLink("c", entry("https://c.example/"));
  assert.is(cache.get("b"), undefined);
  assert.ok(cache.get("a"));
  assert.ok(cache.get("c"));
});

test("the byte size is bounded: long URLs push others out", () => {
  const cache = createLocalLinkCache({ ...options, maxBytes: 10_000 });
  for (let i = 0; i < 10; i++) cache.setLink(`k${i}`, entry(`https://example.com/${"x".repeat(3000)}${i}`));
  const held = Array.from({ length: 10 }, (_, i) => cache.get(`k${i}`)).filter((e) => e !== undefined);
  assert.ok(held.length <= 3, `held ${held.length} entries of about 3.2 kB in 10 kB`);
  assert.ok(cache.get("k9"), "the newest stays");
});

test("links and unknown codes are answered for their TTLs, and not a millisecond longer", () => {
  const clock = fakeClock();
  const cache = createLocalLinkCache({ ...options, ttlMs: 30_000, negativeTtlMs: 10_000, now: clock.now });
  cache.setLink("a", entry("https://a.example/"));
  cache.setUnknown("b");
  clock.advance(10_000);
  assert.is(cache.get("a")?.kind, "link");
  assert.is(cache.get("b")?.kind, "unknown", "still unknown at its TTL");
  clock.advance(1);
  assert.is(cache.get("b"), undefined, "past its TTL");
  assert.is(cache.get("a")?.kind, "link");
  clock.advance(19_999);
  assert.is(cache.get("a")?.kind, "link", "still held at its TTL");
  clock.advance(1);
  assert.is(cache.get("a"), undefined, "past its TTL");
  assert.is(cache.size, 0, "a read of an expired entry frees it");
});

test("a read does not extend a link's life: a hot link is refilled every TTL", () => {
  const clock = fakeClock();
  const cache = createLocalLinkCache({ ...options, ttlMs: 1_000, now: clock.now });
  cache.setLink("a", entry("https://a.example/"));
  for (let i = 0; i < 10; i++) {
    clock.advance(100);
    assert.ok(cache.get("a"));
  }
  clock.advance(1);
  assert.is(cache.get("a"), undefined);
});

test("drop forgets a link and an unknown code alike", () => {
  const cache = createLocalLinkCache(options);
  cache.setLink("a", entry("https://a.example/"));
  cache.setUnknown("b");
  cache.drop("a");
  cache.drop("b");
  assert.is(cache.get("a"), undefined);
  assert.is(cache.get("b"), undefined);
});

test("a link replaces an unknown mark and the other way round", () => {
  const cache = createLocalLinkCache(options);
  cache.setUnknown("a");
  cache.setLink("a", entry("https://a.example/"));
  assert.is(cache.get("a")?.kind, "link");
  cache.setUnknown("a");
  assert.is(cache.get("a")?.kind, "unknown");
});

test("a purge frees expired links and unknown codes, and keeps the live ones", () => {
  const clock = fakeClock();
  const cache = createLocalLinkCache({ ...options, ttlMs: 40_000, negativeTtlMs: 40_000, now: clock.now });
  for (let i = 0; i < 500; i++) cache.setLink(`old${i}`, entry(`https://old.example/${i}`));
  for (let i = 0; i < 100; i++) cache.setUnknown(`gone${i}`);
  clock.advance(40_000);
  assert.is(cache.purgeExpired(), 0, "nothing has expired yet");
  clock.advance(1);
  cache.setLink("fresh", entry("https://fresh.example/"));
  assert.is(cache.size, 601, "expired entries stay until something pushes them out");
  assert.is(cache.purgeExpired(), 600);
  assert.is(cache.size, 1);
  assert.equal(cache.get("fresh"), { kind: "link", entry: entry("https://fresh.example/") });
});

test.run();
