import type { PostgresMember, Topology } from "@kurt/topology";
import type { ClientConfig } from "pg";
import pg from "pg";
import type { Paths } from "../paths.js";
import { type PostgresLayout, readPostgresLayout } from "./postgres-layout.js";

/**
 * How everything else reaches the local Postgres: the app user over TCP
 * (scram password) through the Postgres router, which follows the Patroni
 * leader, or the superuser over a member's Unix socket in its Patroni
 * folder, which only root and the postgres user can reach.
 */

export type PostgresNode = "primary" | "replica";

export const POSTGRES_SUPERUSER = "postgres";

function url(topology: Topology, port: number, database: string): string {
  const { user, password } = topology.postgres;
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${topology.host}:${port}/${encodeURIComponent(database)}`;
}

/** The app user to one member directly, whatever its role (tests that must reach every standby). */
export function memberConnectionString(topology: Topology, member: PostgresMember): string {
  return url(topology, member.port, topology.postgres.database);
}

/** The app user to the leader through the router, not PgBouncer (migrations, session-level work). */
export function primaryConnectionString(topology: Topology): string {
  return url(topology, topology.postgres.primaryPort, topology.postgres.database);
}

/** The app user to a streaming replica through the router (read-only; the async replica first). */
export function replicaConnectionString(topology: Topology): string {
  return url(topology, topology.postgres.replicaPort, topology.postgres.database);
}

/**
 * The app user through PgBouncer (transaction pooling): never use named
 * prepared statements (`name:` in node-postgres) on these connections.
 */
export function pgbouncerConnectionString(topology: Topology, which: PostgresNode): string {
  const { port, primaryDatabase, replicaDatabase } = topology.pgbouncer;
  return url(topology, port, which === "primary" ? primaryDatabase : replicaDatabase);
}

export function nodePort(topology: Topology, which: PostgresNode): number {
  return which === "primary" ? topology.postgres.primaryPort : topology.postgres.replicaPort;
}

/** The superuser over a Patroni member's Unix socket (in its Patroni folder): for the launcher and for tests. */
export function memberAdminConfig(layout: PostgresLayout, member: PostgresMember): ClientConfig {
  return {
    host: layout.socketDir(member.name),
    port: member.port,
    user: POSTGRES_SUPERUSER,
    database: "postgres",
    connectionTimeoutMillis: 5_000,
  };
}

/** memberAdminConfig for a started stack, found through its state dir. */
export function postgresAdminConfig(paths: Paths, member: PostgresMember): ClientConfig {
  const layout = readPostgresLayout(paths);
  if (layout === undefined) throw new Error(`no Postgres has been started from ${paths.stateDir}`);
  return memberAdminConfig(layout, member);
}

/** Opens one client, runs `use`, and always closes it. */
export async function withPgClient<T>(
  config: ClientConfig | string,
  use: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client(
    typeof config === "string" ? { connectionString: config, connectionTimeoutMillis: 5_000 } : config,
  );
  // A server that goes away mid-probe emits 'error'; the pending query rejects anyway.
  client.on("error", () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}
