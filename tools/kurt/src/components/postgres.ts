import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PostgresMember } from "@kurt/topology";
import { stringify } from "yaml";
import { ensureDebianPackages } from "../debian-packages.js";
import { ensureSecretFile } from "../secret-file.js";
import type { Component, ComponentContext, StatusLine } from "./component.js";
import { type PatroniSecrets, renderPatroniConfig, renderPatroniDynamicConfig } from "./patroni-config.js";
import {
  findLeader,
  isRunning,
  type PatroniMemberState,
  patchDynamicConfig,
  readClusterState,
  readHealthyCluster,
} from "./patroni-rest.js";
import { bootstrapPrimary } from "./postgres-bootstrap.js";
import { POSTGRES_BIN } from "./postgres-cluster.js";
import { memberAdminConfig, withPgClient } from "./postgres-connection.js";
import { type PostgresLayout, preparePostgresLayout, readPostgresLayout } from "./postgres-layout.js";
import { ensurePostgresRouter, postgresRouterStatus, ROUTER_DAEMON } from "./postgres-router.js";
import { type PostgresRunAs, postgresRunAs, runAsOptions } from "./postgres-user.js";
import { waitForDaemon } from "./postgres-wait.js";

/**
 * Postgres 15 as a Patroni cluster (ADR 22): three members, each a Patroni
 * process (a supervisor daemon) that runs its own Postgres. Patroni elects
 * the leader through etcd, keeps one member a synchronous standby (a commit
 * is acknowledged once it is on two machines) and the other a streaming
 * replica, promotes a standby when the leader fails, and rejoins a failed
 * leader as a standby (pg_rewind). Clients reach the leader and the replica
 * through the Postgres router (postgres-router.ts), never a member directly.
 */

const COMPONENT = "postgres";
const PATRONI_BIN = "/usr/bin/patroni";

export { postgresDataDirs } from "./postgres-layout.js";

export interface ReplicationState {
  readonly state: string | null;
  readonly bytesBehind: string | null;
  readonly replayLagMs: number | null;
}

/** The standby furthest behind, as the leader sees it. */
const REPLICATION_STATE = `
  select state,
         pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint::text as "bytesBehind",
         (extract(epoch from replay_lag) * 1000)::float8 as "replayLagMs"
    from pg_stat_replication
   order by pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) desc nulls first
   limit 1`;

/** The replication of the standby furthest behind; throws when there is no leader answering. */
export async function readReplicationState(ctx: ComponentContext): Promise<ReplicationState | undefined> {
  const layout = readPostgresLayout(ctx.paths);
  const leader = await findLeader(ctx.topology);
  if (layout === undefined || leader === undefined) throw new Error("no Postgres leader is running");
  return withPgClient(memberAdminConfig(layout, leader), async (client) => {
    const result = await client.query<ReplicationState>(REPLICATION_STATE);
    return result.rows[0];
  });
}

/** The passwords of Patroni's superuser and replication roles, one file each in the state folder (mode 0600). */
function patroniSecrets(ctx: ComponentContext): PatroniSecrets {
  return {
    superuser: ensureSecretFile(path.join(ctx.paths.stateDir, "postgres-superuser-password")),
    replication: ensureSecretFile(path.join(ctx.paths.stateDir, "postgres-replication-password")),
  };
}

/** Writes a file only the postgres user reads (it holds passwords); true when the content changed. */
function writeMemberFile(file: string, content: string, runAs: PostgresRunAs | undefined): boolean {
  if (existsSync(file) && readFileSync(file, "utf8") === content) return false;
  writeFileSync(file, content, { mode: 0o600 });
  if (runAs !== undefined) chownSync(file, runAs.uid, runAs.gid);
  return true;
}

function ensureOwnedDir(dir: string, runAs: PostgresRunAs | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs !== undefined) chownSync(dir, runAs.uid, runAs.gid);
}

async function startMember(
  ctx: ComponentContext,
  layout: PostgresLayout,
  runAs: PostgresRunAs | undefined,
  member: PostgresMember,
  secrets: PatroniSecrets,
): Promise<void> {
  const home = layout.patroniDir(member.name);
  ensureOwnedDir(home, runAs);
  const config = renderPatroniConfig(
    ctx.topology,
    member,
    {
      dataDir: layout.memberDir(member.name),
      pgpass: path.join(home, "pgpass"),
      socketDir: layout.socketDir(member.name),
    },
    secrets,
  );
  const file = path.join(home, "patroni.yml");
  const changed = writeMemberFile(file, stringify(config), runAs);
  if (changed && ctx.supervisor.pidOf(member.name) !== undefined) {
    ctx.say(`postgres: ${member.name}'s settings changed, restarting its Patroni`);
    await ctx.supervisor.stop(member.name);
  }
  if (ctx.supervisor.pidOf(member.name) !== undefined) return;
  ctx.say(`postgres: starting Patroni member ${member.name} (Postgres on ${member.port}, REST on ${member.restPort})`);
  const as = runAsOptions(runAs);
  await ctx.supervisor.start({
    name: member.name,
    command: PATRONI_BIN,
    args: [file],
    cwd: home,
    uid: as.uid,
    gid: as.gid,
    // Patroni finds pg_ctl & co. through bin_dir; HOME is its own folder, never root's.
    env: { HOME: home, PATH: `${POSTGRES_BIN}:/usr/bin:/bin` },
  });
}

/** One line per member for waiting and for status: "leader, running, timeline 2". */
function describeMember(state: PatroniMemberState | undefined): string {
  if (state === undefined) return "not in the cluster";
  const lag = state.lag === undefined || state.role === "leader" ? "" : `, lag ${state.lag} bytes`;
  const timeline = state.timeline === undefined ? "" : `, timeline ${state.timeline}`;
  return `${state.role.replace("_", " ")}, ${state.state}${timeline}${lag}`;
}

export function createPostgresComponent(): Component {
  return {
    name: COMPONENT,

    async install(ctx) {
      await ensureDebianPackages(ctx.say, [
        { program: path.join(POSTGRES_BIN, "postgres"), pkg: "postgresql-15" },
        { program: path.join(POSTGRES_BIN, "pg_basebackup"), pkg: "postgresql-client-15" },
        { program: PATRONI_BIN, pkg: "patroni" },
      ]);
      postgresRunAs();
    },

    async start(ctx) {
      const runAs = postgresRunAs();
      const layout = await preparePostgresLayout(ctx.paths, runAs, ctx.say);
      const secrets = patroniSecrets(ctx);
      for (const member of ctx.topology.postgres.members) await startMember(ctx, layout, runAs, member, secrets);
      const [first] = ctx.topology.postgres.members;
      const members = await waitForDaemon(
        ctx,
        COMPONENT,
        first?.name ?? "postgres-1",
        "the Patroni cluster: a leader, a synchronous standby and a replica, all running",
        () => readHealthyCluster(ctx.topology),
        240_000,
      );
      ctx.say(`postgres: ${members.map((m) => `${m.name} ${describeMember(m)}`).join("; ")}`);
      await ensurePostgresRouter(ctx);
      const leader = await findLeader(ctx.topology);
      if (leader === undefined)
        throw new Error("the Patroni cluster lost its leader while starting; run ./kurt up again");
      // The shared settings reach a cluster bootstrapped by an earlier rendering too.
      await patchDynamicConfig(ctx.topology, leader, renderPatroniDynamicConfig());
      await bootstrapPrimary(memberAdminConfig(layout, leader), ctx.topology, ctx.say);
    },

    async status(ctx) {
      const states = (await readClusterState(ctx.topology)) ?? [];
      const lines: StatusLine[] = ctx.topology.postgres.members.map((member) => {
        const pid = ctx.supervisor.pidOf(member.name);
        const state = states.find((s) => s.name === member.name);
        const up = pid !== undefined && state !== undefined && isRunning(state);
        const detail = pid === undefined ? "stopped" : describeMember(state);
        return { name: member.name, up, port: member.port, pid, detail };
      });
      return [...lines, ...(await postgresRouterStatus(ctx))];
    },

    daemons(ctx) {
      return [ROUTER_DAEMON, ...ctx.topology.postgres.members.map((m) => m.name)];
    },
  };
}
