import type { Topology } from "@kurt/topology";

/**
 * server.properties of a single-node KRaft cluster: one process is both the
 * broker and the only controller, so every internal topic has one replica.
 */
export function kafkaServerProperties(topology: Topology, logDir: string): string {
  const { host, kafka } = topology;
  const controller = `${host}:${kafka.controllerPort}`;
  const settings: Array<[string, string | number]> = [
    ["process.roles", "broker,controller"],
    ["node.id", 1],
    // A dynamic quorum (KIP-853), which `StorageTool format --standalone` bootstraps with this node as its one voter.
    ["controller.quorum.bootstrap.servers", controller],
    ["listeners", `PLAINTEXT://${host}:${kafka.brokerPort},CONTROLLER://${controller}`],
    ["advertised.listeners", `PLAINTEXT://${host}:${kafka.brokerPort},CONTROLLER://${controller}`],
    ["controller.listener.names", "CONTROLLER"],
    ["inter.broker.listener.name", "PLAINTEXT"],
    ["listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"],
    ["log.dirs", logDir],
    // Topics that appear by auto-creation still get room for a few consumers.
    ["num.partitions", 3],
    ["default.replication.factor", 1],
    ["min.insync.replicas", 1],
    ["offsets.topic.replication.factor", 1],
    // 50 partitions by default: creating them delays a consumer group's first join on a small machine.
    ["offsets.topic.num.partitions", 10],
    ["transaction.state.log.replication.factor", 1],
    ["transaction.state.log.min.isr", 1],
    ["transaction.state.log.num.partitions", 10],
    ["share.coordinator.state.topic.replication.factor", 1],
    ["share.coordinator.state.topic.min.isr", 1],
    // A group with one consumer need not wait for others to join.
    ["group.initial.rebalance.delay.ms", 0],
    ["log.retention.hours", 168],
  ];
  return `# Written by the Kurt launcher on every start; edit kafka-server-properties.ts instead.\n${settings
    .map(([key, value]) => `${key}=${value}`)
    .join("\n")}\n`;
}
