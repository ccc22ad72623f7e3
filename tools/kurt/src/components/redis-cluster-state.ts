/**
 * Parsers for what a Redis Cluster node says about itself (CLUSTER INFO,
 * CLUSTER NODES, INFO replication). Pure, so the launcher's decisions about
 * creating, waiting for or rebuilding the cluster can be read in one place.
 */

/** `key:value` lines of CLUSTER INFO and INFO sections. */
export function parseInfoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}

export interface ClusterNodeEntry {
  readonly id: string;
  /** Port of the client listener (`host:port@busport`). */
  readonly port: number;
  readonly myself: boolean;
  readonly role: "master" | "replica";
  readonly failing: boolean;
  /** Node id of the master, for a replica. */
  readonly masterId?: string;
  /** Slot ranges as written by Redis, e.g. ["0-5460"]; importing/migrating markers are left out. */
  readonly slots: readonly string[];
}

/** One entry per line of CLUSTER NODES. */
export function parseClusterNodes(text: string): ClusterNodeEntry[] {
  const entries: ClusterNodeEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.trim().split(" ");
    const [id, address, flagList, master, , , , , ...slots] = fields;
    if (!id || !address || !flagList || !master) continue;
    const flags = flagList.split(",");
    const port = Number(address.split("@")[0]?.split(":").pop());
    entries.push({
      id,
      port,
      myself: flags.includes("myself"),
      role: flags.includes("slave") ? "replica" : "master",
      failing: flags.includes("fail") || flags.includes("fail?"),
      ...(master === "-" ? {} : { masterId: master }),
      slots: slots.filter((slot) => !slot.startsWith("[")),
    });
  }
  return entries;
}

/** What one node reports, enough to decide whether the cluster is ready. */
export interface NodeReport {
  readonly port: number;
  readonly clusterState: string;
  readonly knownNodes: number;
  readonly slotsAssigned: number;
  /** Masters serving at least one slot. */
  readonly clusterSize: number;
  readonly role: "master" | "replica";
  /** `up`/`down` for a replica; undefined for a master. */
  readonly masterLinkStatus?: string;
  readonly nodes: readonly ClusterNodeEntry[];
}

export function nodeReport(
  port: number,
  clusterInfo: string,
  replicationInfo: string,
  clusterNodes: string,
): NodeReport {
  const cluster = parseInfoFields(clusterInfo);
  const replication = parseInfoFields(replicationInfo);
  const role = replication.get("role") === "slave" ? "replica" : "master";
  const linkStatus = replication.get("master_link_status");
  return {
    port,
    clusterState: cluster.get("cluster_state") ?? "unknown",
    knownNodes: Number(cluster.get("cluster_known_nodes") ?? 0),
    slotsAssigned: Number(cluster.get("cluster_slots_assigned") ?? 0),
    clusterSize: Number(cluster.get("cluster_size") ?? 0),
    role,
    ...(role === "replica" && linkStatus !== undefined ? { masterLinkStatus: linkStatus } : {}),
    nodes: parseClusterNodes(clusterNodes),
  };
}

export type ClusterShape =
  /** Every node is empty and alone: `redis-cli --cluster create` will join them. */
  | "fresh"
  /** Every node knows the same six nodes (a restart from nodes.conf): wait for it to settle. */
  | "formed"
  /** Anything else, e.g. one node's folder was deleted: the cluster must be rebuilt. */
  | "inconsistent";

export function clusterShape(reports: readonly NodeReport[], expectedNodes: number): ClusterShape {
  if (reports.every((r) => r.knownNodes === 1 && r.slotsAssigned === 0)) return "fresh";
  const memberships = reports.map((r) =>
    r.nodes
      .map((n) => `${n.id}@${n.port}`)
      .sort()
      .join(" "),
  );
  const sameMembers = memberships.every((m) => m === memberships[0]);
  const ports = new Set(reports[0]?.nodes.map((n) => n.port));
  const everyPortIsAMember = reports.every((r) => ports.has(r.port));
  return sameMembers && ports.size === expectedNodes && everyPortIsAMember ? "formed" : "inconsistent";
}

/** Why the cluster is not yet usable, or undefined once it is. */
export function notReadyReason(reports: readonly NodeReport[], expectedNodes: number): string | undefined {
  for (const r of reports) {
    if (r.clusterState !== "ok") return `node ${r.port} reports cluster_state:${r.clusterState}`;
    if (r.knownNodes !== expectedNodes) return `node ${r.port} knows ${r.knownNodes} of ${expectedNodes} nodes`;
    if (r.clusterSize !== expectedNodes / 2) return `node ${r.port} sees ${r.clusterSize} masters`;
    // A replica that has not synced refuses to take over from its master.
    if (r.role === "replica" && r.masterLinkStatus !== "up") {
      return `replica ${r.port} has master_link_status:${r.masterLinkStatus ?? "unknown"}`;
    }
  }
  const replicas = reports.filter((r) => r.role === "replica").length;
  if (replicas !== expectedNodes / 2) return `${replicas} of ${expectedNodes} nodes are replicas`;
  return undefined;
}
