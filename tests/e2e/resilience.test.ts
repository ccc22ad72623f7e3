import { setTimeout as sleep } from "node:timers/promises";
import { linkCacheKey } from "@kurt/contract";
import { Cluster, Redis } from "ioredis";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { isHealthyInEnvoy, upstreamHosts } from "../support/envoy-admin.js";
import { describe } from "../support/http-client.js";
import { createRedirectTargets, visit } from "../support/links-api.js";
import { type MetricsPage, scrapeService, total } from "../support/metrics-scrape.js";
import { type RedirectFailure, startRedirectLoad } from "../support/redirect-load.js";
import { serviceEnv, topology } from "../support/stack.js";
import { createStack, readClusterState, waitFor } from "../support/tool.js";

// Parts of the stack fail while redirects run through Envoy. Each test puts
// back what it broke, with the launcher's own idempotent start, and waits
// until it is ready again, so later tests find a whole stack.

const stack = createStack(() => {});
const { supervisor } = stack.context;
let key = "";

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read"])).secret;
});

function redisCluster(): Cluster {
  return new Cluster(
    topology.redis.ports.map((port) => ({ host: topology.host, port })),
    { redisOptions: { connectTimeout: 1_000, password: serviceEnv.KURT_REDIS_PASSWORD } },
  );
}

/**
 * Waits until every target's entry is in Redis. The shortener answers a
 * create before its write-through to Redis (that follows in the background),
 * so a test that deletes the entries, or counts on them being there, first
 * waits for that write: a delete that came first would be undone by it.
 */
async function waitUntilCached(cluster: Cluster, targets: readonly { code: string }[]): Promise<void> {
  await waitFor(
    `the shortener's cache write of ${targets.length} links`,
    async () => {
      const present = await Promise.all(targets.map(({ code }) => cluster.exists(linkCacheKey(code))));
      return present.every((n) => n === 1) ? true : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 50 },
  );
}

/** Lookups the resolvers answered from a layer (resolver_lookups_total hits) between two scrapes. */
function hitsGrown(before: readonly MetricsPage[], after: readonly MetricsPage[], layer: string): number {
  const where = { layer, result: "hit" };
  return total(after, "resolver_lookups_total", where) - total(before, "resolver_lookups_total", where);
}

function summarise(failures: readonly RedirectFailure[]): string {
  return failures
    .slice(0, 5)
    .map((f) => `${f.code}: ${f.detail}`)
    .join("; ");
}

function redisNode(port: number): Redis {
  return new Redis({
    host: topology.host,
    port,
    password: serviceEnv.KURT_REDIS_PASSWORD,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
  });
}

/** The master (by port) that serves `slot`, as the node at `askPort` sees the cluster. */
async function masterOfSlot(askPort: number, slot: number): Promise<number | undefined> {
  const node = redisNode(askPort);
  try {
    await node.connect();
    const slots = (await node.call("CLUSTER", "SLOTS")) as Array<[number, number, [string, number, ...unknown[]]]>;
    return slots.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
  } finally {
    node.disconnect();
  }
}

/** cluster_state:ok on every node, and every replica in sync with its master (so it could take over in turn). */
async function clusterSettled(): Promise<true | undefined> {
  for (const port of topology.redis.ports) {
    const node = redisNode(port);
    try {
      await node.connect();
      if (!/cluster_state:ok/.test((await node.call("CLUSTER", "INFO")) as string)) return undefined;
      const replication = (await node.call("INFO", "replication")) as string;
      if (/role:slave/.test(replication) && !/master_link_status:up/.test(replication)) return undefined;
    } catch {
      return undefined;
    } finally {
      node.disconnect();
    }
  }
  return true;
}

async function clusterOk(port: number): Promise<boolean> {
  const node = redisNode(port);
  try {
    await node.connect();
    return /cluster_state:ok/.test((await node.call("CLUSTER", "INFO")) as string);
  } catch {
    return false;
  } finally {
    node.disconnect();
  }
}

test("a Redis master killed while redirects run: no redirect fails, and the node is brought back", async () => {
  const warm = await createRedirectTargets(key, "redis-warm", 10);
  // Never resolved before the kill: no resolver has them in memory, so they
  // come from Redis or, with their master dead, from Postgres.
  const cold = await createRedirectTargets(key, "redis-cold", 30);
  // In Redis before the kill, so the Postgres answers below are the dead master's, not late cache writes'.
  const cluster = redisCluster();
  try {
    await waitUntilCached(cluster, [...warm, ...cold]);
  } finally {
    cluster.disconnect();
  }
  const probe = redisNode(topology.redis.ports[0] as number);
  await probe.connect();
  const slots = await Promise.all(
    cold.map(async (t) => Number(await probe.call("CLUSTER", "KEYSLOT", linkCacheKey(t.code)))),
  );
  probe.disconnect();
  const owners = await Promise.all(slots.map((slot) => masterOfSlot(topology.redis.ports[0] as number, slot)));
  const counts = new Map<number, number>();
  for (const owner of owners) if (owner !== undefined) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  const [victimPort] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  assert.ok(victimPort, "a master holds some of the links");
  const victim = `redis-${victimPort}`;
  const pid = supervisor.pidOf(victim);
  assert.ok(pid, `${victim} is running`);
  const survivor = topology.redis.ports.find((p) => p !== victimPort) as number;

  const targets = [...warm];
  const metricsBefore = await scrapeService("resolver");
  const load = startRedirectLoad(targets, { clients: 6 });
  try {
    await sleep(500);
    process.kill(pid as number, "SIGKILL");
    // Those whose Redis entry was on the dead master first.
    targets.push(
      ...cold.filter((_, i) => owners[i] === victimPort),
      ...cold.filter((_, i) => owners[i] !== victimPort),
    );
    // Redirects keep running through the failover: until a replica has taken the dead master's slots, and a while after.
    await waitFor(
      "a replica to take over the dead master's slots",
      async () => {
        const owner = await masterOfSlot(survivor, slots[owners.indexOf(victimPort)] as number).catch(() => undefined);
        return owner !== undefined && owner !== victimPort && (await clusterOk(survivor)) ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    await sleep(1_500);
  } finally {
    await load.stop();
    await stack.redis.start(stack.context);
    await waitFor("the Redis Cluster to settle", clusterSettled, { timeoutMs: 30_000, intervalMs: 200 });
  }
  const metricsAfter = await scrapeService("resolver");
  assert.ok(load.ok() > 50, `redirects ran (${load.ok()})`);
  assert.is(load.failures.length, 0, `${load.failures.length} failed redirects: ${summarise(load.failures)}`);
  const fromPostgres =
    hitsGrown(metricsBefore, metricsAfter, "replica") + hitsGrown(metricsBefore, metricsAfter, "primary");
  assert.ok(fromPostgres > 0, "some answers came from Postgres while the master was down");
});

test("Postgres's two standbys stopped: redirects of links in no cache are still served, and creates go on", async () => {
  const targets = await createRedirectTargets(key, "standbys-down", 8);
  // Out of Redis, and never resolved, so in no resolver's memory either: only Postgres has them.
  const cluster = redisCluster();
  try {
    await waitUntilCached(cluster, targets);
    for (const { code } of targets) await cluster.del(linkCacheKey(code));
  } finally {
    cluster.disconnect();
  }
  const members = (await readClusterState(topology)) ?? [];
  const standbys = members.filter((m) => m.role !== "leader").map((m) => m.name);
  assert.is(standbys.length, 2, `two standbys: ${JSON.stringify(members)}`);
  await Promise.all(standbys.map((name) => supervisor.stop(name)));
  try {
    for (const name of standbys) assert.is(supervisor.pidOf(name), undefined, `${name} is stopped`);
    const before = await scrapeService("resolver");
    const answers = await Promise.all(targets.map(({ code }) => visit(code)));
    answers.forEach((answer, i) => {
      assert.is(answer.status, 302, `${targets[i]?.code}: ${describe(answer)}`);
      assert.is(answer.headers.get("location"), targets[i]?.location);
    });
    // The router sends reads to the leader when no standby is left: Postgres answered every lookup.
    const after = await scrapeService("resolver");
    const fromPostgres = hitsGrown(before, after, "replica") + hitsGrown(before, after, "primary");
    assert.ok(fromPostgres >= targets.length, `Postgres answered the lookups (${fromPostgres})`);
    // synchronous_mode is not strict: with no standby the leader commits alone rather than stopping, once
    // Patroni has seen the standbys go (a loop or two; longer on a busy machine: CI run f36d0d6 timed out a
    // create at 10 s). Until then a commit waits for the synchronous standby, as a durable create must.
    const fresh = await waitFor(
      "creates to commit on the leader alone",
      () => createRedirectTargets(key, "standbys-down-fresh", 3).catch(() => undefined),
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    for (const { code, location } of fresh) {
      const answer = await visit(code);
      assert.is(answer.status, 302, `created while the standbys are down: ${describe(answer)}`);
      assert.is(answer.headers.get("location"), location);
    }
  } finally {
    await stack.postgres.start(stack.context);
  }
  for (const name of standbys) assert.ok(supervisor.pidOf(name), `${name} is back`);
});

test("with two resolvers, both take redirect traffic through Envoy", async () => {
  const ports = topology.services.resolver.httpPorts;
  assert.ok(ports.length >= 2, "the stack runs at least two resolvers");
  const targets = await createRedirectTargets(key, "balance", 10);
  const before = await upstreamHosts("resolver_http");
  const load = startRedirectLoad(targets, { clients: 8 });
  await waitFor("400 redirects", async () => (load.ok() + load.failures.length >= 400 ? true : undefined), {
    timeoutMs: 20_000,
    intervalMs: 50,
  });
  await load.stop();
  assert.is(load.failures.length, 0, summarise(load.failures));
  const after = await upstreamHosts("resolver_http");
  const served = ports.map((port) => {
    const was = before.find((h) => h.port === port)?.rqTotal ?? 0;
    return (after.find((h) => h.port === port)?.rqTotal ?? 0) - was;
  });
  const total = served.reduce((a, b) => a + b, 0);
  served.forEach((count, i) => {
    assert.ok(count >= total / ports.length / 3, `resolver on ${ports[i]} served ${count} of ${total}`);
  });
});

test("a resolver killed under load: no redirect fails once Envoy has ejected it", async () => {
  const [victimPort] = topology.services.resolver.httpPorts;
  const victim = "resolver-1";
  const targets = await createRedirectTargets(key, "kill-resolver", 10);
  const load = startRedirectLoad(targets, { clients: 8 });
  let ejectedAt = 0;
  try {
    await sleep(500);
    const pid = supervisor.pidOf(victim);
    assert.ok(pid, `${victim} is running`);
    process.kill(pid as number, "SIGKILL");
    await waitFor(
      `Envoy to take ${victim} out of rotation`,
      async () => ((await isHealthyInEnvoy("resolver_http", victimPort as number)) ? undefined : true),
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    ejectedAt = Date.now();
    const okAtEjection = load.ok();
    await waitFor(
      "300 redirects after the ejection",
      async () => (load.ok() - okAtEjection >= 300 ? true : undefined),
      {
        timeoutMs: 20_000,
        intervalMs: 50,
      },
    );
  } finally {
    await load.stop();
    await stack.services.start(stack.context);
    await waitFor(
      `Envoy to see ${victim} healthy again`,
      async () => ((await isHealthyInEnvoy("resolver_http", victimPort as number)) ? true : undefined),
      // An outlier ejection lasts base_ejection_time (10 s) whatever the health checks say.
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  }
  const after = load.failures.filter((f) => f.at >= ejectedAt);
  const during = load.failures.length - after.length;
  assert.is(after.length, 0, `failed after the ejection: ${summarise(after)} (and ${during} before it)`);
  // Before the ejection Envoy retries the redirect on the other replica
  // (reset, connect-failure); at worst the requests in flight at the kill may fail.
  if (during > 0)
    console.warn(`resilience: ${during} redirects failed before the ejection: ${summarise(load.failures)}`);
  assert.ok(during <= 8, `${during} failed between the kill and the ejection: ${summarise(load.failures)}`);
});

test.run();
