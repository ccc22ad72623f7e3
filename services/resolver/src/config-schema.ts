import { type ConfigSchema, HOST_PORT_ITEM } from "@kurt/platform";

/**
 * The resolver's own environment variables (beside the common ones of
 * @kurt/platform). Read only by main.ts; docs/configuration.md is generated
 * from this schema (`npm run generate`).
 */
export const RESOLVER_CONFIG_SCHEMA = {
  KURT_HTTP_PORT: {
    kind: "port",
    description: "Port of the plain HTTP listener that answers the public redirects (`GET|HEAD /{code}`) for Envoy",
  },
  KURT_PG_PRIMARY_URL: {
    kind: "string",
    secret: true,
    pattern: /^postgres(ql)?:\/\//,
    description: "PgBouncer database of the Postgres primary (read only when the replica has no row)",
  },
  KURT_PG_REPLICA_URL: {
    kind: "string",
    secret: true,
    pattern: /^postgres(ql)?:\/\//,
    description: "PgBouncer database of the Postgres streaming replica, where lookups that miss the caches go",
  },
  KURT_REDIS_NODES: {
    kind: "list",
    item: HOST_PORT_ITEM,
    description: "Redis Cluster seed nodes; any reachable subset finds the rest of the cluster",
  },
  KURT_REDIS_PASSWORD: {
    kind: "string",
    secret: true,
    description: "Password of the Redis Cluster (its nodes' requirepass); `./kurt up` makes one per state folder",
  },
  KURT_KAFKA_BROKERS: { kind: "list", item: HOST_PORT_ITEM, description: "Kafka bootstrap brokers" },
  KURT_RESOLVER_MEMORY_MAX_ENTRIES: {
    kind: "integer",
    min: 1,
    default: 100_000,
    description: "Most links held in the in-process cache",
  },
  KURT_RESOLVER_MEMORY_MAX_BYTES: {
    kind: "integer",
    min: 16_384,
    default: 64 * 1024 * 1024,
    description: "Approximate bytes the in-process cache may hold (URL and code lengths plus overhead)",
  },
  KURT_RESOLVER_MEMORY_TTL_MS: {
    kind: "integer",
    min: 1,
    max: 600_000,
    default: 5_000,
    description: "How long a link is held in process; link events drop it sooner",
  },
  KURT_RESOLVER_NEGATIVE_TTL_MS: {
    kind: "integer",
    min: 1,
    max: 60_000,
    default: 1_000,
    description: "How long an unknown code is remembered as unknown",
  },
  KURT_RESOLVER_NEGATIVE_MAX_ENTRIES: {
    kind: "integer",
    min: 1,
    default: 50_000,
    description: "Most unknown codes remembered",
  },
  KURT_RESOLVER_REDIS_TIMEOUT_MS: {
    kind: "integer",
    min: 1,
    max: 10_000,
    default: 100,
    description: "A Redis call not answered within this is skipped for Postgres",
  },
  KURT_RESOLVER_PG_TIMEOUT_MS: {
    kind: "integer",
    min: 1,
    max: 60_000,
    default: 1_000,
    description: "Connect and query timeout of each Postgres pool",
  },
  KURT_RESOLVER_PG_POOL_SIZE: {
    kind: "integer",
    min: 1,
    max: 100,
    default: 10,
    description: "Connections per Postgres pool (one pool to the replica, one to the primary)",
  },
  KURT_RESOLVER_PASSWORD_TRIES: {
    kind: "integer",
    min: 1,
    max: 1_000,
    default: 5,
    description: "Wrong password tries a client gets per link within the window before it is answered 429",
  },
  KURT_RESOLVER_PASSWORD_WINDOW_S: {
    kind: "integer",
    min: 1,
    max: 86_400,
    default: 900,
    description: "Seconds from a client's first wrong password try on a link until its count starts again",
  },
  KURT_CLICK_BATCH_SIZE: {
    kind: "integer",
    min: 1,
    max: 10_000,
    default: 500,
    description: "Click events sent to Kafka at once as soon as this many wait",
  },
  KURT_CLICK_BATCH_WINDOW_MS: {
    kind: "integer",
    min: 0,
    max: 10_000,
    // Each send is a Kafka produce and, downstream, a fetch: at a few hundred redirects a second their fixed
    // cost dominated a click's (docs/adr/0016). 200 ms keeps the redirect-to-stats delay well inside 2 s.
    default: 200,
    description: "Longest a click waits for its batch to fill before it is sent anyway",
  },
  KURT_CLICK_QUEUE_MAX: {
    kind: "integer",
    min: 1,
    max: 10_000_000,
    default: 100_000,
    description: "Click events held in memory while Kafka is slow or down; beyond it the oldest are dropped",
  },
  KURT_CLICK_FLUSH_TIMEOUT_MS: {
    kind: "integer",
    min: 0,
    max: 60_000,
    default: 5_000,
    description: "How long shutdown waits for queued click events to reach Kafka",
  },
} as const satisfies ConfigSchema;
