/**
 * Composition root of the shortener: the only module that reads the
 * environment. It builds the adapters (Postgres through PgBouncer, Redis
 * Cluster, Kafka), hands them to the domain, and serves gRPC.
 */
import { ApiKeyServiceService, LinkServiceService } from "@kurt/contract";
import { createServiceRuntime, loadServiceConfigOrExit, serve } from "@kurt/platform";
import pg from "pg";
import { createKafkaLinkEvents } from "./adapters/kafka-link-events.js";
import { createPgApiKeyStore } from "./adapters/pg-api-key-store.js";
import { createPgLinkStore } from "./adapters/pg-link-store.js";
import { createRedisCluster } from "./adapters/redis-cluster.js";
import { createRedisLinkCache } from "./adapters/redis-link-cache.js";
import { createApiKeyService } from "./domain/api-key-service.js";
import { createCodeGenerator } from "./domain/code-generator.js";
import { createLinkService } from "./domain/link-service.js";
import { createTargetUrlPolicy, type TargetUrlPolicy } from "./domain/target-url.js";
import { createApiKeyServiceHandlers } from "./grpc/api-key-service-handlers.js";
import { createAuthorize } from "./grpc/authorize.js";
import { createLinkServiceHandlers } from "./grpc/link-service-handlers.js";

const config = loadServiceConfigOrExit("shortener", {
  KURT_PG_PRIMARY_URL: {
    kind: "string",
    secret: true,
    pattern: /^postgres(ql)?:\/\//,
    description: "Postgres primary through PgBouncer (transaction pooling), where every write goes",
  },
  KURT_REDIS_NODES: { kind: "list", description: "Redis Cluster seed nodes, host:port,…" },
  KURT_KAFKA_BROKERS: { kind: "list", description: "Kafka bootstrap brokers, host:port,…" },
  KURT_PUBLIC_URL: {
    kind: "string",
    pattern: /^https?:\/\/[^/?#]+\/?$/,
    description: "The gateway's public base URL; short URLs are <this>/<code>",
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
});

let targetUrl: TargetUrlPolicy;
try {
  targetUrl = createTargetUrlPolicy({ publicUrl: config.KURT_PUBLIC_URL, shortDomains: config.KURT_SHORT_DOMAINS });
} catch (error) {
  process.stderr.write(`shortener: configuration error: KURT_SHORT_DOMAINS: ${(error as Error).message}\n`);
  process.exit(78);
}

const runtime = createServiceRuntime("shortener", config);
const { logger, metrics } = runtime;

const pool = new pg.Pool({
  connectionString: config.KURT_PG_PRIMARY_URL,
  max: config.KURT_PG_POOL_SIZE,
  connectionTimeoutMillis: 5_000,
  idleTimeoutMillis: 30_000,
  // Client-side: PgBouncer refuses a statement_timeout startup parameter.
  query_timeout: 10_000,
});
// An idle connection that breaks (PgBouncer or Postgres restarted) is dropped from the pool; the next query opens another.
pool.on("error", (error) => logger.warn("idle Postgres connection closed", { error: error.message }));

const redis = createRedisCluster(config.KURT_REDIS_NODES);
redis.on("error", (error: Error) => logger.warn("Redis Cluster error", { error: error.message }));
const cache = createRedisLinkCache({
  redis,
  logger,
  registry: metrics.registry,
  timeoutMs: config.KURT_CACHE_WRITE_TIMEOUT_MS,
});

const events = createKafkaLinkEvents({
  brokers: config.KURT_KAFKA_BROKERS,
  clientId: `kurt-shortener-${config.KURT_INSTANCE}`,
  publicUrl: config.KURT_PUBLIC_URL,
  logger,
  registry: metrics.registry,
});
events.start();

const apiKeys = createApiKeyService({ store: createPgApiKeyStore(pool) });
const links = createLinkService({
  store: createPgLinkStore(pool),
  cache,
  events,
  targetUrl,
  generateCode: createCodeGenerator(),
});
const authorize = createAuthorize(apiKeys);

await serve({
  config,
  runtime,
  services: [
    {
      name: "kurt.v1.LinkService",
      definition: LinkServiceService,
      implementation: createLinkServiceHandlers({ links, authorize, publicUrl: config.KURT_PUBLIC_URL, logger }),
    },
    {
      name: "kurt.v1.ApiKeyService",
      definition: ApiKeyServiceService,
      implementation: createApiKeyServiceHandlers({ apiKeys, authorize, logger }),
    },
  ],
  dependencies: [
    { name: "postgres", check: () => pool.query("select 1") },
    { name: "redis", check: () => redis.ping() },
  ],
  closers: [
    () => events.close(),
    async () => {
      cache.close();
      await redis.quit();
    },
    () => pool.end(),
  ],
});
