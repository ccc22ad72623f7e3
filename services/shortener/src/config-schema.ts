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
  KURT_KAFKA_BROKERS: { kind: "list", item: HOST_PORT_ITEM, description: "Kafka bootstrap brokers" },
  KURT_PUBLIC_URL: {
    kind: "string",
    pattern: /^https?:\/\/[^/?#]+\/?$/,
    description: "The gateway's public base URL, which every short URL starts with",
  },
  KURT_SHORT_DOMAINS: {
    kind: "list",
    default: [],
    description: "More hosts (host or host:port) serving Kurt's short links; targets on them are refused as loops",
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
} as const satisfies ConfigSchema;
