import { CLICKS_TOPIC } from "@kurt/contract";
import { AssignerProtocol, Kafka, logLevel } from "kafkajs";
import { serviceEnv } from "./stack.js";

/** clicklog's consumer group (its KURT_CLICKLOG_GROUP_ID default). */
export const CLICKLOG_GROUP = "kurt-clicklog";

/** The group as the broker sees it: its state, and the clicks partitions each clicklog replica holds. */
export interface GroupView {
  readonly state: string;
  /** Daemon name (clicklog-1, …) → partitions of the clicks topic, sorted. */
  readonly members: ReadonlyMap<string, readonly number[]>;
}

export interface ClickConsumerGroup {
  describe(): Promise<GroupView>;
  /** Each partition's high watermark (the next offset to be written). */
  endOffsets(): Promise<ReadonlyMap<number, bigint>>;
  close(): Promise<void>;
}

/** clicklog names its Kafka client `kurt-clicklog-<instance>`; the launcher names the replica `clicklog-<instance>`. */
function daemonOf(clientId: string): string {
  return clientId.replace(/^kurt-/, "");
}

export async function connectClickConsumerGroup(): Promise<ClickConsumerGroup> {
  const kafka = new Kafka({
    clientId: "kurt-e2e",
    brokers: serviceEnv.KURT_KAFKA_BROKERS.split(","),
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  });
  const admin = kafka.admin();
  await admin.connect();
  return {
    async describe() {
      const { groups } = await admin.describeGroups([CLICKLOG_GROUP]);
      const group = groups[0];
      const members = new Map<string, number[]>();
      for (const member of group?.members ?? []) {
        const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        const partitions = [...(decoded?.assignment[CLICKS_TOPIC] ?? [])].sort((a, b) => a - b);
        members.set(daemonOf(member.clientId), partitions);
      }
      return { state: group?.state ?? "Unknown", members };
    },
    async endOffsets() {
      const offsets = await admin.fetchTopicOffsets(CLICKS_TOPIC);
      return new Map(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
    },
    async close() {
      await admin.disconnect();
    },
  };
}

/** "clicklog-1=[0,1,2] clicklog-2=[3,4,5] (Stable)", for assertion messages. */
export function describeGroupView(view: GroupView): string {
  const members = [...view.members].map(([name, partitions]) => `${name}=[${partitions.join(",")}]`).join(" ");
  return `${members || "no members"} (${view.state})`;
}
