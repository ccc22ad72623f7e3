import { repairKafkaJsIdleLoop } from "@kurt/platform";
import { loadTopology } from "@kurt/topology";
import { Kafka, logLevel } from "kafkajs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnvironment } from "../support/tool.js";

// The services repair kafkajs's idle timer loop at start-up (packages/platform/src/kafkajs-idle-loop.ts).
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a connected, idle kafkajs client arms almost no timers once repaired", async () => {
  repairKafkaJsIdleLoop();
  repairKafkaJsIdleLoop(); // idempotent
  const brokers = serviceEnvironment(loadTopology()).KURT_KAFKA_BROKERS.split(",");
  const admin = new Kafka({ clientId: "kurt-idle-loop-test", brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.listTopics();
    await sleep(200);
    const original = globalThis.setTimeout;
    let armed = 0;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      armed++;
      return original(...args);
    }) as typeof setTimeout;
    try {
      await sleep(1_000);
    } finally {
      globalThis.setTimeout = original;
    }
    // Unrepaired, each connection re-arms its timer about every millisecond: hundreds in this second.
    assert.ok(armed < 20, `${armed} timers armed in one idle second`);
  } finally {
    await admin.disconnect();
  }
});

test.run();
