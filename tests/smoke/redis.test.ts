import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Cluster, Redis } from "ioredis";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv, uniqueName } from "../support/stack.js";
import { createStack, redisPasswordFile, resolvePaths } from "../support/tool.js";

const nodes = serviceEnv.KURT_REDIS_NODES.split(",").map((address) => {
  const [host, port] = address.split(":");
  return { host: host as string, port: Number(port) };
});
const password = serviceEnv.KURT_REDIS_PASSWORD;
const clusterOptions = { lazyConnect: true, redisOptions: { password } };

/**
 * A plain connection to one node that proves nothing by itself (no AUTH, no
 * ready check, which would need one), to send commands exactly as an
 * outsider on the machine could.
 */
async function withBareConnection<T>(node: { host: string; port: number }, use: (redis: Redis) => Promise<T>) {
  const redis = new Redis({
    ...node,
    lazyConnect: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/** The reply as text, or the error's message: what the node answered either way. */
const answer = (reply: Promise<unknown>) =>
  reply.then(
    (value) => String(value),
    (error: Error) => error.message,
  );

test("the stack's Redis password exists: a file only its owner can read, given to the services", () => {
  const file = redisPasswordFile(resolvePaths());
  assert.ok(password.length >= 32, `KURT_REDIS_PASSWORD from ${file} is a long random secret`);
  assert.is(readFileSync(file, "utf8").trim(), password);
  assert.is(statSync(file).mode & 0o077, 0, `${file} is readable by its owner only`);
});

test("every node refuses a client without the password: no read, no write, no reconfiguring it", async () => {
  const key = uniqueName("noauth");
  for (const node of nodes) {
    await withBareConnection(node, async (redis) => {
      const where = `node ${node.port}`;
      // A node that answers was started before Redis had a password: `./kurt up` sets it.
      assert.match(await answer(redis.call("GET", key)), /^NOAUTH/, `${where} GET without a password`);
      assert.match(await answer(redis.call("SET", key, "https://attacker.example/")), /^NOAUTH/, `${where} SET`);
      assert.match(await answer(redis.call("CONFIG", "SET", "requirepass", "")), /^NOAUTH/, `${where} CONFIG SET`);
      assert.match(await answer(redis.call("CLUSTER", "NODES")), /^NOAUTH/, `${where} CLUSTER NODES`);
    });
  }
});

test("every node refuses a wrong password and accepts the stack's", async () => {
  for (const node of nodes) {
    await withBareConnection(node, async (redis) => {
      const where = `node ${node.port}`;
      assert.match(await answer(redis.call("AUTH", `${password}x`)), /^WRONGPASS/, `${where} wrong password`);
      assert.match(await answer(redis.call("PING")), /^NOAUTH/, `${where} still refuses after a wrong AUTH`);
      assert.is(await answer(redis.call("AUTH", password)), "OK", `${where} the stack's password`);
      assert.is(await answer(redis.call("PING")), "PONG", `${where} answers once authenticated`);
    });
  }
});

test("the password is on no command line and in no log of the nodes or the services", () => {
  const { context, redis, services } = createStack(() => {});
  const daemons = [...redis.daemons(context), ...services.daemons(context)];
  let seen = 0;
  for (const daemon of daemons) {
    const pid = context.supervisor.pidOf(daemon);
    // Containers (KURT_INFRA=testcontainers) have no pid here.
    if (pid === undefined) continue;
    seen += 1;
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
    assert.not.ok(commandLine.includes(password), `the command line of ${daemon} (pid ${pid}) holds the password`);
  }
  assert.ok(seen >= services.daemons(context).length, `${seen} running daemons checked`);
  const { logDir } = context.paths;
  const logs = readdirSync(logDir).filter((name) => /^(redis|shortener|resolver)-.*\.log$/.test(name));
  for (const log of logs)
    assert.not.ok(readFileSync(path.join(logDir, log), "utf8").includes(password), `${log} holds the password`);
});

test("a node's config file, which holds the password, is readable by its owner only", () => {
  const { context, redis } = createStack(() => {});
  for (const daemon of redis.daemons(context)) {
    const port = daemon.slice("redis-".length);
    const file = path.join(context.paths.runDir, "redis", port, "redis.conf");
    assert.is(statSync(file).mode & 0o077, 0, `${file} is readable by its owner only`);
    assert.match(readFileSync(file, "utf8"), /^requirepass "/m, `${file} sets requirepass`);
  }
});

test("the cluster has three masters with a linked replica each and all 16384 slots", async () => {
  const cluster = new Cluster(nodes, clusterOptions);
  await cluster.connect();
  try {
    const masters = cluster.nodes("master");
    const replicas = cluster.nodes("slave");
    assert.is(masters.length, 3);
    assert.is(replicas.length, 3);
    const info = (await (masters[0] as (typeof masters)[number]).cluster("INFO")) as string;
    assert.match(info, /cluster_state:ok/);
    assert.match(info, /cluster_slots_assigned:16384/);
    for (const replica of replicas) {
      assert.match((await replica.info("replication")) as string, /master_link_status:up/);
    }
  } finally {
    cluster.disconnect();
  }
});

test("a key written through the cluster client is stored on the master that owns its slot", async () => {
  const cluster = new Cluster(nodes, clusterOptions);
  await cluster.connect();
  const key = uniqueName("smoke");
  try {
    await cluster.set(key, "value", "EX", 60);
    const masters = cluster.nodes("master");
    const slot = Number(await (masters[0] as (typeof masters)[number]).cluster("KEYSLOT", key));
    const slots = await (masters[0] as (typeof masters)[number]).cluster("SLOTS");
    const range = slots.find(([from, to]) => slot >= from && slot <= to);
    assert.ok(range?.[2], `slot ${slot} is served`);
    const [ownerHost, ownerPort] = range?.[2] ?? ["", 0];
    for (const master of masters) {
      const isOwner = master.options.port === ownerPort && master.options.host === ownerHost;
      // A plain connection to one node: a non-owner answers MOVED, the owner has the value.
      const answer = await master.get(key).then(
        (v) => v,
        (e: Error) => e.message,
      );
      if (isOwner) assert.is(answer, "value", `owner ${ownerHost}:${ownerPort} holds the key`);
      else assert.match(String(answer), /MOVED/, `${master.options.port} does not own slot ${slot}`);
    }
  } finally {
    await cluster.del(key);
    cluster.disconnect();
  }
});

test.run();
