import { createPostgresPool, exposePostgresPoolMetrics, exposeRedisClusterMetrics } from "@kurt/platform";
import { Cluster } from "ioredis";
import { Registry } from "prom-client";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../support/stack.js";

// The shared pool collectors against the real PgBouncer and Redis Cluster:
// what they report follows what the clients are really doing.

async function gauge(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  if (metric === undefined) throw new Error(`${name} is not registered`);
  const wanted = Object.entries(labels);
  const values = metric.values.filter((v) => wanted.every(([key, value]) => String(v.labels[key]) === value));
  if (values.length !== 1) throw new Error(`${name}${JSON.stringify(labels)}: ${values.length} series`);
  return values[0]?.value as number;
}

test("Postgres pool gauges show connections lent, idle and queries waiting for one", async () => {
  const registry = new Registry();
  const pool = createPostgresPool({
    connectionString: serviceEnv.KURT_PG_REPLICA_URL,
    maxConnections: 2,
    timeoutMs: 5_000,
    onIdleError: () => {},
  });
  exposePostgresPoolMetrics(registry, { replica: pool });
  try {
    assert.is(await gauge(registry, "pg_pool_connections", { pool: "replica", state: "busy" }), 0);
    assert.is(await gauge(registry, "pg_pool_max_connections", { pool: "replica" }), 2);
    const first = await pool.connect();
    const second = await pool.connect();
    // The pool is full: this query waits until a connection comes back.
    const waiting = pool.query("select 1 as one");
    assert.is(await gauge(registry, "pg_pool_connections", { pool: "replica", state: "busy" }), 2);
    assert.is(await gauge(registry, "pg_pool_waiting_clients", { pool: "replica" }), 1);
    first.release();
    assert.equal((await waiting).rows, [{ one: 1 }]);
    assert.is(await gauge(registry, "pg_pool_waiting_clients", { pool: "replica" }), 0);
    assert.is(await gauge(registry, "pg_pool_connections", { pool: "replica", state: "busy" }), 1);
    assert.is(await gauge(registry, "pg_pool_connections", { pool: "replica", state: "idle" }), 1);
    second.release();
    assert.is(await gauge(registry, "pg_pool_connections", { pool: "replica", state: "idle" }), 2);
  } finally {
    await pool.end();
  }
});

test("Redis client gauges show readiness, node connections by role and commands awaiting an answer", async () => {
  const registry = new Registry();
  const nodes = serviceEnv.KURT_REDIS_NODES.split(",").map((address) => {
    const [host, port] = address.split(":");
    return { host: host as string, port: Number(port) };
  });
  const cluster = new Cluster(nodes, { lazyConnect: true, redisOptions: { password: serviceEnv.KURT_REDIS_PASSWORD } });
  exposeRedisClusterMetrics(registry, cluster);
  try {
    assert.is(await gauge(registry, "redis_client_ready"), 0, "not connected yet");
    await cluster.connect();
    await Promise.all(["a", "b", "c", "d", "e", "f"].map((key) => cluster.get(`kurt-metrics-test-${key}`)));
    assert.is(await gauge(registry, "redis_client_ready"), 1);
    const readyMasters = await gauge(registry, "redis_client_node_connections", { role: "master", status: "ready" });
    assert.ok(readyMasters >= 1 && readyMasters <= 3, `ready master connections: ${readyMasters}`);
    // Sent, and the answers cannot have been read before this turn of the event loop ends.
    const sent = Array.from({ length: 20 }, (_, i) => cluster.get(`kurt-metrics-test-${i}`));
    const pending = await gauge(registry, "redis_client_pending_commands");
    await Promise.all(sent);
    assert.ok(pending >= 1, `pending commands while 20 were in flight: ${pending}`);
    assert.is(await gauge(registry, "redis_client_pending_commands"), 0);
  } finally {
    cluster.disconnect();
  }
});

test.run();
