import type { Topology } from "@kurt/topology";

/**
 * Where the services find the infrastructure, as the environment variables
 * their composition roots read. Derived from the topology so that the
 * launcher and the tests agree without a second list of ports.
 */
export interface ServiceEnvironment {
  readonly KURT_PG_PRIMARY_URL: string;
  readonly KURT_PG_REPLICA_URL: string;
  readonly KURT_REDIS_NODES: string;
  readonly KURT_KAFKA_BROKERS: string;
  readonly KURT_PUBLIC_URL: string;
}

export function serviceEnvironment(topology: Topology): ServiceEnvironment {
  const { host, postgres, pgbouncer, redis, kafka, envoy } = topology;
  const credentials = `${encodeURIComponent(postgres.user)}:${encodeURIComponent(postgres.password)}`;
  return {
    KURT_PG_PRIMARY_URL: `postgres://${credentials}@${host}:${pgbouncer.port}/${pgbouncer.primaryDatabase}`,
    KURT_PG_REPLICA_URL: `postgres://${credentials}@${host}:${pgbouncer.port}/${pgbouncer.replicaDatabase}`,
    KURT_REDIS_NODES: redis.ports.map((port) => `${host}:${port}`).join(","),
    KURT_KAFKA_BROKERS: `${host}:${kafka.brokerPort}`,
    KURT_PUBLIC_URL: `http://${host}:${envoy.httpPort}`,
  };
}
