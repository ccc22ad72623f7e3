import { type ConfigSchema, HOST_PORT_ITEM } from "@kurt/platform";

/**
 * clicklog's own environment variables (beside the common ones of
 * @kurt/platform). Read only by main.ts; docs/configuration.md is generated
 * from this schema (`npm run generate`).
 */
export const CLICKLOG_CONFIG_SCHEMA = {
  KURT_PG_PRIMARY_URL: {
    kind: "string",
    secret: true,
    pattern: /^postgres(ql)?:\/\//,
    description: "Postgres primary through PgBouncer (transaction pooling): clicks, rollups and stats",
  },
  KURT_KAFKA_BROKERS: { kind: "list", item: HOST_PORT_ITEM, description: "Kafka bootstrap brokers" },
  KURT_PUBLIC_URL: {
    kind: "string",
    pattern: /^https?:\/\/[^/?#]+\/?$/,
    description: "The gateway's public base URL; stats name the default domain by its host, as links do",
  },
  KURT_CLICK_RETENTION_DAYS: {
    kind: "integer",
    min: 1,
    max: 3650,
    default: 90,
    description: "Days of raw clicks kept (older daily partitions are dropped); rollups are kept",
  },
  KURT_CLICKLOG_GROUP_ID: {
    kind: "string",
    default: "kurt-clicklog",
    description: "Kafka consumer group shared by every clicklog replica",
  },
  KURT_CLICKLOG_CONCURRENCY: {
    kind: "integer",
    min: 1,
    max: 64,
    default: 3,
    description: "Partitions a replica stores side by side (each uses a Postgres connection)",
  },
  KURT_CLICKLOG_MAX_TRANSACTION_SIZE: {
    kind: "integer",
    min: 1,
    max: 10_000,
    default: 1_000,
    description: "Most click events stored in one Postgres transaction",
  },
  KURT_CLICKLOG_FETCH_MIN_BYTES: {
    kind: "integer",
    min: 1,
    max: 16_777_216,
    default: 262_144,
    description:
      "Bytes a fetch waits for (up to KURT_CLICKLOG_FETCH_MAX_WAIT_MS): fewer, larger transactions under load",
  },
  KURT_CLICKLOG_FETCH_MAX_WAIT_MS: {
    kind: "integer",
    min: 10,
    max: 5_000,
    default: 1_000,
    description: "Longest a fetch waits for KURT_CLICKLOG_FETCH_MIN_BYTES; the most it adds to a click's delay",
  },
  KURT_CLICKS_TOPIC_PARTITIONS: {
    kind: "integer",
    min: 1,
    max: 1_000,
    default: 6,
    description: "Partitions of kurt.clicks.v1 when clicklog creates it: the most replicas that can share the work",
  },
  KURT_PG_POOL_SIZE: {
    kind: "integer",
    min: 2,
    max: 100,
    default: 10,
    description: "Postgres connections per replica",
  },
  KURT_CLICKLOG_MAINTENANCE_INTERVAL_MS: {
    kind: "integer",
    min: 1_000,
    max: 86_400_000,
    default: 900_000,
    description: "How often partitions are created ahead, expired ones dropped and old visitor keys deleted",
  },
  KURT_CLICKLOG_UA_CACHE_SIZE: {
    kind: "integer",
    min: 1,
    max: 1_000_000,
    default: 10_000,
    description: "User agents whose classification is remembered",
  },
  KURT_CLICKLOG_LAG_INTERVAL_MS: {
    kind: "integer",
    min: 500,
    max: 600_000,
    default: 5_000,
    description: "How often the consumer lag gauge is refreshed",
  },
} as const satisfies ConfigSchema;
