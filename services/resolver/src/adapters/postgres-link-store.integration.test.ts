import { once } from "node:events";
import { createServer } from "node:net";
import { createPostgresPool } from "@kurt/platform";
import pg from "pg";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { pauseReplayOnStandbys } from "../../../../tests/support/postgres-cluster.js";
import { serviceEnv, topology } from "../../../../tests/support/stack.js";
import { primaryConnectionString } from "../../../../tests/support/tool.js";
import { createLinkResolver } from "../domain/link-resolver.js";
import { createLocalLinkCache } from "../domain/local-link-cache.js";
import type { LookupObserver } from "../domain/lookup-observer.js";
import { createPostgresLinkStore } from "./postgres-link-store.js";
import { createRedisCluster } from "./redis-cluster.js";
import { createRedisLinkCache } from "./redis-link-cache.js";

const env = serviceEnv;
const failOnIdleError = (error: Error) => {
  throw error;
};
// The resolver's pools go through PgBouncer, as in production.
const primaryPool = createPostgresPool({
  connectionString: env.KURT_PG_PRIMARY_URL,
  maxConnections: 2,
  timeoutMs: 2_000,
  onIdleError: failOnIdleError,
});
const replicaPool = createPostgresPool({
  connectionString: env.KURT_PG_REPLICA_URL,
  maxConnections: 2,
  timeoutMs: 2_000,
  onIdleError: failOnIdleError,
});
const primary = createPostgresLinkStore(primaryPool);
const replica = createPostgresLinkStore(replicaPool);
// Test set-up writes straight to the leader, and pauses replay on every standby.
const writer = new pg.Client(primaryConnectionString(topology));

const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

async function insertLink(code: string, columns: Record<string, unknown> = {}): Promise<void> {
  const values = { code, url: `https://example.com/${code}`, ...columns };
  const names = Object.keys(values);
  await writer.query(
    `insert into links (${names.join(", ")}) values (${names.map((_, i) => `$${i + 1}`).join(", ")})`,
    Object.values(values),
  );
}

async function waitUntilReplicated(code: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await replica.find("", code)) !== undefined) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${code} never reached the replica`);
}

test.before(async () => {
  await writer.connect();
});

test.after(async () => {
  await Promise.all([writer.end(), primaryPool.end(), replicaPool.end()]);
});

test("a link row is read with everything a redirect and its gone check need", async () => {
  const code = unique("row");
  await insertLink(code, {
    redirect_status: 308,
    cache_seconds: 600,
    expires_at: new Date("2031-02-03T04:05:06.789Z"),
    disabled: true,
    deleted_at: new Date(),
    updated_at: new Date("2030-01-01T00:00:00.123Z"),
  });
  assert.equal(await primary.find("", code), {
    url: `https://example.com/${code}`,
    redirectStatus: 308,
    cacheSeconds: 600,
    expiresAtMs: Date.parse("2031-02-03T04:05:06.789Z"),
    disabled: true,
    deleted: true,
    updatedAtMs: Date.parse("2030-01-01T00:00:00.123Z"),
    validSinceMs: null,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
  });
  await waitUntilReplicated(code);
  assert.equal(await replica.find("", code), await primary.find("", code), "the replica reads the same row");
});

test("a link without expiry, active, reads as such", async () => {
  const code = unique("plain");
  await insertLink(code);
  const found = await primary.find("", code);
  assert.is(found?.expiresAtMs, null);
  assert.is(found?.disabled, false);
  assert.is(found?.deleted, false);
  assert.is(found?.redirectStatus, 302, "the schema's default status");
});

test("codes are case-sensitive and an absent code has no row", async () => {
  const code = unique("Case");
  await insertLink(code);
  assert.is(await primary.find("", code.toLowerCase()), undefined);
  assert.is(await primary.find("", unique("absent")), undefined);
});

test("with replay paused, a link created on the primary misses on the replica and resolves from the primary", async () => {
  const code = unique("lag");
  const memory = createLocalLinkCache({
    maxEntries: 100,
    maxBytes: 1_000_000,
    ttlMs: 60_000,
    negativeTtlMs: 60_000,
    negativeMaxEntries: 100,
  });
  const cluster = createRedisCluster({
    nodes: env.KURT_REDIS_NODES.split(","),
    commandTimeoutMs: 500,
    password: env.KURT_REDIS_PASSWORD,
  });
  await once(cluster, "ready");
  const observer: LookupObserver = { lookup() {}, layerFailed() {} };
  const resolver = createLinkResolver({
    memory,
    shared: createRedisLinkCache(cluster, { timeoutMs: 500 }),
    replica,
    primary,
    observer,
    now: Date.now,
  });
  const resume = await pauseReplayOnStandbys();
  try {
    await insertLink(code, { redirect_status: 307 });
    assert.is(await replica.find("", code), undefined, "the paused replica has not seen the create");
    assert.equal(await resolver.resolve("", code), {
      url: `https://example.com/${code}`,
      redirectStatus: 307,
      cacheSeconds: 0,
      forwardQuery: false,
      maxVisits: null,
      passwordHash: null,
      rules: [],
      servedBy: "primary",
    });
  } finally {
    await resume();
    cluster.disconnect();
  }
  await waitUntilReplicated(code);
});

test("a server that cannot be reached rejects within the pool's timeout", async () => {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  const pool = createPostgresPool({
    connectionString: `postgres://kurt:x@127.0.0.1:${port}/kurt`,
    maxConnections: 1,
    timeoutMs: 500,
    onIdleError: failOnIdleError,
  });
  try {
    await createPostgresLinkStore(pool)
      .find("", "abc1234")
      .then(
        () => assert.unreachable("should fail"),
        (error: Error) => assert.match(error.message, /ECONNREFUSED|timeout/),
      );
  } finally {
    await pool.end();
  }
});

test.run();
