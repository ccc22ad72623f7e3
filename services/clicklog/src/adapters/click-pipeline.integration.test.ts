/**
 * The whole storing path against the real Kafka and Postgres of the running
 * stack, on a topic and consumer group of its own (the stack's clicklog
 * replicas never see these events): produce, consume, store, read stats,
 * then deliver everything again and see that nothing changes.
 */

import { openCountryLookup } from "@kurt/geoip";
import { createLogger, createPostgresPool } from "@kurt/platform";
import { Kafka, logLevel } from "kafkajs";
import { Registry } from "prom-client";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import { createClickEnricher } from "../domain/click-enricher.js";
import { createClickIngest } from "../domain/click-ingest.js";
import { createClickRetention } from "../domain/click-retention.js";
import { createLinkStats, type LinkStats } from "../domain/link-stats.js";
import {
  clickEvents,
  eventually,
  expectedStats,
  insertLink,
  produceClicks,
  uniqueCode,
} from "../test-support/clicks.js";
import { type ClickMetrics, createClickMetrics } from "./click-metrics.js";
import { type ClickConsumer, startClickConsumer } from "./kafka-click-consumer.js";
import { createPgClickPartitions } from "./pg-click-partitions.js";
import { createPgClickStore } from "./pg-click-store.js";
import { createPgStatsStore } from "./pg-stats-store.js";
import { createPgVisitorKeys } from "./pg-visitor-keys.js";
import { createUaParserClassifier } from "./ua-parser-classifier.js";

const env = serviceEnv;
const logger = createLogger({ level: "error", base: { test: "click-pipeline" } });
const pool = createPostgresPool({
  connectionString: env.KURT_PG_PRIMARY_URL,
  maxConnections: 8,
  timeoutMs: 10_000,
  onIdleError: () => {},
});
const kafka = new Kafka({
  clientId: "clicklog-test",
  brokers: env.KURT_KAFKA_BROKERS.split(","),
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer();
const topic = uniqueCode("clicks-test");
const partitions = createPgClickPartitions(pool);
const geo = openCountryLookup();
const ingest = createClickIngest({
  enrich: createClickEnricher({
    classifier: createUaParserClassifier(),
    visitorKeys: createPgVisitorKeys(pool),
    countryOf: (address) => geo.lookup(address),
  }),
  store: createPgClickStore(pool),
  partitions,
  retention: createClickRetention(90),
});
const stats = createLinkStats({ store: createPgStatsStore(pool), defaultHost: new URL(env.KURT_PUBLIC_URL).host });
const consumers: ClickConsumer[] = [];

function startConsumer(groupId: string): { consumer: ClickConsumer; metrics: ClickMetrics } {
  const metrics = createClickMetrics(new Registry());
  const consumer = startClickConsumer({
    kafka,
    topic,
    topicPartitions: 3,
    groupId,
    concurrency: 3,
    maxTransactionSize: 200,
    ingest,
    onStoreFailure: () => partitions.forget(),
    metrics,
    logger,
  });
  consumers.push(consumer);
  return { consumer, metrics };
}

async function counter(metrics: ClickMetrics, name: keyof ClickMetrics): Promise<number> {
  const value = await (metrics[name] as { get(): Promise<{ values: { value: number }[] }> }).get();
  return value.values.reduce((sum, v) => sum + v.value, 0);
}

function asMap(values: LinkStats["referrers"]): Map<string, number> {
  return new Map(values.map((v) => [v.value, v.clicks]));
}

test.before(async () => {
  await producer.connect();
});

// Each test reads with groups of its own; the ones of earlier tests must not store its events first.
test.after.each(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
});

test.after(async () => {
  await producer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
  await pool.end();
});

test("500 clicks are stored once each, and stats show their totals, series and breakdowns", async () => {
  const code = uniqueCode("pipe");
  await insertLink(pool, code);
  const events = clickEvents(code, 500, new Date());
  const expected = expectedStats(events);
  const { metrics } = startConsumer(uniqueCode("clicklog-test"));

  const started = Date.now();
  await produceClicks(producer, topic, events);
  const result = await eventually("all 500 clicks counted", async () => {
    const current = await stats({ code });
    return current.total === 500 ? current : undefined;
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(`  500 clicks produced, stored and visible in stats in ${seconds.toFixed(2)} s`);

  assert.is(result.humanTotal, expected.humanTotal);
  assert.is(result.botTotal, expected.botTotal);
  assert.is(result.humanTotal + result.botTotal, 500);
  assert.is(result.uniqueVisitors, expected.uniqueVisitors);
  assert.is(
    result.series.reduce((sum, point) => sum + point.clicks, 0),
    500,
  );
  assert.is(result.series.length, 8, "7 days back and today");
  assert.equal(asMap(result.referrers), expected.referrers);
  assert.equal(asMap(result.browsers), expected.browsers);
  assert.equal(asMap(result.os), expected.os);
  assert.equal(asMap(result.devices), expected.devices);
  assert.equal(asMap(result.countries), expected.countries);
  assert.is(await counter(metrics, "stored"), 500);

  // Only the country code is stored beside the click: no column holds the address.
  const raw = await pool.query<{ country: string; clicks: number }>(
    "select country, count(*)::int as clicks from clicks where code = $1 group by country",
    [code],
  );
  assert.equal(new Map(raw.rows.map((row) => [row.country, row.clicks])), expected.countries);
  const stored = await pool.query("select * from clicks where code = $1 limit 50", [code]);
  assert.not.ok(
    JSON.stringify(stored.rows).match(/194\.25\.2\.|8\.8\.8\.|212\.58\.244\.|198\.51\.100\./),
    "no client address in any column",
  );

  const byHour = await stats({ code, from: new Date(Date.now() - 31 * 3_600_000), interval: "hour" });
  assert.is(byHour.total, 500);
  assert.is(
    byHour.series.reduce((sum, point) => sum + point.clicks, 0),
    500,
  );
  assert.ok(byHour.series.filter((point) => point.clicks > 0).length >= 30, "clicks spread over 30 hours");
});

test("the same events delivered again, and read again by a group with no offsets, change nothing", async () => {
  const code = uniqueCode("redo");
  await insertLink(pool, code);
  const events = clickEvents(code, 300, new Date());
  const first = startConsumer(uniqueCode("clicklog-test"));
  await produceClicks(producer, topic, events);
  const before = await eventually("300 clicks counted", async () => {
    const current = await stats({ code });
    return current.total === 300 ? current : undefined;
  });

  // A producer retry or a resolver replaying its queue: the very same events once more.
  await produceClicks(producer, topic, events);
  await eventually("the redelivered events seen as duplicates", async () =>
    (await counter(first.metrics, "duplicates")) >= 300 ? true : undefined,
  );
  // A consumer group whose offsets were lost reads the whole topic again.
  const second = startConsumer(uniqueCode("clicklog-test"));
  await eventually("a second group read the whole topic", async () =>
    (await counter(second.metrics, "consumed")) >= 600 + 500 ? true : undefined,
  );
  assert.is(await counter(second.metrics, "stored"), 0, "nothing is new to a second group");

  const after = await stats({ code });
  assert.equal(after, before);
  const raw = await pool.query<{ n: number }>("select count(*)::int as n from clicks where code = $1", [code]);
  assert.is(raw.rows[0]?.n, 300);
});

test("undecodable messages are counted and skipped without holding up the clicks behind them", async () => {
  const code = uniqueCode("junk");
  await insertLink(pool, code);
  const { metrics } = startConsumer(uniqueCode("clicklog-test"));
  const events = clickEvents(code, 20, new Date());
  await producer.send({
    topic,
    messages: [
      { key: code, value: Buffer.from([0xff, 0xff, 0xff, 0xff]) },
      { key: code, value: Buffer.from("definitely not protobuf, client 203.0.113.9") },
      { key: code, value: null },
    ],
  });
  await produceClicks(producer, topic, events);
  await eventually("the 20 clicks after the junk counted", async () =>
    (await stats({ code })).total === 20 ? true : undefined,
  );
  assert.is(await counter(metrics, "malformed"), 3);
});

test.run();
