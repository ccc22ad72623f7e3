import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseRedisNodes } from "./redis-cluster.js";

test("host:port seeds become ioredis nodes, IPv6 hosts included", () => {
  assert.equal(parseRedisNodes(["127.0.0.1:7000", "redis-1:6379", "::1:7001"]), [
    { host: "127.0.0.1", port: 7000 },
    { host: "redis-1", port: 6379 },
    { host: "::1", port: 7001 },
  ]);
});

test("an empty list, a missing port and a port outside 1–65535 are refused, naming the value", () => {
  assert.throws(() => parseRedisNodes([]), /no Redis nodes/);
  for (const bad of ["redis-1", "redis-1:", ":7000", "redis-1:0", "redis-1:65536", "redis-1:123456"])
    assert.throws(
      () => parseRedisNodes([bad]),
      (error: Error) => error.message.includes(JSON.stringify(bad)),
    );
});

test.run();
