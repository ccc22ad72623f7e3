import { once } from "node:events";
import { createServer } from "node:net";
import {
  decodeLinkCacheEntry,
  encodeLinkCacheEntry,
  LINK_CACHE_TTL_SECONDS,
  type LinkCacheEntry,
  linkCacheKey,
} from "@kurt/contract";
import { Cluster } from "ioredis";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import type { SharedLinkCache } from "../domain/shared-link-cache.js";
import { createRedisCluster } from "./redis-cluster.js";
import { createRedisLinkCache } from "./redis-link-cache.js";

const env = serviceEnv;
const nodes = env.KURT_REDIS_NODES.split(",");
const password = env.KURT_REDIS_PASSWORD;
// The read path's client and, beside it, a plain one standing in for the shortener's write-through.
let cluster: Cluster;
let cache: SharedLinkCache;
let writer: Cluster;

const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

function entry(url: string): LinkCacheEntry {
  return {
    url,
    redirectStatus: 307,
    cacheSeconds: 0,
    expiresAtMs: Date.now() + 3_600_000,
    validSinceMs: null,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
    disabled: false,
    deleted: false,
    updatedAtMs: Date.now(),
  };
}

test.before(async () => {
  cluster = createRedisCluster({ nodes, commandTimeoutMs: 100, password });
  cache = createRedisLinkCache(cluster, { timeoutMs: 100 });
  writer = new Cluster(
    nodes.map((node) => ({ host: node.split(":")[0], port: Number(node.split(":")[1]) })),
    { redisOptions: { password } },
  );
  await Promise.all([once(cluster, "ready"), once(writer, "ready")]);
});

test.after(async () => {
  cluster.disconnect();
  writer.disconnect();
});

test("an entry written through is read back whole", async () => {
  const code = unique("hit");
  const written = entry("https://example.com/hit");
  await writer.set(linkCacheKey(code), encodeLinkCacheEntry(written), "EX", 60);
  assert.equal(await cache.get(code), written);
});

test("an absent code is a miss", async () => {
  assert.is(await cache.get(unique("miss")), undefined);
});

test("a malformed entry is a miss, not an error", async () => {
  const code = unique("junk");
  await writer.set(linkCacheKey(code), "{not json", "EX", 60);
  assert.is(await cache.get(code), undefined);
});

test("a fill stores the entry with the contract's TTL when the code is absent", async () => {
  const code = unique("fill");
  const filled = entry("https://example.com/fill");
  await cache.fillIfAbsent(code, filled);
  assert.equal(decodeLinkCacheEntry((await writer.get(linkCacheKey(code))) ?? ""), filled);
  const ttl = await writer.ttl(linkCacheKey(code));
  assert.ok(ttl > LINK_CACHE_TTL_SECONDS - 10 && ttl <= LINK_CACHE_TTL_SECONDS, `ttl ${ttl}`);
});

test("a fill never overwrites the shortener's newer write-through", async () => {
  const code = unique("nx");
  const newer = entry("https://example.com/newer");
  await writer.set(linkCacheKey(code), encodeLinkCacheEntry(newer), "EX", 60);
  await cache.fillIfAbsent(code, entry("https://example.com/older-from-a-replica"));
  assert.equal(await cache.get(code), newer);
});

test("a reply that arrived in time is used even when the event loop was busy past the deadline", async () => {
  const code = unique("busy");
  await writer.set(linkCacheKey(code), encodeLinkCacheEntry(entry("https://example.com/busy")), "EX", 60);
  // The client's connection to this slot's master is open before the loop is made busy.
  assert.equal((await cache.get(code))?.url, "https://example.com/busy");
  for (let attempt = 0; attempt < 3; attempt++) {
    const pending = cache.get(code);
    // The command leaves in a check phase (ioredis's auto-pipelining); Redis answers within a
    // millisecond, but this thread reads the reply only after 600 ms: long past the 100 ms deadline,
    // still short of ioredis's own backstop (a second).
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const until = Date.now() + 600;
    while (Date.now() < until) {}
    assert.equal((await pending)?.url, "https://example.com/busy");
  }
});

test("a master that does not answer in time fails the call instead of stalling it", async () => {
  const code = unique("slow");
  await writer.set(linkCacheKey(code), encodeLinkCacheEntry(entry("https://example.com/slow")), "EX", 60);
  const slot = (await writer.call("cluster", "keyslot", linkCacheKey(code))) as number;
  const master = writer.nodes("master").find((node) => {
    const ranges = (writer as unknown as { slots: string[][] }).slots[slot] ?? [];
    return ranges[0] === `${node.options.host}:${node.options.port}`;
  });
  assert.ok(master, "the slot's master is known");
  const sleeping = master.call("debug", "sleep", "0.8");
  const started = Date.now();
  await cache.get(code).then(
    () => assert.unreachable("the call should have timed out"),
    (error: Error) => assert.match(error.message, /did not answer|timed out/),
  );
  const waited = Date.now() - started;
  await sleeping;
  assert.ok(waited < 700, `gave up after ${waited} ms, before the master woke up`);
  assert.equal(await answersAgain(code), "https://example.com/slow", "answers again once the master is back");
});

/** On a busy machine the first call after the sleep may still miss its 100 ms; within two seconds it must answer. */
async function answersAgain(code: string): Promise<string | undefined> {
  const giveUpAt = Date.now() + 2_000;
  for (;;) {
    try {
      return (await cache.get(code))?.url;
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

test("a cluster that cannot be reached fails the call at once (no offline queue)", async () => {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  const dead = createRedisCluster({ nodes: [`127.0.0.1:${port}`], commandTimeoutMs: 100 });
  dead.on("error", () => {});
  try {
    const started = Date.now();
    await createRedisLinkCache(dead, { timeoutMs: 5_000 })
      .get("abc1234")
      .then(
        () => assert.unreachable("should fail"),
        () => {},
      );
    assert.ok(Date.now() - started < 1_000, "not queued until some deadline");
  } finally {
    dead.disconnect();
  }
});

test.run();
