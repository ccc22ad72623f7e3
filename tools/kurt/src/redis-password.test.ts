import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolvePaths } from "./paths.js";
import { ensureRedisPassword, readRedisPassword, redisPasswordFile } from "./redis-password.js";
import { serviceEnvironment } from "./service-environment.js";

function withStateDir(use: (paths: ReturnType<typeof resolvePaths>) => void): void {
  const stateDir = mkdtempSync(path.join(tmpdir(), "kurt-redis-password-"));
  try {
    use(resolvePaths({ KURT_STATE_DIR: path.join(stateDir, "state") }));
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

test("the first up makes a random password, in a file only its owner can read; later ones reuse it", () => {
  withStateDir((paths) => {
    assert.is(readRedisPassword(paths), undefined, "none before the first up");
    const password = ensureRedisPassword(paths);
    assert.match(password, /^[0-9a-f]{64}$/);
    const file = redisPasswordFile(paths);
    assert.is(statSync(file).mode & 0o777, 0o600);
    assert.is(readFileSync(file, "utf8"), `${password}\n`);
    assert.is(ensureRedisPassword(paths), password);
    assert.is(readRedisPassword(paths), password);
    assert.equal(readdirSync(paths.stateDir), ["redis-password"], "no temporary file left behind");
  });
});

test("two state folders get two passwords", () => {
  withStateDir((a) => withStateDir((b) => assert.is.not(ensureRedisPassword(a), ensureRedisPassword(b))));
});

test("an emptied password file is replaced by a new password", () => {
  withStateDir((paths) => {
    ensureRedisPassword(paths);
    writeFileSync(redisPasswordFile(paths), "\n");
    assert.is(readRedisPassword(paths), undefined);
    const password = ensureRedisPassword(paths);
    assert.match(password, /^[0-9a-f]{64}$/);
    assert.is(statSync(redisPasswordFile(paths)).mode & 0o777, 0o600);
  });
});

test("the services get the password as KURT_REDIS_PASSWORD, and the nodes' addresses without it", () => {
  const topology = loadTopology({ KURT_PORT_BASE: "31000" });
  const env = serviceEnvironment(topology, "s3cret-value");
  assert.is(env.KURT_REDIS_PASSWORD, "s3cret-value");
  assert.not.ok(env.KURT_REDIS_NODES.includes("s3cret-value"));
  assert.is(env.KURT_REDIS_NODES.split(",").length, topology.redis.ports.length);
});

test.run();
