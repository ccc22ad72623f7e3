import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { LINKS_TOPIC, LinkEvent, LinkEventKind } from "@kurt/contract";
import { createLogger } from "@kurt/platform";
import { Kafka, logLevel } from "kafkajs";
import { Registry } from "prom-client";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import type { Link } from "../domain/link.js";
import { sampleLink } from "../test-support/sample-link.js";
import { createKafkaLinkEvents } from "./kafka-link-events.js";

const brokers = serviceEnv.KURT_KAFKA_BROKERS.split(",");
const logger = createLogger({ level: "error", base: {} });
const publicUrl = "http://kurt.test:8080";

function link(code: string): Link {
  return sampleLink(code, { redirectStatus: 301, title: "t", tags: ["a"] });
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test("committed changes arrive on kurt.links.v1 as protobuf LinkEvents keyed by code", async () => {
  const registry = new Registry();
  const events = createKafkaLinkEvents({ brokers, clientId: "shortener-test", publicUrl, logger, registry });
  events.start();
  const code = `evt-${randomBytes(6).toString("base64url")}`;
  const kafka = new Kafka({ clientId: "shortener-test-reader", brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `shortener-test-${code}` });
  const received: Array<{ key: string; event: LinkEvent }> = [];
  try {
    // Until the producer has connected, events are dropped (and counted): probe until one is acknowledged.
    const published = async () => /kurt_shortener_link_events_published_total \d*[1-9]/.test(await registry.metrics());
    for (let i = 0; !(await published()); i++) {
      if (i > 200) throw new Error("no event was ever acknowledged");
      events.publish({ kind: "created", link: link(`${code}-probe`), requestId: undefined });
      await sleep(100);
    }
    await consumer.connect();
    await consumer.subscribe({ topic: LINKS_TOPIC, fromBeginning: true });
    void consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString() ?? "";
        if (key === code && message.value) received.push({ key, event: LinkEvent.decode(message.value) });
      },
    });
    events.publish({ kind: "created", link: link(code), requestId: "req-1" });
    events.publish({ kind: "updated", link: { ...link(code), disabled: true }, requestId: "req-2" });
    events.publish({ kind: "deleted", link: { ...link(code), deletedAt: new Date() }, requestId: "req-3" });
    await waitUntil("three events for the code", () => received.length >= 3, 30_000);
    const [created, updated, deleted] = received.map((r) => r.event);
    assert.is(created?.kind, LinkEventKind.LINK_EVENT_KIND_CREATED);
    assert.is(created?.code, code);
    assert.is(created?.link?.shortUrl, `${publicUrl}/${code}`);
    assert.is(created?.link?.redirectStatus, 301);
    assert.is(created?.requestId, "req-1");
    assert.match(created?.eventId ?? "", /^[0-9a-f-]{36}$/);
    assert.ok(created?.occurredAt instanceof Date);
    assert.is(updated?.kind, LinkEventKind.LINK_EVENT_KIND_UPDATED);
    assert.is(updated?.link?.disabled, true);
    assert.is(deleted?.kind, LinkEventKind.LINK_EVENT_KIND_DELETED);
    assert.is(deleted?.link, undefined, "DELETED carries no link");
  } finally {
    await consumer.disconnect();
    await events.close();
  }
});

test("with Kafka unreachable, publishing neither throws nor blocks; the loss is counted", async () => {
  const registry = new Registry();
  const events = createKafkaLinkEvents({
    brokers: ["127.0.0.1:1"],
    clientId: "shortener-test",
    publicUrl,
    logger,
    registry,
  });
  events.start();
  const started = Date.now();
  for (let i = 0; i < 10; i++) events.publish({ kind: "created", link: link(`down-${i}`), requestId: undefined });
  assert.ok(Date.now() - started < 100);
  assert.match(await registry.metrics(), /kurt_shortener_link_events_failed_total\{reason="disconnected"\} 10/);
  await events.close();
});

test.run();
