/**
 * StatsService as the running stack's clicklog replica serves it: API key
 * checks, refusals, and stats of clicks that went through Kafka.
 */
import { status } from "@grpc/grpc-js";
import { CLICKS_TOPIC, StatsInterval } from "@kurt/contract";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv, topology } from "../../../../tests/support/stack.js";
import {
  clickEvents,
  eventually,
  expectedStats,
  insertLink,
  produceClicks,
  uniqueCode,
} from "../test-support/clicks.js";
import { callError, getLinkStats, insertApiKey, statsClient } from "../test-support/stats-client.js";

const env = serviceEnv;
const pool = new pg.Pool({ connectionString: env.KURT_PG_PRIMARY_URL, max: 2 });
const client = statsClient(`${topology.host}:${topology.services.clicklog.grpcPorts[0]}`);
const kafka = new Kafka({
  clientId: "clicklog-test",
  brokers: env.KURT_KAFKA_BROKERS.split(","),
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer();
let reader = "";

test.before(async () => {
  reader = await insertApiKey(pool, ["stats:read"]);
  await producer.connect();
});

test.after(async () => {
  client.close();
  await producer.disconnect();
  await pool.end();
});

test("without an API key the call is UNAUTHENTICATED", async () => {
  const error = await callError(getLinkStats(client, { code: "abc1234" }));
  assert.is(error.code, status.UNAUTHENTICATED);
});

test("a key without stats:read is PERMISSION_DENIED; an admin key is enough", async () => {
  const writer = await insertApiKey(pool, ["links:write", "links:read"]);
  const error = await callError(getLinkStats(client, { code: "abc1234" }, writer));
  assert.is(error.code, status.PERMISSION_DENIED);
  const code = uniqueCode("adm");
  await insertLink(pool, code);
  const admin = await insertApiKey(pool, ["admin"]);
  assert.is((await getLinkStats(client, { code }, admin)).total, 0);
});

test("an unknown code, a deleted link and a code no link can have are NOT_FOUND", async () => {
  assert.is((await callError(getLinkStats(client, { code: uniqueCode("none") }, reader))).code, status.NOT_FOUND);
  const deleted = uniqueCode("del");
  await insertLink(pool, deleted);
  await pool.query("update links set deleted_at = now() where code = $1", [deleted]);
  assert.is((await callError(getLinkStats(client, { code: deleted }, reader))).code, status.NOT_FOUND);
  assert.is((await callError(getLinkStats(client, { code: "no such code!" }, reader))).code, status.NOT_FOUND);
});

test("a reversed range, an empty one and one too wide are INVALID_ARGUMENT naming from", async () => {
  const code = uniqueCode("rng");
  await insertLink(pool, code);
  const now = Date.now();
  for (const request of [
    { from: new Date(now), to: new Date(now - 3_600_000) },
    { from: new Date(now), to: new Date(now) },
    { from: new Date(now - 400 * 86_400_000), to: new Date(now) },
    { from: new Date(now - 40 * 86_400_000), to: new Date(now), interval: StatsInterval.HOUR },
  ]) {
    const error = await callError(getLinkStats(client, { code, ...request }, reader));
    assert.is(error.code, status.INVALID_ARGUMENT, JSON.stringify(request));
    assert.match(error.details, /^from: /);
  }
});

test("a link with no clicks: zero totals, a zero for every day of the default week, no breakdowns", async () => {
  const code = uniqueCode("idle");
  await insertLink(pool, code);
  const stats = await getLinkStats(client, { code }, reader);
  assert.equal([stats.total, stats.humanTotal, stats.botTotal, stats.uniqueVisitors], [0, 0, 0, 0]);
  assert.is(stats.series.length, 8);
  assert.ok(stats.series.every((point) => point.clicks === 0));
  assert.equal([stats.referrers, stats.browsers, stats.os, stats.devices, stats.countries], [[], [], [], [], []]);
});

test("clicks produced on kurt.clicks.v1 show up in the stats, by day and by hour", async () => {
  const code = uniqueCode("live");
  await insertLink(pool, code);
  const events = clickEvents(code, 200, new Date(), 20);
  const expected = expectedStats(events);
  await produceClicks(producer, CLICKS_TOPIC, events);
  const stats = await eventually("200 clicks counted by the stack's clicklog", async () => {
    const current = await getLinkStats(client, { code }, reader);
    return current.total === 200 ? current : undefined;
  });
  assert.equal(
    [stats.humanTotal, stats.botTotal, stats.uniqueVisitors],
    [expected.humanTotal, expected.botTotal, expected.uniqueVisitors],
  );
  assert.equal(new Map(stats.devices.map((d) => [d.value, d.clicks])), expected.devices);
  assert.equal(new Map(stats.countries.map((c) => [c.value, c.clicks])), expected.countries);
  const byHour = await getLinkStats(
    client,
    { code, from: new Date(Date.now() - 24 * 3_600_000), interval: StatsInterval.HOUR },
    reader,
  );
  assert.is(byHour.series.length, 25);
  assert.is(
    byHour.series.reduce((sum, point) => sum + point.clicks, 0),
    200,
  );
  const starts = byHour.series.map((point) => point.start?.getTime() ?? 0);
  assert.equal(
    starts,
    [...starts].sort((a, b) => a - b),
    "oldest first",
  );
});

test.run();
