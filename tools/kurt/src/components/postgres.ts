import path from "node:path";
import { ensureDebianPackages } from "../debian-packages.js";
import type { Component, ComponentContext, StatusLine } from "./component.js";
import { bootstrapPrimary } from "./postgres-bootstrap.js";
import { cloneReplica, initPrimary, isInitialised, POSTGRES_BIN, serverArgs } from "./postgres-cluster.js";
import { adminClientConfig, type PostgresNode, withPgClient } from "./postgres-connection.js";
import { type PostgresLayout, preparePostgresLayout, readPostgresLayout } from "./postgres-layout.js";
import { type PostgresRunAs, postgresRunAs, runAsOptions } from "./postgres-user.js";
import { waitForDaemon } from "./postgres-wait.js";

/**
 * Postgres 15: a primary and one streaming replica that follows it through a
 * physical replication slot, both run by the supervisor as the postgres user.
 */

const COMPONENT = "postgres";
export const POSTGRES_DAEMONS: Readonly<Record<PostgresNode, string>> = {
  primary: "postgres-primary",
  replica: "postgres-replica",
};

export { postgresDataDirs } from "./postgres-layout.js";

export interface ReplicationState {
  readonly state: string | null;
  readonly bytesBehind: string | null;
  readonly replayLagMs: number | null;
}

// Joined through the slot, so it is the walsender serving our replica and no other client.
const REPLICATION_STATE = `
  select r.state,
         pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::bigint::text as "bytesBehind",
         (extract(epoch from r.replay_lag) * 1000)::float8 as "replayLagMs"
    from pg_replication_slots s
    left join pg_stat_replication r on r.pid = s.active_pid
   where s.slot_name = $1`;

async function replicationState(ctx: ComponentContext, layout: PostgresLayout): Promise<ReplicationState | undefined> {
  return withPgClient(adminClientConfig(layout, ctx.topology, "primary"), async (client) => {
    const result = await client.query<ReplicationState>(REPLICATION_STATE, [ctx.topology.postgres.replicationSlot]);
    return result.rows[0];
  });
}

/** The replica's streaming state as the primary sees it; throws when the primary is not running or not answering. */
export async function readReplicationState(ctx: ComponentContext): Promise<ReplicationState | undefined> {
  const layout = readPostgresLayout(ctx.paths);
  if (layout === undefined || ctx.supervisor.pidOf(POSTGRES_DAEMONS.primary) === undefined)
    throw new Error("the Postgres primary is not running");
  return replicationState(ctx, layout);
}

async function startNode(
  ctx: ComponentContext,
  layout: PostgresLayout,
  runAs: PostgresRunAs | undefined,
  which: PostgresNode,
): Promise<void> {
  const daemon = POSTGRES_DAEMONS[which];
  if (ctx.supervisor.pidOf(daemon) === undefined) {
    ctx.say(
      `postgres: starting the ${which} on port ${which === "primary" ? ctx.topology.postgres.primaryPort : ctx.topology.postgres.replicaPort}`,
    );
    const as = runAsOptions(runAs);
    await ctx.supervisor.start({
      name: daemon,
      command: path.join(POSTGRES_BIN, "postgres"),
      args: serverArgs(layout, ctx.topology, which),
      cwd: which === "primary" ? layout.primaryDir : layout.replicaDir,
      ...as,
      // SIGINT is Postgres's fast shutdown: roll back sessions, checkpoint, exit.
      stopSignal: "SIGINT",
    });
  }
  await waitForDaemon(
    ctx,
    COMPONENT,
    daemon,
    `the Postgres ${which} to accept connections`,
    () =>
      withPgClient(adminClientConfig(layout, ctx.topology, which), async (client) => {
        const { rows } = await client.query<{ recovering: boolean }>("select pg_is_in_recovery() as recovering");
        // The replica is only useful as a hot standby; a promoted one needs `./kurt down --purge`.
        if (rows[0]?.recovering !== (which === "replica")) {
          throw new Error(`the ${which} answers but pg_is_in_recovery() is ${rows[0]?.recovering}`);
        }
        return true;
      }),
    120_000,
  );
}

export function createPostgresComponent(): Component {
  return {
    name: COMPONENT,

    async install(ctx) {
      await ensureDebianPackages(ctx.say, [
        { program: path.join(POSTGRES_BIN, "postgres"), pkg: "postgresql-15" },
        { program: path.join(POSTGRES_BIN, "pg_basebackup"), pkg: "postgresql-client-15" },
      ]);
      postgresRunAs();
    },

    async start(ctx) {
      const runAs = postgresRunAs();
      const layout = await preparePostgresLayout(ctx.paths, runAs, ctx.say);
      if (!isInitialised(layout, "primary")) {
        if (ctx.supervisor.pidOf(POSTGRES_DAEMONS.replica) !== undefined)
          await ctx.supervisor.stop(POSTGRES_DAEMONS.replica);
        ctx.say(`postgres: initdb in ${layout.primaryDir}`);
        await initPrimary(layout, runAs);
      }
      await startNode(ctx, layout, runAs, "primary");
      await bootstrapPrimary(adminClientConfig(layout, ctx.topology, "primary"), ctx.topology, ctx.say);
      if (!isInitialised(layout, "replica")) {
        await ctx.supervisor.stop(POSTGRES_DAEMONS.replica);
        ctx.say(`postgres: pg_basebackup of the primary into ${layout.replicaDir}`);
        await cloneReplica(layout, ctx.topology, runAs);
      }
      await startNode(ctx, layout, runAs, "replica");
      await waitForDaemon(
        ctx,
        COMPONENT,
        POSTGRES_DAEMONS.replica,
        "the replica to stream from the primary",
        async () => {
          const state = await replicationState(ctx, layout);
          return state?.state === "streaming" ? true : undefined;
        },
      );
    },

    async status(ctx) {
      const layout = readPostgresLayout(ctx.paths);
      const { primaryPort, replicaPort } = ctx.topology.postgres;
      const lines: StatusLine[] = [];
      const primaryPid = ctx.supervisor.pidOf(POSTGRES_DAEMONS.primary);
      const replicaPid = ctx.supervisor.pidOf(POSTGRES_DAEMONS.replica);
      let replication: ReplicationState | undefined;
      let primaryDetail = "stopped";
      let primaryUp = false;
      if (primaryPid !== undefined && layout !== undefined) {
        try {
          replication = await replicationState(ctx, layout);
          primaryUp = true;
          primaryDetail = `primary, data in ${layout.primaryDir}`;
        } catch (error) {
          primaryDetail = `running but not answering: ${(error as Error).message}`;
        }
      }
      lines.push({
        name: POSTGRES_DAEMONS.primary,
        up: primaryUp,
        port: primaryPort,
        pid: primaryPid,
        detail: primaryDetail,
      });

      let replicaDetail = "stopped";
      let replicaUp = false;
      if (replicaPid !== undefined) {
        if (replication?.state === "streaming") {
          replicaUp = true;
          const lag =
            replication.replayLagMs === null
              ? "idle, no recent replay to time"
              : `${replication.replayLagMs.toFixed(1)} ms`;
          replicaDetail = `hot standby, streaming; replay ${replication.bytesBehind} bytes behind the primary's WAL (replay_lag: ${lag})`;
        } else {
          replicaDetail = `running but not streaming (walsender state: ${replication?.state ?? "none"})`;
        }
      }
      lines.push({
        name: POSTGRES_DAEMONS.replica,
        up: replicaUp,
        port: replicaPort,
        pid: replicaPid,
        detail: replicaDetail,
      });
      return lines;
    },

    daemons() {
      return [POSTGRES_DAEMONS.replica, POSTGRES_DAEMONS.primary];
    },
  };
}
