import { Cluster } from "ioredis";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv, uniqueName } from "../support/stack.js";

const nodes = serviceEnv.KURT_REDIS_NODES.split(",").map((address) => {
  const [host, port] = address.split(":");
  return { host: host as string, port: Number(port) };
});

test("the cluster has three masters with a linked replica each and all 16384 slots", async () => {
  const cluster = new Cluster(nodes, { lazyConnect: true });
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
  const cluster = new Cluster(nodes, { lazyConnect: true });
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
