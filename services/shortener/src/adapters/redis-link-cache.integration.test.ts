import { randomBytes } from "node:crypto";
import { decodeLinkCacheEntry, LINK_CACHE_TTL_SECONDS, linkCacheKey } from "@kurt/contract";
import { createLogger } from "@kurt/platform";
import { Registry } from "prom-client";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import type { Link } from "../domain/link.js";
import { sampleLink } from "../test-support/sample-link.js";
import { createRedisCluster } from "./redis-cluster.js";
import { createRedisLinkCache } from "./redis-link-cache.js";

const env = serviceEnv;
const redis = createRedisCluster(env.KURT_REDIS_NODES.split(","), { password: env.KURT_REDIS_PASSWORD });
const logger = createLogger({ level: "error", base: {} });
const cache = createRedisLinkCache({ redis, logger, registry: new Registry(), timeoutMs: 2_000 });

function link(code: string, updatedAtMs: number, overrides: Partial<Link> = {}): Link {
  return sampleLink(code, overrides, new Date(updatedAtMs));
}

const code = () => `cache-${randomBytes(6).toString("base64url")}`;

test("a committed link is written in the contract's entry format with the contract's TTL", async () => {
  const c = code();
  const expiresAt = new Date(Date.now() + 86_400_000);
  await cache.write(
    link(c, 1_000, { url: "https://example.org/x", redirectStatus: 307, cacheSeconds: 86_400, expiresAt }),
  );
  const entry = decodeLinkCacheEntry((await redis.get(linkCacheKey(c))) ?? "");
  assert.equal(entry, {
    url: "https://example.org/x",
    redirectStatus: 307,
    cacheSeconds: 86_400,
    expiresAtMs: expiresAt.getTime(),
    disabled: false,
    deleted: false,
    updatedAtMs: 1_000,
    validSinceMs: null,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
  });
  const ttl = await redis.ttl(linkCacheKey(c));
  assert.ok(ttl > LINK_CACHE_TTL_SECONDS - 10 && ttl <= LINK_CACHE_TTL_SECONDS, `ttl ${ttl}`);
});

test("a newer version overwrites, an older one arriving late does not", async () => {
  const c = code();
  await cache.write(link(c, 1_000, { url: "https://example.com/v1" }));
  await cache.write(link(c, 2_000, { url: "https://example.com/v2", disabled: true }));
  await cache.write(link(c, 1_500, { url: "https://example.com/late" }));
  const entry = decodeLinkCacheEntry((await redis.get(linkCacheKey(c))) ?? "");
  assert.is(entry?.url, "https://example.com/v2");
  assert.is(entry?.disabled, true);
  await cache.write(link(c, 2_000, { url: "https://example.com/v2-again" }));
  assert.is(decodeLinkCacheEntry((await redis.get(linkCacheKey(c))) ?? "")?.url, "https://example.com/v2-again");
});

test("a deleted link is written as deleted, so resolvers answer gone without asking Postgres", async () => {
  const c = code();
  await cache.write(link(c, 3_000, { deletedAt: new Date(3_000) }));
  assert.is(decodeLinkCacheEntry((await redis.get(linkCacheKey(c))) ?? "")?.deleted, true);
});

test("an entry in another format is overwritten", async () => {
  const c = code();
  await redis.set(linkCacheKey(c), "not json", "EX", 60);
  await cache.write(link(c, 1_000));
  assert.ok(decodeLinkCacheEntry((await redis.get(linkCacheKey(c))) ?? ""));
});

test("an unreachable Redis neither throws nor waits beyond the timeout", async () => {
  const dead = createRedisCluster(["127.0.0.1:1"]);
  dead.on("error", () => {});
  const registry = new Registry();
  const deadCache = createRedisLinkCache({ redis: dead, logger, registry, timeoutMs: 200 });
  const started = Date.now();
  await deadCache.write(link(code(), 1_000));
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 1_000, `answered after ${elapsed} ms`);
  assert.match(await registry.metrics(), /kurt_shortener_cache_write_failures_total 1/);
  deadCache.close();
  dead.disconnect();
});

test.after(async () => {
  cache.close();
  await redis.quit();
});
test.run();
