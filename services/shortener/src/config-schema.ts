import { type ConfigSchema, HOST_PORT_ITEM } from "@kurt/platform";

/**
 * The shortener's own environment variables (beside the common ones of
 * @kurt/platform). Read only by main.ts; docs/configuration.md is generated
 * from this schema (`npm run generate`).
 */
export const SHORTENER_CONFIG_SCHEMA = {
  KURT_PG_PRIMARY_URL: {
    kind: "string",
    secret: true,
    pattern: /^postgres(ql)?:\/\//,
    description: "Postgres primary through PgBouncer (transaction pooling), where every write goes",
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
  KURT_PUBLIC_URL: {
    kind: "string",
    pattern: /^https?:\/\/[^/?#]+\/?$/,
    description: "The gateway's public base URL, which every short URL starts with",
  },
  KURT_SHORT_DOMAINS: {
    kind: "list",
    default: [],
    description:
      "More hosts serving Kurt's short links (host, or host:port: the port is ignored); targets on them, at any port, are refused as loops",
  },
  KURT_PG_POOL_SIZE: {
    kind: "integer",
    min: 1,
    max: 100,
    default: 10,
    description: "Postgres connections per replica",
  },
  KURT_CACHE_WRITE_TIMEOUT_MS: {
    kind: "integer",
    min: 10,
    max: 10_000,
    default: 500,
    description: "How long a write waits for the Redis write-through before answering anyway",
  },
  KURT_WRITE_RATE_BURST: {
    kind: "integer",
    min: 1,
    max: 1_000_000,
    default: 400,
    description:
      "Writes (create, update, delete, API key create and revoke) an API key may make at once, per API key, per shortener replica; beyond it RESOURCE_EXHAUSTED (HTTP 429)",
  },
  KURT_WRITE_RATE_PER_SECOND: {
    kind: "integer",
    min: 1,
    max: 1_000_000,
    default: 100,
    description:
      "Writes per second an API key may sustain, per API key, per shortener replica (the rate its burst refills at)",
  },
} as const satisfies ConfigSchema;
