import { existsSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Topology } from "@kurt/topology";
import { runChecked } from "../run-command.js";
import { nodePort, POSTGRES_SUPERUSER, type PostgresNode } from "./postgres-connection.js";
import type { PostgresLayout } from "./postgres-layout.js";
import { type PostgresRunAs, runAsOptions } from "./postgres-user.js";

/** The one-shot steps that make the two clusters' data folders, and the servers' settings. */

export const POSTGRES_BIN = "/usr/lib/postgresql/15/bin";

// The superuser only comes in over the Unix sockets, which sit inside the
// 0700 data folders: only root and the postgres user reach them. Over TCP
// everyone, the app user included, proves a scram-sha-256 password.
const PG_HBA = `# Written by the Kurt launcher at initdb.
local   all          all                       trust
local   replication  all                       trust
host    all          all          127.0.0.1/32 scram-sha-256
host    replication  all          127.0.0.1/32 scram-sha-256
`;

export function dataDirOf(layout: PostgresLayout, which: PostgresNode): string {
  return which === "primary" ? layout.primaryDir : layout.replicaDir;
}

export function isInitialised(layout: PostgresLayout, which: PostgresNode): boolean {
  const dir = dataDirOf(layout, which);
  if (!existsSync(path.join(dir, "PG_VERSION"))) return false;
  // A replica without standby.signal would come up as a second primary.
  return which === "primary" || existsSync(path.join(dir, "standby.signal"));
}

export async function initPrimary(layout: PostgresLayout, runAs: PostgresRunAs | undefined): Promise<void> {
  // A replica copied from an earlier cluster cannot follow a new one.
  rmSync(layout.primaryDir, { recursive: true, force: true });
  rmSync(layout.replicaDir, { recursive: true, force: true });
  const as = runAsOptions(runAs);
  await runChecked(
    path.join(POSTGRES_BIN, "initdb"),
    [
      "-D",
      layout.primaryDir,
      "-U",
      POSTGRES_SUPERUSER,
      "--auth=trust",
      "--encoding=UTF8",
      "--locale=C",
      "--no-instructions",
    ],
    { ...as, cwd: layout.root, timeoutMs: 300_000 },
  );
  writeFileSync(path.join(layout.primaryDir, "pg_hba.conf"), PG_HBA);
}

function conninfoValue(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Copies the primary into the replica's folder, streaming WAL through the replication slot. */
export async function cloneReplica(
  layout: PostgresLayout,
  topology: Topology,
  runAs: PostgresRunAs | undefined,
): Promise<void> {
  rmSync(layout.replicaDir, { recursive: true, force: true });
  await runChecked(
    path.join(POSTGRES_BIN, "pg_basebackup"),
    [
      "-D",
      layout.replicaDir,
      "-h",
      layout.primaryDir,
      "-p",
      String(topology.postgres.primaryPort),
      "-U",
      POSTGRES_SUPERUSER,
      "--no-password",
      "-R",
      "-X",
      "stream",
      "-S",
      topology.postgres.replicationSlot,
      "--checkpoint=fast",
    ],
    { ...runAsOptions(runAs), cwd: layout.root, timeoutMs: 600_000 },
  );
}

/**
 * Settings go on the command line, which overrides the configuration files
 * (and the copy of them pg_basebackup made), so a new port base or a moved
 * data folder takes effect on the next start without editing any file.
 */
export function serverArgs(layout: PostgresLayout, topology: Topology, which: PostgresNode): string[] {
  const dir = dataDirOf(layout, which);
  const settings: Record<string, string> = {
    listen_addresses: topology.host,
    unix_socket_directories: dir,
    cluster_name: `kurt-${which}`,
    wal_level: "replica",
    max_wal_senders: "10",
    max_replication_slots: "10",
    max_connections: "200",
    hot_standby: "on",
    // Lets long reads on the replica finish instead of being cancelled by vacuum on the primary.
    hot_standby_feedback: "on",
    logging_collector: "off",
    log_line_prefix: "%m [%p] %q%u@%d ",
  };
  if (which === "replica") {
    settings.primary_conninfo = [
      `host=${conninfoValue(layout.primaryDir)}`,
      `port=${topology.postgres.primaryPort}`,
      `user=${POSTGRES_SUPERUSER}`,
      `application_name=${conninfoValue(topology.postgres.replicationSlot)}`,
    ].join(" ");
    settings.primary_slot_name = topology.postgres.replicationSlot;
  }
  return [
    "-D",
    dir,
    "-p",
    String(nodePort(topology, which)),
    ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
  ];
}
