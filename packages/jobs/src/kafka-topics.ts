import { CLICKS_TOPIC, LINKS_TOPIC } from "@kurt/contract";
import { Kafka, logLevel } from "kafkajs";

/**
 * Kurt's topics, created before any service starts: a resolver subscribing
 * "from the latest offset" to a topic that auto-creation has not made yet
 * would miss the first events. Clicks get more partitions so that several
 * clicklog replicas can share them. `./kurt up` runs this job after starting
 * Kafka; under compose, the one-shot `kafka-topics` job of the Dockerfile.
 */
export const KAFKA_TOPICS = [
  { topic: LINKS_TOPIC, numPartitions: 3 },
  { topic: CLICKS_TOPIC, numPartitions: 6 },
];

/** Creates the topics that do not exist yet; existing ones are left as they are. */
export async function ensureKafkaTopics(brokers: readonly string[], say: (line: string) => void): Promise<void> {
  const kafka = new Kafka({
    clientId: "kurt-jobs",
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = KAFKA_TOPICS.filter(({ topic }) => !existing.has(topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      topics: missing.map((t) => ({ ...t, replicationFactor: 1 })),
      waitForLeaders: true,
    });
    say(`kafka: created topics ${missing.map((t) => t.topic).join(", ")}`);
  } finally {
    await admin.disconnect();
  }
}
