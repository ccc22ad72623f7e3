import type { Topology } from "@kurt/topology";
import { kafkaServerProperties } from "../components/kafka-server-properties.js";

/**
 * The apache/kafka image builds server.properties from KAFKA_* variables.
 * They are derived here from the launcher's own server.properties, so that
 * both brokers share every tuning setting; only the addresses change.
 */

export const KAFKA_CONTAINER_DATA_DIR = "/var/lib/kafka/data";

// Replaced below: the local broker binds 127.0.0.1 and bootstraps a dynamic
// quorum with `StorageTool format --standalone`, which the image's launch
// script does not run (it formats with a cluster id and static voters).
const REPLACED = new Set(["listeners", "advertised.listeners", "controller.quorum.bootstrap.servers"]);

/** The inverse of the image's ConvertKey: `.` → `_`, `_` → `__`, `-` → `___`, upper case, KAFKA_ prefix. */
export function kafkaEnvironmentName(property: string): string {
  return `KAFKA_${property.replaceAll("_", "__").replaceAll("-", "___").replaceAll(".", "_").toUpperCase()}`;
}

/** The image's own ConvertKey (docker/resources/utility/utility.go): a KAFKA_* variable's name, without the prefix, back to its property. */
export function kafkaPropertyName(variable: string): string {
  const dotted = variable.replace(/[^_]_[^_]/g, (match) => match.replaceAll("_", "."));
  return dotted.replaceAll("___", "-").replaceAll("__", "_").toLowerCase();
}

export function parseProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (line.startsWith("#") || at <= 0) continue;
    properties.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return properties;
}

export function kafkaContainerEnvironment(topology: Topology, clusterId: string): Record<string, string> {
  const { host, kafka } = topology;
  const properties = parseProperties(kafkaServerProperties(topology, KAFKA_CONTAINER_DATA_DIR));
  for (const key of REPLACED) properties.delete(key);
  // Clients on the host and the broker itself use one address: the pod's loopback is the host's.
  properties.set("listeners", `PLAINTEXT://0.0.0.0:${kafka.brokerPort},CONTROLLER://127.0.0.1:${kafka.controllerPort}`);
  properties.set("advertised.listeners", `PLAINTEXT://${host}:${kafka.brokerPort}`);
  properties.set("controller.quorum.voters", `${properties.get("node.id") ?? "1"}@127.0.0.1:${kafka.controllerPort}`);
  const environment: Record<string, string> = { CLUSTER_ID: clusterId };
  for (const [key, value] of properties) {
    // The image splits each variable at '=' and drops those with more than one.
    if (value.includes("=")) throw new Error(`Kafka setting ${key}=${value} cannot be passed as a variable`);
    environment[kafkaEnvironmentName(key)] = value;
  }
  return environment;
}
