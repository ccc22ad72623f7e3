import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import { createRedisCluster } from "./redis-cluster.js";
import { createRedisPasswordAttempts } from "./redis-password-attempts.js";

// Wrong password tries on the real Redis Cluster: per link and client, a fixed window.
const cluster = createRedisCluster({
  nodes: serviceEnv.KURT_REDIS_NODES.split(","),
  commandTimeoutMs: 1_000,
  password: serviceEnv.KURT_REDIS_PASSWORD,
});
const attempts = createRedisPasswordAttempts(cluster, { limit: 3, windowSeconds: 30 });
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

test.after(() => {
  cluster.disconnect();
});

test("the limit-th wrong try blocks that client on that link for the rest of the window, no one else", async () => {
  const link = unique("link");
  assert.is(await attempts.blockedFor(link, "203.0.113.1"), 0);
  for (let i = 0; i < 3; i++) await attempts.failed(link, "203.0.113.1");
  const wait = await attempts.blockedFor(link, "203.0.113.1");
  assert.ok(wait > 0 && wait <= 30, String(wait));
  assert.is(await attempts.blockedFor(link, "203.0.113.2"), 0);
  assert.is(await attempts.blockedFor(unique("other"), "203.0.113.1"), 0);
});

test("the client's address is not stored in the clear", async () => {
  const link = unique("clear");
  await attempts.failed(link, "198.51.100.23");
  const keys: string[] = [];
  for (const node of cluster.nodes("master")) keys.push(...(await node.keys(`kurt:password-tries:v1:${link}:*`)));
  assert.is(keys.length, 1);
  assert.not.ok(keys[0]?.includes("198.51.100.23"));
});

test.run();
