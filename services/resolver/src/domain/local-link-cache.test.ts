import type { LinkCacheEntry } from "@kurt/contract";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLocalLinkCache, type LocalLinkCacheOptions } from "./local-link-cache.js";

const entry = (url: string): LinkCacheEntry => ({
  url,
  redirectStatus: 302,
  cacheSeconds: 0,
  expiresAtMs: null,
  disabled: false,
  deleted: false,
  updatedAtMs: 0,
});

const options: LocalLinkCacheOptions = {
  maxEntries: 1000,
  maxBytes: 1_000_000,
  ttlMs: 60_000,
  negativeTtlMs: 60_000,
  negativeMaxEntries: 1000,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

test("links and unknown codes expire after their TTLs", async () => {
  const cache = createLocalLinkCache({ ...options, ttlMs: 30, negativeTtlMs: 30 });
  cache.setLink("a", entry("https://a.example/"));
  cache.setUnknown("b");
  assert.is(cache.get("b")?.kind, "unknown");
  await sleep(60);
  assert.is(cache.get("a"), undefined);
  assert.is(cache.get("b"), undefined);
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

test("a purge frees expired links and unknown codes, and keeps the live ones", async () => {
  const cache = createLocalLinkCache({ ...options, ttlMs: 40, negativeTtlMs: 40 });
  for (let i = 0; i < 500; i++) cache.setLink(`old${i}`, entry(`https://old.example/${i}`));
  for (let i = 0; i < 100; i++) cache.setUnknown(`gone${i}`);
  assert.is(cache.purgeExpired(), 0, "nothing has expired yet");
  await sleep(80);
  cache.setLink("fresh", entry("https://fresh.example/"));
  assert.is(cache.size, 601, "expired entries stay until something pushes them out");
  assert.is(cache.purgeExpired(), 600);
  assert.is(cache.size, 1);
  assert.equal(cache.get("fresh"), { kind: "link", entry: entry("https://fresh.example/") });
});

test.run();
