import { randomBytes } from "node:crypto";
import { decodeLinkCacheEntry, linkCacheKey } from "@kurt/contract";
import { createLogger, KurtError } from "@kurt/platform";
import { hashPassword } from "@kurt/platform/password-hash";
import pg from "pg";
import { Registry } from "prom-client";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import { createCodeGenerator } from "../domain/code-generator.js";
import type { CreateLinkInput } from "../domain/link-service.js";
import { createLinkService } from "../domain/link-service.js";
import { createTargetUrlPolicy } from "../domain/target-url.js";
import { staticLinkDomains } from "../test-support/static-link-domains.js";
import { createKafkaLinkEvents } from "./kafka-link-events.js";
import { createPgLinkStore } from "./pg-link-store.js";
import { createRedisCluster } from "./redis-cluster.js";
import { createRedisLinkCache } from "./redis-link-cache.js";

// The domain wired to the real adapters as main.ts wires it, against the running stack.
const env = serviceEnv;
const logger = createLogger({ level: "error", base: {} });
const registry = new Registry();
const pool = new pg.Pool({ connectionString: env.KURT_PG_PRIMARY_URL, max: 10 });
const redis = createRedisCluster(env.KURT_REDIS_NODES.split(","), { password: env.KURT_REDIS_PASSWORD });
const cache = createRedisLinkCache({ redis, logger, registry, timeoutMs: 2_000 });
const events = createKafkaLinkEvents({
  brokers: env.KURT_KAFKA_BROKERS.split(","),
  clientId: "shortener-test",
  publicUrl: env.KURT_PUBLIC_URL,
  logger,
  registry,
});
events.start();
const links = createLinkService({
  store: createPgLinkStore(pool, { maxBatch: 200, maxInFlight: 2 }),
  cache,
  events,
  targetUrl: createTargetUrlPolicy({ publicUrl: env.KURT_PUBLIC_URL }),
  domains: staticLinkDomains(env.KURT_PUBLIC_URL),
  generateCode: createCodeGenerator(),
  hashPassword,
});
const caller = { keyId: null, requestId: "test" };
const custom = (prefix: string) => `${prefix}-${randomBytes(6).toString("base64url")}`;
const input = (overrides: Partial<CreateLinkInput> = {}): CreateLinkInput => ({
  url: "https://example.com/",
  tags: [],
  ...overrides,
});

async function cached(code: string) {
  return decodeLinkCacheEntry((await redis.get(linkCacheKey(code))) ?? "");
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

test("a create with a generated code is committed before it answers, and written through to Redis after", async () => {
  const link = await links.createLink(input({ url: "https://bücher.example/a" }), caller);
  assert.match(link.code, /^[0-9A-Za-z]{7}$/);
  assert.is(link.url, "https://xn--bcher-kva.example/a");
  assert.is(link.redirectStatus, 302);
  const { rows } = await pool.query("select url from links where code = $1", [link.code]);
  assert.is(rows[0]?.url, link.url);
  await links.settle();
  assert.equal(await cached(link.code), {
    url: link.url,
    redirectStatus: 302,
    cacheSeconds: 0,
    expiresAtMs: null,
    disabled: false,
    deleted: false,
    updatedAtMs: link.updatedAt.getTime(),
    validSinceMs: null,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
  });
});

test("200 concurrent creates of one custom code: one succeeds, 199 get ALREADY_EXISTS naming code", async () => {
  const code = custom("race");
  const outcomes = await Promise.allSettled(
    Array.from({ length: 200 }, (_, i) => links.createLink(input({ code, url: `https://example.com/${i}` }), caller)),
  );
  const won = outcomes.filter((o) => o.status === "fulfilled");
  const lost = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as KurtError] : []));
  assert.is(won.length, 1);
  assert.is(lost.length, 199);
  for (const error of lost) {
    assert.is(error.code, "already_exists");
    assert.is(error.field, "code");
  }
});

test("500 concurrent creates share statements, and every one that answered is committed and cached", async () => {
  const tag = custom("batch");
  const created = await Promise.all(
    Array.from({ length: 500 }, (_, i) => links.createLink(input({ url: `https://example.com/${tag}/${i}` }), caller)),
  );
  assert.is(new Set(created.map((link) => link.code)).size, 500);
  const { rows } = await pool.query<{ code: string; url: string }>("select code, url from links where code = any($1)", [
    created.map((link) => link.code),
  ]);
  assert.is(rows.length, 500);
  const urls = new Map(rows.map((row) => [row.code, row.url]));
  for (const link of created) assert.is(urls.get(link.code), link.url);
  // Shared statements: one now() per transaction, so far fewer distinct creation instants than creates.
  const instants = new Set(created.map((link) => link.createdAt.getTime()));
  assert.ok(instants.size < 500, `${instants.size} transactions for 500 creates`);
  await links.settle();
  for (const link of created.slice(0, 20)) assert.is((await cached(link.code))?.url, link.url);
});

test("a deleted link's code stays taken, and the link is not found", async () => {
  const code = custom("gone");
  await links.createLink(input({ code }), caller);
  await links.deleteLink({ code }, caller);
  assert.is((await cached(code))?.deleted, true);
  assert.is((await rejection(links.getLink({ code }))).code, "not_found");
  assert.is((await rejection(links.deleteLink({ code }, caller))).code, "not_found");
  assert.is(
    (await rejection(links.updateLink({ code, clearExpiresAt: false, disabled: true }, caller))).code,
    "not_found",
  );
  assert.is((await rejection(links.createLink(input({ code }), caller))).code, "already_exists");
});

test("an update changes only the fields sent and refreshes the Redis copy", async () => {
  const code = custom("upd");
  const created = await links.createLink(input({ code, title: "first", tags: ["a"], redirectStatus: 301 }), caller);
  const updated = await links.updateLink({ code, clearExpiresAt: false, disabled: true }, caller);
  assert.is(updated.disabled, true);
  assert.is(updated.title, "first");
  assert.equal(updated.tags, ["a"]);
  assert.is(updated.redirectStatus, 301);
  assert.is(updated.url, created.url);
  assert.equal(await cached(code), {
    url: created.url,
    redirectStatus: 301,
    cacheSeconds: 0,
    expiresAtMs: null,
    disabled: true,
    deleted: false,
    updatedAtMs: updated.updatedAt.getTime(),
    validSinceMs: null,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
  });
  const later = new Date(Date.now() + 3_600_000);
  const moved = await links.updateLink(
    {
      code,
      clearExpiresAt: false,
      url: "https://example.org/",
      expiresAt: later,
      title: "",
      tags: ["b", "c"],
    },
    caller,
  );
  assert.is(moved.url, "https://example.org/");
  assert.is(moved.expiresAt?.getTime(), later.getTime());
  assert.is(moved.title, null);
  assert.equal(moved.tags, ["b", "c"]);
  const cleared = await links.updateLink({ code, clearExpiresAt: true }, caller);
  assert.is(cleared.expiresAt, null);
  assert.is((await cached(code))?.expiresAtMs, null);
});

test("bad input is refused with the field named, and nothing is stored", async () => {
  const before = await pool.query<{ n: string }>("select count(*)::text as n from links");
  const code = custom("bad");
  const cases: Array<[Partial<CreateLinkInput>, string]> = [
    [{ url: "javascript:alert(1)" }, "url"],
    [{ url: "https://example.com/\n" }, "url"],
    [{ url: `https://example.com/${"a".repeat(8_200)}` }, "url"],
    [{ url: `${env.KURT_PUBLIC_URL}/abc` }, "url"],
    [{ code: "healthz" }, "code"],
    [{ code: "a b" }, "code"],
    [{ code: "" }, "code"],
    [{ code, redirectStatus: 0 }, "redirectStatus"],
    [{ code, redirectStatus: 303 }, "redirectStatus"],
    [{ code, expiresAt: new Date(Date.now() - 1_000) }, "expiresAt"],
    [{ code, title: "x".repeat(201) }, "title"],
    [{ code, tags: ["ok", "not ok"] }, "tags[1]"],
  ];
  for (const [overrides, field] of cases) {
    const error = await rejection(links.createLink(input(overrides), caller));
    assert.is(error.code, "invalid_argument", field);
    assert.is(error.field, field);
    assert.match(error.message, new RegExp(`^${field.replace(/[[\]]/g, "\\$&")}: `));
  }
  const after = await pool.query<{ n: string }>("select count(*)::text as n from links");
  assert.is(after.rows[0]?.n, before.rows[0]?.n);
  assert.is(await redis.get(linkCacheKey(code)), null);
});

test("an update with an invalid field changes nothing, not even the valid fields beside it", async () => {
  const code = custom("atomic");
  const created = await links.createLink(input({ code }), caller);
  const error = await rejection(
    links.updateLink({ code, clearExpiresAt: false, disabled: true, redirectStatus: 200 }, caller),
  );
  assert.is(error.field, "redirectStatus");
  const now = await links.getLink({ code });
  assert.is(now.disabled, false);
  assert.is(now.updatedAt.getTime(), created.updatedAt.getTime());
  const both = await rejection(
    links.updateLink({ code, clearExpiresAt: true, expiresAt: new Date(Date.now() + 60_000) }, caller),
  );
  assert.is(both.field, "expiresAt");
  const tags = await rejection(links.updateLink({ code, clearExpiresAt: false, tags: ["a", 2] }, caller));
  assert.is(tags.field, "tags[1]");
});

test("listing answers pages and a token that leads to the next one", async () => {
  const first = await links.listLinks({ pageSize: 2, pageToken: "" });
  assert.is(first.links.length, 2);
  assert.ok(first.nextPageToken !== "");
  const second = await links.listLinks({ pageSize: 2, pageToken: first.nextPageToken });
  assert.ok(second.links.every((link) => !first.links.some((seen) => seen.code === link.code)));
  assert.ok((second.links[0]?.createdAt.getTime() ?? 0) <= (first.links[1]?.createdAt.getTime() ?? 0));
  assert.is((await rejection(links.listLinks({ pageSize: 2, pageToken: "bad!" }))).field, "pageToken");
});

test.after(async () => {
  await events.close();
  cache.close();
  await redis.quit();
  await pool.end();
});
test.run();
