import { CLICKS_TOPIC, LINKS_TOPIC } from "@kurt/contract";
import { Kafka, logLevel } from "kafkajs";
import type { ComponentContext } from "./components/component.js";
import { kafkaBrokers } from "./components/kafka.js";

/**
 * Kurt's topics, created before any service starts: a resolver subscribing
 * "from the latest offset" to a topic that auto-creation has not made yet
 * would miss the first events. Clicks get more partitions so that several
 * clicklog replicas can share them.
 */
const TOPICS = [
  { topic: LINKS_TOPIC, numPartitions: 3 },
  { topic: CLICKS_TOPIC, numPartitions: 6 },
];

export async function ensureKafkaTopics(ctx: ComponentContext): Promise<void> {
  const kafka = new Kafka({
    clientId: "kurt-launcher",
    brokers: kafkaBrokers(ctx.topology),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = TOPICS.filter(({ topic }) => !existing.has(topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      topics: missing.map((t) => ({ ...t, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    ctx.say(`kafka: created topics ${missing.map((t) => t.topic).join(", ")}`);
  } finally {
    await admin.disconnect();
  }
}
