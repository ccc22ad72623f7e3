import { CLICKS_TOPIC } from "@kurt/contract";
import type { Topology } from "@kurt/topology";
import { type Admin, Kafka, logLevel } from "kafkajs";

/**
 * clicklog's consumer lag, asked of Kafka directly every time (clicklog's own
 * gauge refreshes every few seconds): the topic's high watermarks minus the
 * group's committed offsets, summed over the partitions.
 */
export interface ClickLagProbe {
  lag(): Promise<number>;
  close(): Promise<void>;
}

/** clicklog's default KURT_CLICKLOG_GROUP_ID. */
const CLICKLOG_GROUP = "kurt-clicklog";

export async function openClickLagProbe(topology: Topology, groupId = CLICKLOG_GROUP): Promise<ClickLagProbe> {
  const kafka = new Kafka({
    clientId: "kurt-bench",
    brokers: [`${topology.host}:${topology.kafka.brokerPort}`],
    logLevel: logLevel.NOTHING,
  });
  const admin: Admin = kafka.admin();
  await admin.connect();
  return {
    async lag() {
      const [ends, groups] = await Promise.all([
        admin.fetchTopicOffsets(CLICKS_TOPIC),
        admin.fetchOffsets({ groupId, topics: [CLICKS_TOPIC] }),
      ]);
      const committed = new Map(
        (groups.find((group) => group.topic === CLICKS_TOPIC)?.partitions ?? []).map((p) => [p.partition, p.offset]),
      );
      let total = 0;
      for (const end of ends) {
        const offset = Number(committed.get(end.partition) ?? -1);
        total += Math.max(0, Number(end.high) - (offset < 0 ? Number(end.low) : offset));
      }
      return total;
    },
    close: () => admin.disconnect(),
  };
}
