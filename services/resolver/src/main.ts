/**
 * Composition root of the resolver: the only module that reads the environment.
 * It builds the adapters, hands them to the domain, and serves gRPC.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { ResolverServiceService } from "@kurt/contract";
import { createServiceRuntime, loadServiceConfigOrExit, serve } from "@kurt/platform";
import { createClickTelemetry, exposeClickQueueDepth } from "./adapters/click-telemetry.js";
import { createKafkaClickSender } from "./adapters/kafka-click-sender.js";
import { startLinkEventsConsumer } from "./adapters/link-events-consumer.js";
import { createLookupTelemetry } from "./adapters/lookup-telemetry.js";
import { createPostgresLinkStore } from "./adapters/postgres-link-store.js";
import { createPostgresPool } from "./adapters/postgres-pool.js";
import { createRedisCluster } from "./adapters/redis-cluster.js";
import { createRedisLinkCache } from "./adapters/redis-link-cache.js";
import { createClickPublisher } from "./domain/click-publisher.js";
import { createLinkResolver } from "./domain/link-resolver.js";
import { createLocalLinkCache } from "./domain/local-link-cache.js";
import { createResolverService } from "./grpc/resolver-service.js";

const config = loadServiceConfigOrExit("resolver", {
  KURT_PG_PRIMARY_URL: { kind: "string", secret: true, description: "PgBouncer database of the Postgres primary" },
  KURT_PG_REPLICA_URL: { kind: "string", secret: true, description: "PgBouncer database of the Postgres replica" },
  KURT_REDIS_NODES: { kind: "list", description: "Redis Cluster seed nodes, host:port,…" },
  KURT_KAFKA_BROKERS: { kind: "list", description: "Kafka bootstrap brokers, host:port,…" },
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
    default: 50,
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
});
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
const warmPool = (target: typeof replicaPool) =>
  Promise.all(Array.from({ length: Math.min(3, config.KURT_RESOLVER_PG_POOL_SIZE) }, () => target.query("select 1")));

const redis = createRedisCluster({
  nodes: config.KURT_REDIS_NODES,
  commandTimeoutMs: config.KURT_RESOLVER_REDIS_TIMEOUT_MS,
});
// Connection trouble shows in the lookup metrics and throttled warnings; ioredis's events would repeat it at length.
redis.on("error", (error: Error) => logger.debug("redis client error", { error }));

const resolver = createLinkResolver({
  memory: createLocalLinkCache({
    maxEntries: config.KURT_RESOLVER_MEMORY_MAX_ENTRIES,
    maxBytes: config.KURT_RESOLVER_MEMORY_MAX_BYTES,
    ttlMs: config.KURT_RESOLVER_MEMORY_TTL_MS,
    negativeTtlMs: config.KURT_RESOLVER_NEGATIVE_TTL_MS,
    negativeMaxEntries: config.KURT_RESOLVER_NEGATIVE_MAX_ENTRIES,
  }),
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
  onLinkChanged: (code) => resolver.invalidate(code),
  logger,
});

await serve({
  config,
  runtime,
  services: [
    {
      name: "kurt.v1.ResolverService",
      definition: ResolverServiceService,
      implementation: createResolverService({ resolver, clicks, logger }),
    },
  ],
  // A restarted replica must not answer its first redirects with UNAVAILABLE while its clients connect.
  dependencies: [
    { name: "redis", check: () => redis.ping() },
    // A few connections each, so that the first burst of calls does not wait on connects.
    { name: "postgres-replica", check: () => warmPool(replicaPool) },
    { name: "postgres-primary", check: () => warmPool(primaryPool) },
  ],
  // The gRPC server has drained when these run: no click can be recorded after the flush starts.
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
