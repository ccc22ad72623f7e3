import type { Topology } from "@kurt/topology";
import { waitFor } from "../wait.js";
import type { ComponentContext } from "./component.js";
import { findLeader, isRunning, readClusterState, requestSwitchover } from "./patroni-rest.js";
import { withPgClient } from "./postgres-connection.js";
import { routerHealth } from "./postgres-router.js";
import { ROUTER_CLUSTERS } from "./postgres-router-config.js";

/**
 * `./kurt switchover [--to MEMBER]`: hands the leadership to another member
 * with no failed request. PgBouncer first pauses the leader's database (it
 * lets the transactions in flight finish, closes its server connections and
 * holds new transactions in its queue), Patroni then switches over, and once
 * the Postgres router sees the new leader PgBouncer resumes: the held
 * transactions run there, a few seconds late but not failed.
 */

export interface SwitchoverResult {
  readonly from: string;
  readonly to: string;
  /** From PAUSE to RESUME: how long writes were held. */
  readonly heldMs: number;
}

/** `[--to MEMBER]`, or a message naming what is wrong. */
export function parseSwitchoverArgs(args: readonly string[]): { to?: string } | string {
  if (args.length === 0) return {};
  if (args[0] === "--to" && args.length === 2 && args[1] !== undefined && !args[1].startsWith("-"))
    return { to: args[1] };
  const equals = args.length === 1 ? /^--to=(.+)$/.exec(args[0] ?? "") : null;
  if (equals?.[1] !== undefined) return { to: equals[1] };
  return `unexpected arguments: ${args.map((a) => JSON.stringify(a)).join(" ")}`;
}

function pgbouncerAdmin(topology: Topology): string {
  const { user, password } = topology.postgres;
  // PgBouncer's admin console is the virtual database "pgbouncer"; the app user is its admin_users.
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${topology.host}:${topology.pgbouncer.port}/pgbouncer`;
}

/** Checks the request against the cluster as it is; throws a message that says what is wrong. */
async function chooseMembers(topology: Topology, to: string | undefined): Promise<{ from: string; to?: string }> {
  const names = topology.postgres.members.map((m) => m.name);
  if (to !== undefined && !names.includes(to)) {
    throw new Error(`--to ${JSON.stringify(to)}: not a member; the members are ${names.join(", ")}`);
  }
  const members = await readClusterState(topology);
  if (members === undefined) throw new Error("no Patroni member answers; is Postgres up? (./kurt status)");
  const leader = members.find((m) => m.role === "leader");
  if (leader === undefined) throw new Error("the cluster has no leader right now; nothing to switch over");
  if (to === leader.name) throw new Error(`${to} already leads the cluster`);
  const sync = members.find((m) => m.role === "sync_standby");
  if (sync === undefined || !isRunning(sync)) {
    throw new Error(`no running synchronous standby to hand over to: ${JSON.stringify(members)}`);
  }
  // In synchronous mode only the synchronous standby is sure to hold every acknowledged commit, so Patroni
  // hands over to it alone; say so before anything is paused.
  if (to !== undefined && to !== sync.name) {
    throw new Error(
      `${to} is not the synchronous standby (${sync.name} is): only it has every acknowledged commit, so Patroni hands over to it alone`,
    );
  }
  const target = sync;
  return { from: leader.name, to: target.name };
}

export async function switchover(ctx: ComponentContext, to: string | undefined): Promise<SwitchoverResult> {
  const { topology } = ctx;
  const chosen = await chooseMembers(topology, to);
  const leader = topology.postgres.members.find((m) => m.name === chosen.from);
  const candidate = topology.postgres.members.find((m) => m.name === chosen.to);
  if (leader === undefined || candidate === undefined) throw new Error("the cluster names a member the topology lacks");
  const database = topology.pgbouncer.primaryDatabase;
  return withPgClient(pgbouncerAdmin(topology), async (admin) => {
    const pausedAt = Date.now();
    ctx.say(`switchover: pausing PgBouncer's ${database} (transactions in flight finish, new ones wait)`);
    await admin.query(`PAUSE ${database}`);
    try {
      ctx.say(`switchover: ${leader.name} hands over to ${candidate.name}`);
      ctx.say(`switchover: Patroni: ${await requestSwitchover(topology, leader, candidate.name)}`);
      const address = `${topology.host}:${candidate.port}`;
      await waitFor(
        `the Postgres router to send writes to ${candidate.name} alone`,
        async () => {
          const [current, health] = await Promise.all([findLeader(topology), routerHealth(ctx)]);
          const leaders = health?.[ROUTER_CLUSTERS.leader] ?? [];
          return current?.name === candidate.name && leaders.length === 1 && leaders[0] === address ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
    } finally {
      await admin.query(`RESUME ${database}`);
    }
    const heldMs = Date.now() - pausedAt;
    ctx.say(`switchover: ${candidate.name} leads; writes were held ${heldMs} ms and resumed`);
    return { from: leader.name, to: candidate.name, heldMs };
  });
}
