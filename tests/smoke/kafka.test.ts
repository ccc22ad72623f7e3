import { Kafka, logLevel } from "kafkajs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv, uniqueName } from "../support/stack.js";

test("a kafkajs producer and a consumer group round-trip messages on a real topic", async () => {
  const kafka = new Kafka({
    clientId: "kurt-smoke",
    brokers: serviceEnv.KURT_KAFKA_BROKERS.split(","),
    logLevel: logLevel.NOTHING,
  });
  const topic = uniqueName("smoke");
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: uniqueName("smoke-group") });
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 5}`, value: `message ${i}` }));
    await producer.send({ topic, messages: sent });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`received ${received.length} of ${sent.length}`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push(String(message.value));
          if (received.length === sent.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    assert.equal([...received].sort(), sent.map((m) => m.value).sort());
    const offsets = await admin.fetchTopicOffsets(topic);
    assert.is(
      offsets.reduce((sum, p) => sum + Number(p.high), 0),
      sent.length,
      "the broker stored every message",
    );
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});

test.run();
