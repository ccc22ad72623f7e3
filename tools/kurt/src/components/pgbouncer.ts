import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { Topology } from "@kurt/topology";
import { ensureDebianPackages } from "../debian-packages.js";
import { type Component, type ComponentContext, ComponentError } from "./component.js";
import { findLeader } from "./patroni-rest.js";
import { type PgBouncerFiles, renderPgBouncerFiles } from "./pgbouncer-config.js";
import { memberAdminConfig, pgbouncerConnectionString, withPgClient } from "./postgres-connection.js";
import { readPostgresLayout } from "./postgres-layout.js";
import { type PostgresRunAs, postgresRunAs, runAsOptions } from "./postgres-user.js";
import { waitForDaemon } from "./postgres-wait.js";

/** PgBouncer in transaction mode in front of the Postgres router's leader and read listeners. */

const COMPONENT = "pgbouncer";
/** PgBouncer's admin console RECONNECT: each server connection of `database` is closed once released and made anew. */
async function reconnectPool(topology: Topology, database: string): Promise<void> {
  const adminUrl = new URL(pgbouncerConnectionString(topology, "primary"));
  adminUrl.pathname = "/pgbouncer";
  // The admin console speaks only the simple query protocol: no parameters.
  await withPgClient(adminUrl.toString(), (client) => client.query(`RECONNECT ${database}`)).catch(() => {});
}

export const PGBOUNCER_DAEMON = "pgbouncer";
const PGBOUNCER_BIN = "/usr/sbin/pgbouncer";

async function scramSecret(ctx: ComponentContext): Promise<string> {
  const layout = readPostgresLayout(ctx.paths);
  const leader = await findLeader(ctx.topology);
  if (layout === undefined || leader === undefined) {
    throw new ComponentError(COMPONENT, "no Postgres leader is running; start postgres first");
  }
  const { user } = ctx.topology.postgres;
  const secret = await withPgClient(memberAdminConfig(layout, leader), async (admin) => {
    const { rows } = await admin.query<{ secret: string | null }>(
      "select rolpassword as secret from pg_authid where rolname = $1",
      [user],
    );
    return rows[0]?.secret;
  });
  if (!secret?.startsWith("SCRAM-SHA-256$")) {
    throw new ComponentError(COMPONENT, `role ${user} has no scram-sha-256 password on the primary`);
  }
  return secret;
}

/** Writes a file owned by the postgres user, readable by it alone; true when the content changed. */
function writePrivate(file: string, content: string, runAs: PostgresRunAs | undefined): boolean {
  if (existsSync(file) && readFileSync(file, "utf8") === content) return false;
  writeFileSync(file, content, { mode: 0o600 });
  if (runAs !== undefined) chownSync(file, runAs.uid, runAs.gid);
  return true;
}

function writeFiles(dir: string, files: PgBouncerFiles, runAs: PostgresRunAs | undefined): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs !== undefined) chownSync(dir, runAs.uid, runAs.gid);
  const iniChanged = writePrivate(files.iniFile, files.ini, runAs);
  const userlistChanged = writePrivate(files.authFile, files.userlist, runAs);
  return iniChanged || userlistChanged;
}

type PoolCounter = "cl_active" | "cl_waiting" | "sv_active" | "sv_idle" | "sv_used" | "sv_tested" | "sv_login";
type PoolRow = { readonly database: string } & Readonly<Record<PoolCounter, number | string>>;

export function createPgBouncerComponent(): Component {
  return {
    name: COMPONENT,

    async install(ctx) {
      await ensureDebianPackages(ctx.say, [{ program: PGBOUNCER_BIN, pkg: "pgbouncer" }]);
    },

    async start(ctx) {
      const runAs = postgresRunAs();
      const layout = readPostgresLayout(ctx.paths);
      if (layout === undefined) throw new ComponentError(COMPONENT, "Postgres has no data yet; start postgres first");
      const files = renderPgBouncerFiles(layout.pgbouncerDir, ctx.topology, await scramSecret(ctx));
      const changed = writeFiles(layout.pgbouncerDir, files, runAs);
      if (changed && ctx.supervisor.pidOf(PGBOUNCER_DAEMON) !== undefined) {
        // A new port or secret needs a fresh process; PgBouncer restarts in milliseconds.
        ctx.say("pgbouncer: configuration changed, restarting");
        await ctx.supervisor.stop(PGBOUNCER_DAEMON);
      }
      if (ctx.supervisor.pidOf(PGBOUNCER_DAEMON) === undefined) {
        ctx.say(`pgbouncer: starting on port ${ctx.topology.pgbouncer.port}`);
        await ctx.supervisor.start({
          name: PGBOUNCER_DAEMON,
          command: PGBOUNCER_BIN,
          // Not daemonised (-d) so that the supervisor holds PgBouncer's own pid.
          args: [files.iniFile],
          cwd: layout.pgbouncerDir,
          ...runAsOptions(runAs),
          // SIGTERM is PgBouncer 1.18's immediate shutdown; SIGINT would wait for every client to leave.
          stopSignal: "SIGTERM",
        });
      }
      for (const which of ["primary", "replica"] as const) {
        await waitForDaemon(ctx, COMPONENT, PGBOUNCER_DAEMON, `a query through PgBouncer to the ${which}`, () =>
          withPgClient(pgbouncerConnectionString(ctx.topology, which), async (client) => {
            const { rows } = await client.query<{ recovering: boolean }>("select pg_is_in_recovery() as recovering");
            if (rows[0]?.recovering !== (which === "replica")) {
              // Reads fell back to the leader while no replica was healthy, and the pool kept those server
              // connections: have PgBouncer replace them (they go through the router again), then check again.
              if (which === "replica") await reconnectPool(ctx.topology, ctx.topology.pgbouncer.replicaDatabase);
              throw new Error(`${which} database name is routed to the wrong Postgres node`);
            }
            return true;
          }),
        );
      }
    },

    async status(ctx) {
      const pid = ctx.supervisor.pidOf(PGBOUNCER_DAEMON);
      const { port, primaryDatabase, replicaDatabase } = ctx.topology.pgbouncer;
      const routes = `${primaryDatabase}→primary, ${replicaDatabase}→replica, transaction pooling`;
      if (pid === undefined) return [{ name: PGBOUNCER_DAEMON, up: false, port, detail: "stopped" }];
      try {
        const adminUrl = new URL(pgbouncerConnectionString(ctx.topology, "primary"));
        adminUrl.pathname = "/pgbouncer";
        // The admin console speaks only the simple query protocol: no parameters.
        const pools = await withPgClient(adminUrl.toString(), async (client) => {
          const { rows } = await client.query<PoolRow>("show pools");
          return rows.filter((row) => row.database !== "pgbouncer");
        });
        // Counters may arrive as strings (bigint columns): add them as numbers.
        const sum = (fields: readonly PoolCounter[]) =>
          pools.reduce((total, row) => total + fields.reduce((subtotal, field) => subtotal + Number(row[field]), 0), 0);
        const clients = sum(["cl_active", "cl_waiting"]);
        const servers = sum(["sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login"]);
        return [
          {
            name: PGBOUNCER_DAEMON,
            up: true,
            port,
            pid,
            detail: `${routes}; ${clients} clients, ${servers} server connections`,
          },
        ];
      } catch (error) {
        return [
          {
            name: PGBOUNCER_DAEMON,
            up: false,
            port,
            pid,
            detail: `running but not answering: ${(error as Error).message}`,
          },
        ];
      }
    },

    daemons() {
      return [PGBOUNCER_DAEMON];
    },
  };
}
