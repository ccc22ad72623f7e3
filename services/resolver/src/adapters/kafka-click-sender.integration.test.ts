import { once } from "node:events";
import { createServer } from "node:net";
import { ClickEvent, LookupLayer } from "@kurt/contract";
import { createLogger } from "@kurt/platform";
import { type Consumer, Kafka, logLevel } from "kafkajs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import type { Click } from "../domain/click.js";
import type { ClickObserver } from "../domain/click-observer.js";
import { createClickPublisher } from "../domain/click-publisher.js";
import { createKafkaClickSender } from "./kafka-click-sender.js";

const brokers = serviceEnv.KURT_KAFKA_BROKERS.split(",");
const logger = createLogger({ level: "error", base: { test: "kafka-click-sender" } });
const kafka = new Kafka({ clientId: "resolver-click-test", brokers, logLevel: logLevel.NOTHING });
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
// A topic of its own, partitioned like kurt.clicks.v1: these made-up clicks must not reach the stack's clicklog.
const topic = "kurt-resolver-test.clicks";

interface Received {
  readonly key: string;
  readonly partition: number;
  readonly event: ClickEvent;
}
const received: Received[] = [];
let consumer: Consumer;

/** Clicks of this run only: an earlier run may have left some behind. */
const ours = (prefix: string) => received.filter((r) => r.event.code.startsWith(`${prefix}-${run}`));

async function arrived(prefix: string, count: number, withinMs = 10_000): Promise<Received[]> {
  const deadline = Date.now() + withinMs;
  while (ours(prefix).length < count) {
    if (Date.now() > deadline) throw new Error(`${ours(prefix).length} of ${count} clicks arrived in ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return ours(prefix);
}

function click(prefix: string, code: number, n: number): Click {
  return {
    eventId: crypto.randomUUID(),
    domain: "",
    prefetch: false,
    code: `${prefix}-${run}-${code}`,
    occurredAtMs: Date.now(),
    referrer: `https://ref.example/${n}`,
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    clientAddress: "203.0.113.7",
    redirectStatus: 302,
    servedBy: "redis",
    requestId: `req-${n}`,
  };
}

const silent: ClickObserver = { enqueued() {}, sent() {}, sendFailed() {}, dropped() {} };

test.before(async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
    }
  } finally {
    await admin.disconnect();
  }
  consumer = kafka.consumer({ groupId: `kurt-resolver-click-test-${run}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  // Offsets of a new group are resolved ("latest") at its first fetch: clicks sent before that would be missed.
  const fetching = new Promise<void>((resolve) => consumer.on(consumer.events.FETCH, () => resolve()));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      if (message.value === null) return;
      received.push({ key: message.key?.toString() ?? "", partition, event: ClickEvent.decode(message.value) });
    },
  });
  await fetching;
});

test.after(async () => {
  await consumer.disconnect();
});

test("a batch arrives on the topic, keyed by code, each message decoding to the click sent", async () => {
  const sender = createKafkaClickSender({ brokers, clientId: `click-test-${run}`, logger, topic });
  const batch = Array.from({ length: 30 }, (_, n) => click("batch", n % 3, n));
  await sender.send(batch);
  await sender.close();
  const got = await arrived("batch", 30);
  for (const r of got) assert.is(r.key, r.event.code);
  const sent = batch[7] as Click;
  const match = got.find((r) => r.event.eventId === sent.eventId);
  assert.equal(match?.event, {
    eventId: sent.eventId,
    code: sent.code,
    domain: "",
    occurredAt: new Date(sent.occurredAtMs),
    referrer: "https://ref.example/7",
    userAgent: sent.userAgent,
    clientAddress: "203.0.113.7",
    redirectStatus: 302,
    servedBy: LookupLayer.LOOKUP_LAYER_REDIS,
    requestId: "req-7",
    prefetch: false,
  });
});

test("through the publisher, every click arrives once and each link's clicks stay on one partition, in order", async () => {
  const publisher = createClickPublisher({
    sender: createKafkaClickSender({ brokers, clientId: `click-test-${run}-pub`, logger, topic }),
    observer: silent,
    queueMax: 100_000,
    batchSize: 500,
    batchWindowMs: 20,
    newId: () => crypto.randomUUID(),
    now: Date.now,
  });
  const total = 5_000;
  for (let n = 0; n < total; n++) {
    const { eventId: _id, occurredAtMs: _at, ...facts } = click("pub", n % 12, n);
    publisher.record(facts);
    if (n % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await publisher.close(10_000);
  const got = await arrived("pub", total);
  assert.is(new Set(got.map((r) => r.event.eventId)).size, total, "no click twice");
  const byCode = new Map<string, Received[]>();
  for (const r of got) byCode.set(r.event.code, [...(byCode.get(r.event.code) ?? []), r]);
  assert.is(byCode.size, 12);
  for (const [code, clicks] of byCode) {
    assert.is(new Set(clicks.map((r) => r.partition)).size, 1, `${code} on one partition`);
    const order = clicks.map((r) => Number(r.event.requestId.slice(4)));
    assert.equal(
      order,
      [...order].sort((a, b) => a - b),
      `${code} in order`,
    );
  }
  assert.ok(new Set(got.map((r) => r.partition)).size > 1, "the codes spread over several partitions");
});

test("with the broker unreachable a send fails promptly rather than hanging", async () => {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  const sender = createKafkaClickSender({ brokers: [`127.0.0.1:${port}`], clientId: `click-test-${run}-off`, logger });
  const started = Date.now();
  let failed = false;
  try {
    await sender.send([click("off", 0, 0)]);
  } catch {
    failed = true;
  }
  assert.ok(failed, "the send rejects");
  assert.ok(Date.now() - started < 10_000, `it took ${Date.now() - started} ms`);
  await sender.close();
});

test.run();
