import type { PostgresMember, Topology } from "@kurt/topology";
import { POSTGRES_BIN } from "./postgres-cluster.js";
import { POSTGRES_SUPERUSER } from "./postgres-connection.js";

/** The passwords Patroni's own roles prove over TCP (replication, pg_rewind); never the app user's. */
export interface PatroniSecrets {
  readonly superuser: string;
  readonly replication: string;
}

export const REPLICATION_USER = "replicator";

/**
 * Failover timing (DESIGN.md §4, measured here): a leader is replaced within
 * about ttl after Patroni itself dies, and in 2.7–3.4 s after only its
 * postmaster dies, because primary_start_timeout 0 promotes a standby at once
 * instead of restarting the crashed leader in place. Patroni's rule:
 * loop_wait + 2 × retry_timeout ≤ ttl.
 */
export const PATRONI_TIMING = { ttl: 10, loop_wait: 2, retry_timeout: 3, primary_start_timeout: 0 } as const;

/**
 * The settings every member shares, kept in etcd (Patroni's "dynamic
 * configuration"): written by the member that bootstraps the cluster, and
 * sent again by ./kurt up (PATCH /config) so a changed rendering reaches an
 * existing cluster too.
 */
export function renderPatroniDynamicConfig() {
  return {
    ...PATRONI_TIMING,
    // A standby more than 1 MiB behind is never promoted: it would lose acknowledged writes.
    maximum_lag_on_failover: 1_048_576,
    // A commit is acknowledged once it is on the leader and the synchronous standby.
    synchronous_mode: true,
    // Without a standby the leader keeps accepting writes (on one machine) rather than stopping.
    synchronous_mode_strict: false,
    // With etcd unreachable the leader keeps leading as long as every member's REST API confirms
    // it (Patroni 3's failsafe mode) instead of demoting itself after ttl: losing etcd alone stops nothing.
    failsafe_mode: true,
    postgresql: {
      use_pg_rewind: true,
      use_slots: true,
      parameters: {
        wal_level: "replica",
        hot_standby: "on",
        // pg_rewind needs hint bits in WAL (or data checksums) to rejoin a failed leader.
        wal_log_hints: "on",
        max_wal_senders: 10,
        max_replication_slots: 10,
        max_connections: 200,
        // Lets long reads on a replica finish instead of being cancelled by vacuum on the leader.
        hot_standby_feedback: "on",
      },
    },
  };
}

export interface PatroniMemberFiles {
  readonly dataDir: string;
  /** Patroni writes the .pgpass it hands to pg_basebackup and pg_rewind here. */
  readonly pgpass: string;
  /**
   * Where Postgres puts its Unix socket: a folder only the postgres user (and
   * root) can enter, and never the data folder, whose every file pg_rewind
   * copies from the leader, and a socket cannot be read ("could not open file
   * .s.PGSQL.<port>: No such device or address"): each rewind would fail and
   * the member be cloned afresh. Without it, the data folder (as before).
   */
  readonly socketDir?: string;
}

/**
 * One member's Patroni settings. Everything that must be the same on every
 * member (the `bootstrap.dcs` part) is written into etcd by the first member
 * that initialises the cluster; the rest is this member's own.
 */
export function renderPatroniConfig(
  topology: Topology,
  member: PostgresMember,
  files: PatroniMemberFiles,
  secrets: PatroniSecrets,
): Record<string, unknown> {
  const { host } = topology;
  return {
    scope: topology.postgres.cluster,
    namespace: "/kurt/",
    name: member.name,
    restapi: { listen: `${host}:${member.restPort}`, connect_address: `${host}:${member.restPort}` },
    etcd3: { hosts: `${host}:${topology.etcd.clientPort}` },
    bootstrap: { dcs: renderPatroniDynamicConfig(), initdb: [{ encoding: "UTF8" }, { locale: "C" }] },
    postgresql: {
      listen: `${host}:${member.port}`,
      connect_address: `${host}:${member.port}`,
      data_dir: files.dataDir,
      bin_dir: POSTGRES_BIN,
      pgpass: files.pgpass,
      // A killed leader can have written WAL its successor never got; pg_rewind normally takes it back,
      // and where it cannot, the member is cloned afresh from the leader rather than left unable to follow.
      remove_data_directory_on_rewind_failure: true,
      remove_data_directory_on_diverged_timelines: true,
      // A clone starts from an immediate checkpoint on the leader, not a spread one that can take minutes.
      basebackup: [{ checkpoint: "fast" }],
      authentication: {
        superuser: { username: POSTGRES_SUPERUSER, password: secrets.superuser },
        replication: { username: REPLICATION_USER, password: secrets.replication },
      },
      parameters: {
        // The socket sits in a 0700 folder: only root and the postgres user reach it.
        unix_socket_directories: files.socketDir ?? files.dataDir,
        logging_collector: "off",
        log_line_prefix: "%m [%p] %q%u@%d ",
      },
      // The superuser comes in over the socket without a password (the launcher, Patroni);
      // over TCP everyone proves a scram-sha-256 password.
      pg_hba: [
        "local all all trust",
        "local replication all trust",
        `host all all ${host}/32 scram-sha-256`,
        `host replication ${REPLICATION_USER} ${host}/32 scram-sha-256`,
      ],
    },
  };
}
