import { randomBytes } from "node:crypto";
import type { Topology } from "@kurt/topology";
import type { ClientConfig } from "pg";
import type { StartedTestContainer } from "testcontainers";
import type { Component, ComponentContext, StatusLine } from "../components/component.js";

import { bootstrapPrimary } from "../components/postgres-bootstrap.js";
import { nodePort, POSTGRES_SUPERUSER, type PostgresNode, withPgClient } from "../components/postgres-connection.js";
import { waitFor } from "../wait.js";
import { CONTAINER_IMAGES } from "./images.js";
import { type ContainerSession, containerError, pullImages, shortId } from "./pod.js";

/** The container backends run one primary and one replica (no Patroni: the local processes have it). */
const POSTGRES_DAEMONS = { primary: "postgres-primary", replica: "postgres-replica" } as const;

/**
 * Postgres 15 in two containers of the pod: the primary, initialised by the
 * image's entrypoint, then bootstrapped exactly as the local one (role,
 * database, replication slot, grants); and a hot standby made by
 * pg_basebackup of the primary through that slot, started by the same
 * entrypoint once its data folder exists.
 */

const COMPONENT = "postgres";
const HBA_FILE = "/etc/kurt/pg_hba.conf";
// (compose.yaml runs the Patroni cluster instead; its pg_hba comes from renderPatroniConfig.)
// compose.yaml carries the same file (configs.pg-hba).
export const CONTAINER_PG_HBA = `local   all          all                  trust
local   replication  all                  trust
host    all          all          all     scram-sha-256
host    replication  all          all     scram-sha-256
`;

export interface PostgresContainers extends Component {
  /** The superuser over TCP to the primary, once started: PgBouncer reads the app role's scram secret with it. */
  adminConfig(): ClientConfig | undefined;
}

/** The launcher's server settings (see postgres-cluster.ts), less what only concerns local folders and sockets. */
function serverSettings(which: PostgresNode): string[] {
  const settings: Record<string, string> = {
    // Published ports reach the pod's interface, not its loopback.
    listen_addresses: "*",
    hba_file: HBA_FILE,
    cluster_name: `kurt-${which}`,
    wal_level: "replica",
    max_wal_senders: "10",
    max_replication_slots: "10",
    // A hot standby refuses to start with fewer than its primary.
    max_connections: "200",
    hot_standby: "on",
    hot_standby_feedback: "on",
    log_line_prefix: "%m [%p] %q%u@%d ",
  };
  return Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]);
}

const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * The replica's entrypoint: copy the primary through the pod's loopback and
 * the replication slot (-R writes standby.signal and primary_conninfo), then
 * hand over to the image's entrypoint, which finds a data folder and starts it.
 */
export function replicaScript(topology: Topology): string {
  const backup = [
    "pg_basebackup",
    ...["-h", "127.0.0.1", "-p", String(topology.postgres.primaryPort), "-U", POSTGRES_SUPERUSER, "--no-password"],
    ...["-D", '"$PGDATA"', "-R", "-X", "stream", "-S", shellQuote(topology.postgres.replicationSlot)],
    "--checkpoint=fast",
  ];
  return [
    "set -e",
    `gosu postgres ${backup.join(" ")}`,
    `exec docker-entrypoint.sh postgres ${serverSettings("replica").map(shellQuote).join(" ")}`,
  ].join("\n");
}

interface ReplicationState {
  readonly state: string | null;
  readonly bytesBehind: string | null;
}

// The walsender serving our slot, as the local component asks it.
const REPLICATION_STATE = `
  select r.state, pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::bigint::text as "bytesBehind"
    from pg_replication_slots s
    left join pg_stat_replication r on r.pid = s.active_pid
   where s.slot_name = $1`;

export function createPostgresContainers(session: ContainerSession): PostgresContainers {
  const superuserPassword = randomBytes(18).toString("base64url");
  const started: Partial<Record<PostgresNode, StartedTestContainer>> = {};
  let admin: ClientConfig | undefined;

  const configFor = (topology: Topology, which: PostgresNode): ClientConfig => ({
    host: topology.host,
    port: nodePort(topology, which),
    user: POSTGRES_SUPERUSER,
    password: superuserPassword,
    database: "postgres",
    connectionTimeoutMillis: 5_000,
  });

  const inRecovery = (ctx: ComponentContext, which: PostgresNode) =>
    withPgClient(configFor(ctx.topology, which), async (client) => {
      const { rows } = await client.query<{ recovering: boolean }>("select pg_is_in_recovery() as recovering");
      if (rows[0]?.recovering !== (which === "replica")) {
        throw new Error(`the ${which} answers but pg_is_in_recovery() is ${rows[0]?.recovering}`);
      }
      return true;
    });

  const replicationState = (ctx: ComponentContext) =>
    withPgClient(configFor(ctx.topology, "primary"), async (client) => {
      const { rows } = await client.query<ReplicationState>(REPLICATION_STATE, [ctx.topology.postgres.replicationSlot]);
      return rows[0];
    });

  const ready = <T>(ctx: ComponentContext, daemon: string, what: string, probe: () => Promise<T | undefined>) =>
    waitFor(what, probe, { timeoutMs: 60_000 }).catch((error: unknown) => {
      throw containerError(ctx, COMPONENT, daemon, error);
    });

  async function startPrimary(ctx: ComponentContext): Promise<void> {
    const { tc, member } = await session.pod(ctx);
    const daemon = POSTGRES_DAEMONS.primary;
    ctx.say(`postgres: starting the primary container on port ${ctx.topology.postgres.primaryPort}`);
    try {
      started.primary = await member(CONTAINER_IMAGES.postgres, daemon)
        .withEnvironment({ POSTGRES_PASSWORD: superuserPassword, PGPORT: String(ctx.topology.postgres.primaryPort) })
        .withCopyContentToContainer([{ content: CONTAINER_PG_HBA, target: HBA_FILE, mode: 0o644 }])
        .withCommand(["postgres", ...serverSettings("primary")])
        // Once for the entrypoint's socket-only server that runs initdb's scripts, once for the real one.
        .withWaitStrategy(tc.Wait.forLogMessage(/database system is ready to accept connections/, 2))
        .withStartupTimeout(180_000)
        .start();
    } catch (error) {
      throw containerError(ctx, COMPONENT, daemon, error);
    }
  }

  async function startReplica(ctx: ComponentContext): Promise<void> {
    const { tc, member } = await session.pod(ctx);
    const daemon = POSTGRES_DAEMONS.replica;
    ctx.say(
      `postgres: starting the replica container (pg_basebackup of the primary) on port ${ctx.topology.postgres.replicaPort}`,
    );
    try {
      started.replica = await member(CONTAINER_IMAGES.postgres, daemon)
        .withEnvironment({ PGPASSWORD: superuserPassword, PGPORT: String(ctx.topology.postgres.replicaPort) })
        .withCopyContentToContainer([{ content: CONTAINER_PG_HBA, target: HBA_FILE, mode: 0o644 }])
        .withEntrypoint(["bash", "-c"])
        .withCommand([replicaScript(ctx.topology)])
        .withWaitStrategy(tc.Wait.forLogMessage(/database system is ready to accept read-only connections/))
        .withStartupTimeout(180_000)
        .start();
    } catch (error) {
      throw containerError(ctx, COMPONENT, daemon, error);
    }
  }

  return {
    name: COMPONENT,

    adminConfig: () => admin,

    async install(ctx) {
      await pullImages([CONTAINER_IMAGES.postgres], ctx.say);
    },

    // Each step asks before it acts, as the local component does: a start that failed half-way completes on the next.
    async start(ctx) {
      if (started.primary === undefined) await startPrimary(ctx);
      await ready(ctx, POSTGRES_DAEMONS.primary, "the Postgres primary to accept connections", () =>
        inRecovery(ctx, "primary"),
      );
      admin = configFor(ctx.topology, "primary");
      await bootstrapPrimary(admin, ctx.topology, ctx.say, { replicationSlot: ctx.topology.postgres.replicationSlot });
      if (started.replica === undefined) await startReplica(ctx);
      await ready(ctx, POSTGRES_DAEMONS.replica, "the Postgres replica to accept connections", () =>
        inRecovery(ctx, "replica"),
      );
      await ready(ctx, POSTGRES_DAEMONS.replica, "the replica to stream from the primary", async () =>
        (await replicationState(ctx))?.state === "streaming" ? true : undefined,
      );
    },

    async status(ctx) {
      const { primaryPort, replicaPort } = ctx.topology.postgres;
      const primary = started.primary;
      const replica = started.replica;
      if (primary === undefined) {
        return [
          {
            name: POSTGRES_DAEMONS.primary,
            up: false,
            port: primaryPort,
            detail: "no container started by this process",
          },
          {
            name: POSTGRES_DAEMONS.replica,
            up: false,
            port: replicaPort,
            detail: "no container started by this process",
          },
        ];
      }
      const lines: StatusLine[] = [];
      let replication: ReplicationState | undefined;
      try {
        replication = await replicationState(ctx);
        lines.push({
          name: POSTGRES_DAEMONS.primary,
          up: true,
          port: primaryPort,
          detail: `container ${shortId(primary)}, primary`,
        });
      } catch (error) {
        lines.push({
          name: POSTGRES_DAEMONS.primary,
          up: false,
          port: primaryPort,
          detail: `container ${shortId(primary)} not answering: ${(error as Error).message}`,
        });
      }
      if (replica === undefined) {
        lines.push({
          name: POSTGRES_DAEMONS.replica,
          up: false,
          port: replicaPort,
          detail: "no container started yet",
        });
      } else {
        const streaming = replication?.state === "streaming";
        lines.push({
          name: POSTGRES_DAEMONS.replica,
          up: streaming,
          port: replicaPort,
          detail: streaming
            ? `container ${shortId(replica)}, hot standby, streaming; replay ${replication?.bytesBehind} bytes behind the primary's WAL`
            : `container ${shortId(replica)}, not streaming (walsender state: ${replication?.state ?? "none"})`,
        });
      }
      return lines;
    },

    // Removed by testcontainers' reaper when the process that started them exits: nothing for `down` to stop.
    daemons: () => [],
  };
}
