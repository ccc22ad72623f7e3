/** The `kafka-topics` job (compose and ./kurt up): Kurt's topics with their partition counts, before any service starts. */

import { failJob, loadJobConfigOrExit } from "@kurt/platform/job-config";
import { ensureKafkaTopics } from "./kafka-topics.js";

const config = loadJobConfigOrExit("kafka-topics", {
  KURT_KAFKA_BROKERS: { kind: "list", description: "Kafka bootstrap brokers, host:port,…" },
});

try {
  await ensureKafkaTopics(config.KURT_KAFKA_BROKERS, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write("kafka-topics: Kurt's topics are in place\n");
} catch (error) {
  failJob("kafka-topics", error);
}
