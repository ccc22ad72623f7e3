import { once } from "node:events";
import { createServer } from "node:net";
import { LINKS_TOPIC, type LinkCacheEntry, LinkEvent, LinkEventKind } from "@kurt/contract";
import { createLogger } from "@kurt/platform";
import { Kafka, logLevel } from "kafkajs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import { createLocalLinkCache } from "../domain/local-link-cache.js";
import { type LinkEventsConsumer, startLinkEventsConsumer } from "./link-events-consumer.js";

const brokers = serviceEnv.KURT_KAFKA_BROKERS.split(",");
const logger = createLogger({ level: "error", base: { test: "link-events-consumer" } });
const kafka = new Kafka({ clientId: "resolver-test", brokers, logLevel: logLevel.NOTHING });
const producer = kafka.producer();
const memory = createLocalLinkCache({
  maxEntries: 100,
  maxBytes: 1_000_000,
  ttlMs: 60_000,
  negativeTtlMs: 60_000,
  negativeMaxEntries: 100,
});
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
let consumer: LinkEventsConsumer | undefined;

const entry: LinkCacheEntry = {
  url: "https://example.com/",
  redirectStatus: 302,
  cacheSeconds: 0,
  expiresAtMs: null,
  validSinceMs: null,
  forwardQuery: false,
  maxVisits: null,
  passwordHash: null,
  rules: [],
  disabled: false,
  deleted: false,
  updatedAtMs: 0,
};

async function publish(kind: LinkEventKind, code: string): Promise<void> {
  const event = LinkEvent.fromPartial({ eventId: crypto.randomUUID(), kind, code, occurredAt: new Date() });
  await producer.send({
    topic: LINKS_TOPIC,
    messages: [{ key: code, value: Buffer.from(LinkEvent.encode(event).finish()) }],
  });
}

/** How long until the code is gone from memory; fails after `withinMs`. */
async function droppedWithin(code: string, withinMs: number): Promise<number> {
  const started = Date.now();
  while (memory.get(code) !== undefined) {
    if (Date.now() - started > withinMs) throw new Error(`${code} still held after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

test.before(async () => {
  await producer.connect();
  // The topic may not exist yet on a fresh stack; the consumer retries until it does.
  await publish(LinkEventKind.LINK_EVENT_KIND_UNSPECIFIED, "");
  consumer = startLinkEventsConsumer({
    brokers,
    groupId: unique("kurt-resolver-test"),
    onLinkChanged: (code) => memory.drop(code),
    logger,
  });
  await consumer.ready;
});

test.after(async () => {
  await consumer?.stop();
  await producer.disconnect();
});

test("an UPDATED event drops the link from memory within a second", async () => {
  const code = unique("upd");
  memory.setLink(code, entry);
  await publish(LinkEventKind.LINK_EVENT_KIND_UPDATED, code);
  await droppedWithin(code, 1_000);
});

test("a DELETED event drops the link from memory within a second", async () => {
  const code = unique("del");
  memory.setLink(code, entry);
  await publish(LinkEventKind.LINK_EVENT_KIND_DELETED, code);
  await droppedWithin(code, 1_000);
});

test("a CREATED event clears the code's negative entry within a second", async () => {
  const code = unique("new");
  memory.setUnknown(code);
  await publish(LinkEventKind.LINK_EVENT_KIND_CREATED, code);
  await droppedWithin(code, 1_000);
});

test("an undecodable message is skipped and later events still arrive", async () => {
  await producer.send({ topic: LINKS_TOPIC, messages: [{ key: "x", value: Buffer.from([0xff, 0xff, 0xff]) }] });
  const code = unique("after");
  memory.setLink(code, entry);
  await publish(LinkEventKind.LINK_EVENT_KIND_UPDATED, code);
  await droppedWithin(code, 1_000);
});

test("with Kafka unreachable the consumer starts at once, keeps retrying, and stops promptly", async () => {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  const offline = startLinkEventsConsumer({
    brokers: [`127.0.0.1:${port}`],
    groupId: unique("kurt-resolver-offline"),
    onLinkChanged: () => {},
    logger,
    retryDelayMs: 50,
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = Date.now();
  await offline.stop();
  assert.ok(Date.now() - started < 5_000, "stop does not wait out the retries");
});

test.run();
