/** The compose `kafka-topics` job: Kurt's topics with the launcher's partition counts, before any service starts. */
import { ensureKafkaTopics } from "../kafka-topics.js";
import { failJob, loadJobConfigOrExit } from "./job-config.js";

const config = loadJobConfigOrExit("kafka-topics", {
  KURT_KAFKA_BROKERS: { kind: "list", description: "Kafka bootstrap brokers, host:port,…" },
});

try {
  await ensureKafkaTopics(config.KURT_KAFKA_BROKERS, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write("kafka-topics: Kurt's topics are in place\n");
} catch (error) {
  failJob("kafka-topics", error);
}
