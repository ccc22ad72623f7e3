import type { LinkCacheEntry } from "@kurt/contract/link-cache";
import { linkKey } from "@kurt/core/link-domain";
import { KurtError } from "@kurt/platform/errors";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLinkResolver, type LinkResolver } from "./link-resolver.js";
import type { LinkStore } from "./link-store.js";
import { createLocalLinkCache, type LocalLinkCache } from "./local-link-cache.js";
import type { LookupLayer } from "./lookup-layer.js";
import type { LookupObserver, LookupResult } from "./lookup-observer.js";
import type { SharedLinkCache } from "./shared-link-cache.js";

const NOW = Date.parse("2030-01-01T00:00:00Z");

function link(overrides: Partial<LinkCacheEntry> = {}): LinkCacheEntry {
  return {
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
    updatedAtMs: NOW - 1000,
    ...overrides,
  };
}

/** A store or cache that can be told to fail or to hold its answers until released. */
class FakeLayer implements LinkStore, SharedLinkCache {
  readonly rows = new Map<string, LinkCacheEntry>();
  readonly filled: string[] = [];
  calls = 0;
  failing = false;
  private held: Array<() => void> | undefined;

  hold(): void {
    this.held = [];
  }
  release(): void {
    const waiting = this.held ?? [];
    this.held = undefined;
    for (const go of waiting) go();
  }
  async get(key: string): Promise<LinkCacheEntry | undefined> {
    return this.lookup(key);
  }
  async find(domain: string, code: string): Promise<LinkCacheEntry | undefined> {
    return this.lookup(linkKey(domain, code));
  }
  private async lookup(code: string): Promise<LinkCacheEntry | undefined> {
    this.calls += 1;
    // The answer is what the store held when asked, even if it is delivered later.
    const row = this.rows.get(code);
    const held = this.held;
    if (held !== undefined) await new Promise<void>((resolve) => held.push(resolve));
    if (this.failing) throw new Error("connection refused");
    return row;
  }
  async fillIfAbsent(code: string, entry: LinkCacheEntry): Promise<void> {
    if (this.failing) throw new Error("connection refused");
    this.filled.push(code);
    if (!this.rows.has(code)) this.rows.set(code, entry);
  }
}

class RecordingObserver implements LookupObserver {
  readonly lookups: string[] = [];
  readonly failures: LookupLayer[] = [];
  lookup(layer: LookupLayer, result: LookupResult): void {
    this.lookups.push(`${layer}:${result}`);
  }
  layerFailed(layer: LookupLayer): void {
    this.failures.push(layer);
  }
}

interface World {
  memory: LocalLinkCache;
  redis: FakeLayer;
  replica: FakeLayer;
  primary: FakeLayer;
  observer: RecordingObserver;
  resolver: LinkResolver;
}

function world(): World {
  const memory = createLocalLinkCache({
    maxEntries: 100,
    maxBytes: 1_000_000,
    ttlMs: 60_000,
    negativeTtlMs: 60_000,
    negativeMaxEntries: 100,
    now: () => 0,
  });
  const redis = new FakeLayer();
  const replica = new FakeLayer();
  const primary = new FakeLayer();
  const observer = new RecordingObserver();
  const resolver = createLinkResolver({ memory, shared: redis, replica, primary, observer, now: () => NOW });
  return { memory, redis, replica, primary, observer, resolver };
}

async function rejection(promise: Promise<unknown>): Promise<KurtError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, KurtError);
    return error as KurtError;
  }
  throw new Error("expected a rejection");
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("the same code under two domains is two links, in every layer and for every invalidation", async () => {
  const w = world();
  w.replica.rows.set("abc1234", link({ url: "https://example.com/default" }));
  w.replica.rows.set("go.example.com/abc1234", link({ url: "https://example.com/go" }));
  assert.is((await w.resolver.resolve("", "abc1234")).url, "https://example.com/default");
  assert.is((await w.resolver.resolve("go.example.com", "abc1234")).url, "https://example.com/go");
  assert.is((await w.resolver.resolve("go.example.com", "abc1234")).servedBy, "memory");
  assert.equal(w.redis.filled.sort(), ["abc1234", "go.example.com/abc1234"], "Redis filled under each link key");
  w.replica.rows.set("go.example.com/abc1234", link({ url: "https://example.com/go2", updatedAtMs: 2 }));
  w.resolver.invalidate("go.example.com/abc1234");
  w.redis.rows.delete("go.example.com/abc1234");
  assert.is((await w.resolver.resolve("go.example.com", "abc1234")).url, "https://example.com/go2");
  assert.is((await w.resolver.resolve("", "abc1234")).servedBy, "memory", "the other domain's link kept");
  assert.is((await rejection(w.resolver.resolve("other.example", "abc1234"))).code, "not_found");
});

test("a link not valid yet answers like an unknown one until its instant, then redirects", async () => {
  const w = world();
  w.replica.rows.set("soon", link({ validSinceMs: NOW + 1, forwardQuery: true }));
  w.replica.rows.set("since", link({ validSinceMs: NOW }));
  assert.is((await rejection(w.resolver.resolve("", "soon"))).code, "not_found");
  assert.is((await w.resolver.resolve("", "since")).forwardQuery, false);
  w.replica.rows.set("open", link({ validSinceMs: NOW - 1, forwardQuery: true }));
  assert.is((await w.resolver.resolve("", "open")).forwardQuery, true);
});

test("a link in Redis is answered from Redis, then from memory", async () => {
  const w = world();
  w.redis.rows.set("abc1234", link({ url: "https://example.com/r", redirectStatus: 301, cacheSeconds: 60 }));
  assert.equal(await w.resolver.resolve("", "abc1234"), {
    url: "https://example.com/r",
    redirectStatus: 301,
    cacheSeconds: 60,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
    servedBy: "redis",
  });
  assert.is((await w.resolver.resolve("", "abc1234")).servedBy, "memory");
  assert.is(w.replica.calls + w.primary.calls, 0, "Postgres not asked");
  assert.equal(w.observer.lookups, ["memory:miss", "redis:hit", "memory:hit"]);
});

test("a Redis miss is answered by the replica and fills Redis", async () => {
  const w = world();
  w.replica.rows.set("abc1234", link());
  assert.is((await w.resolver.resolve("", "abc1234")).servedBy, "replica");
  await settle();
  assert.equal(w.redis.filled, ["abc1234"]);
  assert.is(w.primary.calls, 0, "the primary is asked only on a replica miss");
});

test("a replica miss is answered by the primary (a link created a moment ago)", async () => {
  const w = world();
  w.primary.rows.set("fresh", link());
  assert.is((await w.resolver.resolve("", "fresh")).servedBy, "primary");
  assert.equal(w.observer.lookups, ["memory:miss", "redis:miss", "replica:miss", "primary:hit"]);
});

test("Redis failing is skipped: the answer comes from Postgres and Redis is not filled", async () => {
  const w = world();
  w.redis.failing = true;
  w.replica.rows.set("abc1234", link());
  assert.is((await w.resolver.resolve("", "abc1234")).servedBy, "replica");
  await settle();
  assert.equal(w.redis.filled, []);
  assert.equal(w.observer.failures, ["redis"]);
});

test("the replica failing is skipped: the primary answers", async () => {
  const w = world();
  w.replica.failing = true;
  w.primary.rows.set("abc1234", link());
  assert.is((await w.resolver.resolve("", "abc1234")).servedBy, "primary");
});

test("both databases failing answers unavailable", async () => {
  const w = world();
  w.replica.failing = true;
  w.primary.failing = true;
  assert.is((await rejection(w.resolver.resolve("", "abc1234"))).code, "unavailable");
});

test("the primary failing after a replica miss answers unavailable, not a cacheable 404", async () => {
  const w = world();
  w.primary.failing = true;
  assert.is((await rejection(w.resolver.resolve("", "abc1234"))).code, "unavailable");
  assert.is(w.memory.get("abc1234"), undefined, "nothing cached");
});

test("an unknown code answers not found and is then answered from the negative cache", async () => {
  const w = world();
  assert.is((await rejection(w.resolver.resolve("", "nope123"))).code, "not_found");
  assert.is((await rejection(w.resolver.resolve("", "nope123"))).code, "not_found");
  assert.is(w.replica.calls, 1);
  assert.is(w.primary.calls, 1);
  assert.is(w.observer.lookups.at(-1), "memory:negative");
});

test("invalidating an unknown code lets its create resolve at once", async () => {
  const w = world();
  await rejection(w.resolver.resolve("", "soon"));
  w.primary.rows.set("soon", link());
  w.resolver.invalidate("soon");
  assert.is((await w.resolver.resolve("", "soon")).servedBy, "primary");
});

test("invalidating a held link makes the next resolve read the new version", async () => {
  const w = world();
  w.redis.rows.set("abc1234", link({ url: "https://old.example/" }));
  await w.resolver.resolve("", "abc1234");
  w.redis.rows.set("abc1234", link({ url: "https://new.example/" }));
  assert.is((await w.resolver.resolve("", "abc1234")).url, "https://old.example/", "held in memory");
  w.resolver.invalidate("abc1234");
  assert.is((await w.resolver.resolve("", "abc1234")).url, "https://new.example/");
});

test("malformed codes answer not found without touching any store", async () => {
  const w = world();
  for (const code of ["", "a/b", "a b", "x".repeat(65), "%00", "é", "../etc"]) {
    assert.is((await rejection(w.resolver.resolve("", code))).code, "not_found", JSON.stringify(code));
  }
  assert.is(w.redis.calls + w.replica.calls + w.primary.calls, 0);
  assert.is(w.memory.size, 0, "junk is not even negatively cached");
});

test("disabled, deleted and expired links answer gone with the reason", async () => {
  const w = world();
  w.replica.rows.set("off", link({ disabled: true }));
  w.replica.rows.set("del", link({ deleted: true, disabled: true }));
  w.replica.rows.set("old", link({ expiresAtMs: NOW }));
  w.replica.rows.set("later", link({ expiresAtMs: NOW + 1 }));
  const off = await rejection(w.resolver.resolve("", "off"));
  assert.is(off.code, "gone");
  assert.match(off.message, /disabled/);
  assert.match((await rejection(w.resolver.resolve("", "del"))).message, /deleted/);
  assert.match((await rejection(w.resolver.resolve("", "old"))).message, /expired/);
  assert.is((await w.resolver.resolve("", "later")).servedBy, "replica");
  assert.match(
    (await rejection(w.resolver.resolve("", "off"))).message,
    /disabled/,
    "gone is also answered from memory",
  );
});

test("concurrent misses for one code share one lookup", async () => {
  const w = world();
  w.replica.rows.set("hot", link());
  w.redis.hold();
  const answers = Promise.all(Array.from({ length: 50 }, () => w.resolver.resolve("", "hot")));
  await settle();
  w.redis.release();
  const results = await answers;
  assert.ok(results.every((r) => r.servedBy === "replica"));
  assert.is(w.redis.calls, 1);
  assert.is(w.replica.calls, 1);
});

test("a lookup overtaken by a link event is answered but not cached", async () => {
  const w = world();
  w.replica.rows.set("moving", link({ url: "https://old.example/" }));
  w.replica.hold();
  const first = w.resolver.resolve("", "moving");
  await settle();
  w.replica.rows.set("moving", link({ url: "https://new.example/" }));
  w.resolver.invalidate("moving");
  w.replica.release();
  assert.is((await first).url, "https://old.example/");
  await settle();
  assert.is(w.memory.get("moving"), undefined);
  assert.equal(w.redis.filled, [], "Redis not filled with what may be older than the event");
  assert.is((await w.resolver.resolve("", "moving")).url, "https://new.example/");
});

test("an unknown code looked up while its create lands is not negatively cached", async () => {
  const w = world();
  w.primary.hold();
  const first = rejection(w.resolver.resolve("", "racing"));
  await settle();
  w.primary.rows.set("racing", link());
  w.resolver.invalidate("racing");
  w.primary.release();
  assert.is((await first).code, "not_found");
  assert.is((await w.resolver.resolve("", "racing")).servedBy, "primary");
});

test.run();
