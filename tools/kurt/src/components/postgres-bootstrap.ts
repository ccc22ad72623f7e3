import type { Topology } from "@kurt/topology";
import type { Client, ClientConfig } from "pg";
import { primaryConnectionString, withPgClient } from "./postgres-connection.js";

/**
 * Makes the app role, its database and (for the container backends, whose
 * replica follows a slot of its own; Patroni manages its members' slots)
 * the replication slot on the primary. Runs on every start and only creates
 * what is missing, so a start that was interrupted half-way completes on the
 * next one.
 */
export async function bootstrapPrimary(
  adminConfig: ClientConfig,
  topology: Topology,
  say: (line: string) => void,
  options: { readonly replicationSlot?: string } = {},
): Promise<void> {
  const { user, database } = topology.postgres;
  await withPgClient(adminConfig, async (admin) => {
    await createRoleAndDatabase(admin, topology, say);
    if (options.replicationSlot !== undefined) await ensureSlot(admin, options.replicationSlot);
    // Cluster-wide, so any database will do: lets tests read replication state.
    await admin.query(`grant pg_read_all_stats to ${admin.escapeIdentifier(user)}`);
  });
  // Function privileges live in each database's catalog, so this one is granted inside the app's.
  await withPgClient({ ...adminConfig, database }, async (admin) => {
    // Tests pause replay on the replica to check read-your-writes.
    await admin.query(
      `grant execute on function pg_wal_replay_pause(), pg_wal_replay_resume() to ${admin.escapeIdentifier(user)}`,
    );
  });
}

async function createRoleAndDatabase(admin: Client, topology: Topology, say: (line: string) => void): Promise<void> {
  const { user, password, database } = topology.postgres;
  const role = admin.escapeIdentifier(user);
  const roles = await admin.query("select 1 from pg_roles where rolname = $1", [user]);
  if (roles.rowCount === 0) {
    say(`postgres: creating role ${user}`);
    // password_encryption is scram-sha-256 by default in Postgres 15.
    await admin.query(`create role ${role} login password ${admin.escapeLiteral(password)}`);
  } else if (!(await passwordWorks(topology))) {
    say(`postgres: resetting the password of ${user} to the topology's`);
    await admin.query(`alter role ${role} login password ${admin.escapeLiteral(password)}`);
  }
  const databases = await admin.query("select 1 from pg_database where datname = $1", [database]);
  if (databases.rowCount === 0) {
    say(`postgres: creating database ${database}`);
    await admin.query(`create database ${admin.escapeIdentifier(database)} owner ${role}`);
  }
}

async function ensureSlot(admin: Client, replicationSlot: string): Promise<void> {
  const slots = await admin.query("select 1 from pg_replication_slots where slot_name = $1", [replicationSlot]);
  if (slots.rowCount === 0) {
    await admin.query("select pg_create_physical_replication_slot($1)", [replicationSlot]);
  }
}

async function passwordWorks(topology: Topology): Promise<boolean> {
  const url = new URL(primaryConnectionString(topology));
  url.pathname = "/postgres";
  try {
    await withPgClient(url.toString(), (client) => client.query("select 1"));
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "28P01") return false;
    throw error;
  }
}
