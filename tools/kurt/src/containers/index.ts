import type { Component } from "../components/component.js";
import { createKafkaContainer } from "./kafka-container.js";
import { createPgBouncerContainer } from "./pgbouncer-container.js";
import { createContainerSession } from "./pod.js";
import { createPostgresContainers } from "./postgres-containers.js";
import { createRedisClusterContainers } from "./redis-cluster-containers.js";

/**
 * KURT_INFRA=testcontainers: the four infrastructure components as
 * containers instead of local processes, on the same host ports, so that
 * Envoy, the services, the migrations and the tests are unchanged. The
 * containers live as long as the process that started them (testcontainers'
 * reaper removes them when it exits), which suits `./kurt test`; they have
 * no pid, so `down` has nothing of theirs to stop.
 */
export interface ContainerInfrastructure {
  readonly postgres: Component;
  readonly pgbouncer: Component;
  readonly redis: Component;
  readonly kafka: Component;
}

export function createContainerInfrastructure(): ContainerInfrastructure {
  const session = createContainerSession();
  const postgres = createPostgresContainers(session);
  return {
    postgres,
    pgbouncer: createPgBouncerContainer(session, postgres),
    redis: createRedisClusterContainers(session),
    kafka: createKafkaContainer(session),
  };
}

export type InfrastructureMode = "local" | "testcontainers";

/** Reads KURT_INFRA (unset or empty: local processes); throws with the variable's name on any other value. */
export function infrastructureMode(
  env: Readonly<Record<string, string | undefined>> = process.env,
): InfrastructureMode {
  const raw = env.KURT_INFRA;
  if (raw === undefined || raw === "" || raw === "local") return "local";
  if (raw === "testcontainers") return "testcontainers";
  throw new Error(`KURT_INFRA must be "local" or "testcontainers", got ${JSON.stringify(raw)}`);
}

export { CONTAINER_IMAGES } from "./images.js";
