import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { COMPOSE_ENVOY_MOUNTS, composeTopology } from "@kurt/gateway";
import type { PostgresMember, Topology } from "@kurt/topology";
import { stringify } from "yaml";
import { renderPatroniConfig } from "../components/patroni-config.js";
import { renderPostgresRouterConfig } from "../components/postgres-router-config.js";

/**
 * compose.yaml's Postgres (ADR 24): the launcher's Patroni cluster and
 * Postgres router (ADR 23) in containers. Both configurations are the
 * launcher's own renderings for the default topology, changed only where a
 * container network differs: each member is a container named as the
 * topology names it (postgres-1..3) with Postgres and Patroni's REST API on
 * their usual ports (its socket in the usual folder), three etcd members
 * instead of one, listeners on every interface, any address of the project's
 * network allowed in pg_hba (still with a scram password), and the passwords
 * left to each member's environment. compose.yaml carries the Patroni settings as a config
 * (`configs: patroni`, content), which its test compares with what
 * renderComposePatroniConfig gives now; the router's Envoy configuration is
 * a file beside the gateway's (envoy/compose/postgres-router.yaml, ADR 8),
 * written by `npm run generate` and checked by its --check and by that test.
 */

type Loose = Record<string, unknown>;

export const COMPOSE_PATRONI = {
  /** Inside every member's container: the usual ports of Postgres and of Patroni's REST API. */
  postgresPort: 5432,
  restPort: 8008,
  /** etcd's members by compose name, on etcd's usual client and peer ports. */
  etcdMembers: ["etcd-1", "etcd-2", "etcd-3"],
  etcdClientPort: 2379,
  etcdPeerPort: 2380,
  /**
   * The member's volume. The data folder is one level down: Patroni removes and
   * re-creates it when it re-clones a member, which it cannot do to a mount point.
   */
  volume: "/var/lib/postgresql/data",
  dataDir: "/var/lib/postgresql/data/pgdata",
  pgpass: "/var/lib/postgresql/pgpass",
  /**
   * Never the data folder: pg_rewind cannot copy a socket, and a clone (pg_basebackup)
   * would copy the leader's `.s.PGSQL.5432.lock`, which names a pid that may well be
   * alive in the new member's own container (all members listen on 5432), so that its
   * Postgres would refuse to start. The image makes it, owned by postgres.
   */
  socketDir: "/var/run/postgresql",
  /** Where compose.yaml mounts the `patroni` config in the Dockerfile's `patroni` image. */
  configFile: "/etc/patroni/patroni.yml",
} as const;

export const COMPOSE_POSTGRES_ROUTER = {
  service: "postgres-router",
  /** The generated file, in the gateway's folder (COMPOSE_ENVOY_DIR), which compose mounts at COMPOSE_ENVOY_MOUNTS.configDir. */
  file: "postgres-router.yaml",
  configFile: path.posix.join(COMPOSE_ENVOY_MOUNTS.configDir, "postgres-router.yaml"),
  /** Compose's embedded DNS gives a re-created member's new address; asked as often as the health checks run. */
  dnsRefreshRate: "1s",
} as const;

const EVERY_INTERFACE = "0.0.0.0";

function firstMember(topology: Topology): PostgresMember {
  const [member] = topology.postgres.members;
  if (member === undefined) throw new Error("the topology has no Postgres member");
  return member;
}

interface PatroniPostgresql extends Loose {
  readonly authentication: Record<string, { readonly username: string }>;
  readonly pg_hba: readonly string[];
}

/**
 * The Patroni settings every compose member reads (configs: patroni). What
 * differs per member, its name and the addresses others reach it by, is in
 * its environment (composePatroniMemberEnvironment), and so are the
 * superuser's and the replication role's passwords (PATRONI_SUPERUSER_PASSWORD,
 * PATRONI_REPLICATION_PASSWORD, from .env), which Patroni merges into these.
 */
export function renderComposePatroniConfig(topology: Topology = composeTopology()): Loose {
  const { dataDir, pgpass, socketDir, restPort, postgresPort, etcdMembers, etcdClientPort } = COMPOSE_PATRONI;
  const rendered = renderPatroniConfig(
    topology,
    firstMember(topology),
    { dataDir, pgpass, socketDir },
    { superuser: "", replication: "" },
  );
  const { name: _perMember, ...shared } = rendered;
  const { connect_address: _perMemberAddress, ...postgresql } = rendered.postgresql as PatroniPostgresql;
  const hostOnly = ` ${topology.host}/32 `;
  const hba = postgresql.pg_hba.map((line) => {
    if (!line.startsWith("host")) return line;
    if (!line.includes(hostOnly)) throw new Error(`pg_hba line ${JSON.stringify(line)} has no ${hostOnly.trim()}`);
    // Containers reach each other from the project network's addresses, not from loopback.
    return line.replace(hostOnly, " all ");
  });
  return {
    ...shared,
    restapi: { listen: `${EVERY_INTERFACE}:${restPort}` },
    etcd3: { hosts: etcdMembers.map((member) => `${member}:${etcdClientPort}`).join(",") },
    postgresql: {
      ...postgresql,
      listen: `${EVERY_INTERFACE}:${postgresPort}`,
      authentication: Object.fromEntries(
        Object.entries(postgresql.authentication).map(([role, { username }]) => [role, { username }]),
      ),
      pg_hba: hba,
    },
  };
}

/** What differs between compose's members: Patroni's name and the addresses the others reach it by. */
export function composePatroniMemberEnvironment(member: PostgresMember): Record<string, string> {
  return {
    PATRONI_NAME: member.name,
    PATRONI_RESTAPI_CONNECT_ADDRESS: `${member.name}:${COMPOSE_PATRONI.restPort}`,
    PATRONI_POSTGRESQL_CONNECT_ADDRESS: `${member.name}:${COMPOSE_PATRONI.postgresPort}`,
  };
}

interface RouterCluster extends Loose {
  load_assignment?: {
    endpoints: Array<{ lb_endpoints: Array<{ endpoint: { address: { socket_address: { address: string } } } }> }>;
  };
}

/**
 * The Postgres router's Envoy configuration in compose
 * (envoy/compose/postgres-router.yaml): renderPostgresRouterConfig for the default topology's
 * router ports, listening on every interface, each member found by its
 * compose name on the members' container ports.
 */
export function renderComposePostgresRouterConfig(topology: Topology = composeTopology()): Loose {
  const { postgresPort, restPort } = COMPOSE_PATRONI;
  const members = topology.postgres.members;
  const inContainers: Topology = {
    ...topology,
    host: EVERY_INTERFACE,
    postgres: { ...topology.postgres, members: members.map((m) => ({ ...m, port: postgresPort, restPort })) },
  };
  const config = structuredClone(renderPostgresRouterConfig(inContainers)) as {
    static_resources: { clusters: RouterCluster[] };
  } & Loose;
  config.static_resources.clusters = config.static_resources.clusters.map((cluster) => {
    const endpoints = cluster.load_assignment?.endpoints.flatMap((e) => e.lb_endpoints);
    if (endpoints === undefined) return cluster;
    if (endpoints.length !== members.length)
      throw new Error(`router cluster ${String(cluster.name)} does not list one endpoint per member`);
    endpoints.forEach((lb, i) => {
      lb.endpoint.address.socket_address.address = (members[i] as PostgresMember).name;
    });
    return {
      ...cluster,
      type: "STRICT_DNS",
      dns_lookup_family: "V4_ONLY",
      dns_refresh_rate: COMPOSE_POSTGRES_ROUTER.dnsRefreshRate,
    };
  });
  return config;
}

/** Writes postgres-router.yaml into `outDir` (envoy/compose, or a scratch folder for --check); returns its path. */
export function writeComposePostgresRouterConfig(outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, COMPOSE_POSTGRES_ROUTER.file);
  const header =
    "# Generated by tools/kurt/src/containers/compose-postgres.ts (renderPostgresRouterConfig) from the topology; do not edit.\n";
  writeFileSync(
    file,
    header + stringify(renderComposePostgresRouterConfig(), { aliasDuplicateObjects: false, lineWidth: 0 }),
  );
  return file;
}
