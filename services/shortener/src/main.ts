/**
 * Composition root of the shortener: the only module that reads the
 * environment. It builds the adapters (Postgres through PgBouncer, Redis
 * Cluster, Kafka), hands them to the domain, and serves gRPC.
 */

import { ApiKeyServiceService, DomainServiceService } from "@kurt/contract";
import {
  createPostgresPool,
  createServiceRuntime,
  exposePostgresPoolMetrics,
  exposeRedisClusterMetrics,
  loadServiceConfigOrExit,
  serve,
} from "@kurt/platform";
import { hashPassword } from "@kurt/platform/password-hash";
import { createKafkaLinkEvents } from "./adapters/kafka-link-events.js";
import { createPgApiKeyStore } from "./adapters/pg-api-key-store.js";
import { createPgDomainStore } from "./adapters/pg-domain-store.js";
import { createPgLinkStore } from "./adapters/pg-link-store.js";
import { createQrCodeRenderer } from "./adapters/qrcode-renderer.js";
import { createRedisCluster } from "./adapters/redis-cluster.js";
import { createRedisLinkCache } from "./adapters/redis-link-cache.js";
import { SHORTENER_CONFIG_SCHEMA } from "./config-schema.js";
import { createApiKeyService } from "./domain/api-key-service.js";
import { createCodeGenerator } from "./domain/code-generator.js";
import { createDomainCatalog } from "./domain/domain-catalog.js";
import { createDomainService } from "./domain/domain-service.js";
import { createLinkDomains } from "./domain/link-domains.js";
import { createLinkService } from "./domain/link-service.js";
import { createTargetUrlPolicy, type TargetUrlPolicy } from "./domain/target-url.js";
import { createWriteRateLimiter } from "./domain/write-rate-limiter.js";
import { createApiKeyServiceHandlers } from "./grpc/api-key-service-handlers.js";
import { createAuthorize } from "./grpc/authorize.js";
import { createDomainServiceHandlers } from "./grpc/domain-service-handlers.js";
import { createLinkServiceHandlers, LINK_SERVICE_DEFINITION } from "./grpc/link-service-handlers.js";

const config = loadServiceConfigOrExit("shortener", SHORTENER_CONFIG_SCHEMA);

// A revoked key is refused by every replica within this long (ADR 15); a key in use costs a lookup per half of it.
const API_KEY_MAX_AGE_MS = 900;
// Creates gathered while earlier ones commit go out together (ADR 15): up to this many per statement…
const INSERT_MAX_BATCH = 200;
// …and this many statements at once per replica.
const INSERT_MAX_IN_FLIGHT = 2;
// Link events wait this long for others before a send: fewer produce requests and resolver fetches (ADR 15).
const LINK_EVENT_LINGER_MS = 20;
// Domains another replica added or removed are seen by the target URL rule within about this long.
const DOMAIN_CATALOG_REFRESH_MS = 1_000;

let targetUrl: TargetUrlPolicy;
try {
  targetUrl = createTargetUrlPolicy({
    publicUrl: config.KURT_PUBLIC_URL,
    shortDomains: config.KURT_SHORT_DOMAINS,
    // Read only while serving, after the catalog below exists.
    configuredDomains: () => domainCatalog.current(),
  });
} catch (error) {
  process.stderr.write(`shortener: configuration error: KURT_SHORT_DOMAINS: ${(error as Error).message}\n`);
  process.exit(78);
}

const runtime = createServiceRuntime("shortener", config);
const { logger, metrics } = runtime;

const pool = createPostgresPool({
  connectionString: config.KURT_PG_PRIMARY_URL,
  maxConnections: config.KURT_PG_POOL_SIZE,
  connectTimeoutMs: 5_000,
  timeoutMs: 10_000,
  onIdleError: (error) => logger.warn("idle Postgres connection closed", { error: error.message }),
});
exposePostgresPoolMetrics(metrics.registry, { primary: pool });

const redis = createRedisCluster(config.KURT_REDIS_NODES, { password: config.KURT_REDIS_PASSWORD });
redis.on("error", (error: Error) => logger.warn("Redis Cluster error", { error: error.message }));
exposeRedisClusterMetrics(metrics.registry, redis);
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
  lingerMs: LINK_EVENT_LINGER_MS,
  logger,
  registry: metrics.registry,
});
events.start();

const apiKeys = createApiKeyService({
  store: createPgApiKeyStore(pool),
  keyCache: { maxAgeMs: API_KEY_MAX_AGE_MS },
});
const domainStore = createPgDomainStore(pool);
const domainCatalog = createDomainCatalog({ list: () => domainStore.list() });
setInterval(() => {
  domainCatalog.refresh().catch((error: unknown) => logger.warn("domains not reloaded", { error }));
}, DOMAIN_CATALOG_REFRESH_MS).unref();
const links = createLinkService({
  store: createPgLinkStore(pool, { maxBatch: INSERT_MAX_BATCH, maxInFlight: INSERT_MAX_IN_FLIGHT }),
  cache,
  events,
  targetUrl,
  domains: createLinkDomains({ catalog: domainCatalog, defaultHost: new URL(config.KURT_PUBLIC_URL).host }),
  generateCode: createCodeGenerator(),
  hashPassword,
});
const domains = createDomainService({
  store: domainStore,
  catalog: domainCatalog,
  targetUrl,
  defaultHostName: new URL(config.KURT_PUBLIC_URL).hostname,
});
const writeLimit = createWriteRateLimiter({
  burst: config.KURT_WRITE_RATE_BURST,
  perSecond: config.KURT_WRITE_RATE_PER_SECOND,
  now: () => performance.now(),
});
const authorize = createAuthorize(apiKeys, writeLimit);

await serve({
  config,
  runtime,
  services: [
    {
      name: "kurt.v1.LinkService",
      definition: LINK_SERVICE_DEFINITION,
      implementation: createLinkServiceHandlers({
        links,
        authorize,
        publicUrl: config.KURT_PUBLIC_URL,
        qrRenderer: createQrCodeRenderer(),
        logger,
      }),
    },
    {
      name: "kurt.v1.ApiKeyService",
      definition: ApiKeyServiceService,
      implementation: createApiKeyServiceHandlers({ apiKeys, authorize, logger }),
    },
    {
      name: "kurt.v1.DomainService",
      definition: DomainServiceService,
      implementation: createDomainServiceHandlers({ domains, authorize, publicUrl: config.KURT_PUBLIC_URL, logger }),
    },
  ],
  dependencies: [
    { name: "postgres", check: () => pool.query("select 1") },
    { name: "redis", check: () => redis.ping() },
    // The target URL rule must know the configured domains before the first create.
    { name: "domains", check: () => domainCatalog.refresh() },
  ],
  closers: [
    async () => {
      await links.settle();
      await events.close();
    },
    async () => {
      cache.close();
      await redis.quit();
    },
    () => pool.end(),
  ],
});
