/**
 * The one description of where every part of a local Kurt listens.
 * The launcher starts processes from it, gateway/ renders Envoy's
 * configuration from it, and the tests find the components through it.
 *
 * Every port is an offset from one base (KURT_PORT_BASE) so that a whole
 * installation moves at once, and the default base avoids the standard
 * ports (5432, 6379, 9092, 8080…) that the machine's own services may hold.
 */

export const SERVICE_NAMES = ["shortener", "resolver", "clicklog"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceTopology {
  readonly name: ServiceName;
  /** gRPC listener of each replica, in replica order. */
  readonly grpcPorts: readonly number[];
  /** Prometheus metrics listener of each replica, in replica order. */
  readonly metricsPorts: readonly number[];
  /** Plain HTTP listener of each replica, in replica order: the resolver's public redirects; empty for the others. */
  readonly httpPorts: readonly number[];
}

export interface PostgresMember {
  /** Patroni's member name, also its supervisor daemon's. */
  readonly name: string;
  /** The member's own Postgres port (clients use the router's ports instead). */
  readonly port: number;
  /** Patroni's REST API: GET /primary, /replica, /async answer 200 only in that role. */
  readonly restPort: number;
}

export interface Topology {
  readonly host: string;
  readonly portBase: number;
  readonly postgres: {
    /** The leader, whichever member holds it: the Postgres router's TCP listener (writes, migrations). */
    readonly primaryPort: number;
    /** A streaming replica for reads (the async one first, then any, then the leader): the router's other listener. */
    readonly replicaPort: number;
    readonly database: string;
    readonly user: string;
    readonly password: string;
    /** The slot of the single replica of the container backends (compose, testcontainers); Patroni names its own. */
    readonly replicationSlot: string;
    /** The Patroni cluster's name (its `scope`). */
    readonly cluster: string;
    /** The members, in order; Patroni elects the leader and the synchronous standby among them. */
    readonly members: readonly PostgresMember[];
    /** The Postgres router's (an Envoy) admin listener: health of each member as the router sees it. */
    readonly routerAdminPort: number;
  };
  /** Patroni's store: one etcd member locally (three in compose). */
  readonly etcd: {
    readonly clientPort: number;
    readonly peerPort: number;
  };
  readonly pgbouncer: {
    readonly port: number;
    /** Database name that PgBouncer routes to the primary. */
    readonly primaryDatabase: string;
    /** Database name that PgBouncer routes to the streaming replica. */
    readonly replicaDatabase: string;
  };
  readonly redis: {
    /** Six nodes: the cluster is created with one replica per master. */
    readonly ports: readonly number[];
    /** Cluster bus of each node, same order; set explicitly since Redis's default (port + 10000) would leave the base's range. */
    readonly busPorts: readonly number[];
    readonly clusterNodeTimeoutMs: number;
  };
  readonly kafka: {
    readonly brokerPort: number;
    readonly controllerPort: number;
  };
  readonly envoy: {
    /** Public HTTP: REST API and redirects. */
    readonly httpPort: number;
    /** Internal gRPC listener for clients inside the network. */
    readonly grpcPort: number;
    readonly adminPort: number;
  };
  readonly services: Readonly<Record<ServiceName, ServiceTopology>>;
}

const DEFAULT_PORT_BASE = 24000;
const DEFAULT_REPLICAS: Record<ServiceName, number> = { shortener: 2, resolver: 2, clicklog: 2 };
const MAX_REPLICAS = 9;

type Env = Readonly<Record<string, string | undefined>>;

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/**
 * What a service's plain HTTP listener answers for its health: 200 while
 * SERVING, 503 while starting or draining (Envoy's HTTP health checks ask it).
 */
export const HTTP_HEALTH_PATH = "/healthz";

/** Services that answer plain HTTP besides gRPC: the resolver serves the public redirects (docs/adr/0014). */
const HTTP_SERVICES: ReadonlySet<ServiceName> = new Set(["resolver"]);

function serviceTopology(name: ServiceName, base: number, offset: number, replicas: number): ServiceTopology {
  const indices = Array.from({ length: replicas }, (_, i) => i);
  return {
    name,
    grpcPorts: indices.map((i) => base + offset + i),
    metricsPorts: indices.map((i) => base + offset + 50 + i),
    httpPorts: HTTP_SERVICES.has(name) ? indices.map((i) => base + offset + 70 + i) : [],
  };
}

/** Reads KURT_PORT_BASE and KURT_<SERVICE>_REPLICAS; throws with the variable's name on a bad value. */
export function loadTopology(env: Env = process.env): Topology {
  const base = readInteger(env, "KURT_PORT_BASE", DEFAULT_PORT_BASE, 1024, 64000);
  const replicas = (name: ServiceName) =>
    readInteger(env, `KURT_${name.toUpperCase()}_REPLICAS`, DEFAULT_REPLICAS[name], 1, MAX_REPLICAS);
  return Object.freeze({
    host: "127.0.0.1",
    portBase: base,
    postgres: {
      primaryPort: base + 432,
      replicaPort: base + 433,
      database: "kurt",
      user: "kurt",
      password: "kurt-local-dev",
      replicationSlot: "kurt_replica_1",
      cluster: "kurt",
      members: [1, 2, 3].map((n) => ({ name: `postgres-${n}`, port: base + 433 + n, restPort: base + 443 + n })),
      routerAdminPort: base + 441,
    },
    etcd: { clientPort: base + 379, peerPort: base + 380 },
    pgbouncer: { port: base + 632, primaryDatabase: "kurt", replicaDatabase: "kurt_replica" },
    redis: {
      ports: [701, 702, 703, 704, 705, 706].map((p) => base + p),
      busPorts: [711, 712, 713, 714, 715, 716].map((p) => base + p),
      clusterNodeTimeoutMs: 2000,
    },
    kafka: { brokerPort: base + 92, controllerPort: base + 93 },
    envoy: { httpPort: base + 80, grpcPort: base + 81, adminPort: base + 90 },
    services: {
      shortener: serviceTopology("shortener", base, 100, replicas("shortener")),
      resolver: serviceTopology("resolver", base, 200, replicas("resolver")),
      clicklog: serviceTopology("clicklog", base, 300, replicas("clicklog")),
    },
  });
}

/** The cluster bus port the topology gives the Redis node on `port`. */
export function redisBusPort(topology: Topology, port: number): number {
  const bus = topology.redis.busPorts[topology.redis.ports.indexOf(port)];
  if (bus === undefined) throw new Error(`port ${port} is not a Redis node of the topology`);
  return bus;
}

/** Every port the topology uses, for checks that no two collide and none sits where the system hands out ports. */
export function allPorts(t: Topology): number[] {
  return [
    t.postgres.primaryPort,
    t.postgres.replicaPort,
    ...t.postgres.members.flatMap((m) => [m.port, m.restPort]),
    t.postgres.routerAdminPort,
    t.etcd.clientPort,
    t.etcd.peerPort,
    t.pgbouncer.port,
    ...t.redis.ports,
    ...t.redis.busPorts,
    t.kafka.brokerPort,
    t.kafka.controllerPort,
    t.envoy.httpPort,
    t.envoy.grpcPort,
    t.envoy.adminPort,
    ...Object.values(t.services).flatMap((s) => [...s.grpcPorts, ...s.metricsPorts, ...s.httpPorts]),
  ];
}
