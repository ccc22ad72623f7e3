import type { Topology } from "@kurt/topology";
import { resolvePaths } from "./paths.js";
import { readRedisPassword } from "./redis-password.js";

/**
 * Where the services find the infrastructure, as the environment variables
 * their composition roots read. Derived from the topology so that the
 * launcher and the tests agree without a second list of ports.
 */
export interface ServiceEnvironment {
  readonly KURT_PG_PRIMARY_URL: string;
  readonly KURT_PG_REPLICA_URL: string;
  readonly KURT_REDIS_NODES: string;
  /** Empty before the first `kurt up` of the state folder made it. */
  readonly KURT_REDIS_PASSWORD: string;
  readonly KURT_KAFKA_BROKERS: string;
  readonly KURT_PUBLIC_URL: string;
}

/**
 * `redisPassword` is the state folder's (redis-password.ts); left out, it is
 * read from the folder KURT_STATE_DIR names, where the tests find the stack.
 */
export function serviceEnvironment(
  topology: Topology,
  redisPassword: string = readRedisPassword(resolvePaths()) ?? "",
): ServiceEnvironment {
  const { host, postgres, pgbouncer, redis, kafka, envoy } = topology;
  const credentials = `${encodeURIComponent(postgres.user)}:${encodeURIComponent(postgres.password)}`;
  return {
    KURT_PG_PRIMARY_URL: `postgres://${credentials}@${host}:${pgbouncer.port}/${pgbouncer.primaryDatabase}`,
    KURT_PG_REPLICA_URL: `postgres://${credentials}@${host}:${pgbouncer.port}/${pgbouncer.replicaDatabase}`,
    KURT_REDIS_NODES: redis.ports.map((port) => `${host}:${port}`).join(","),
    KURT_REDIS_PASSWORD: redisPassword,
    KURT_KAFKA_BROKERS: `${host}:${kafka.brokerPort}`,
    KURT_PUBLIC_URL: `http://${host}:${envoy.httpPort}`,
  };
}
