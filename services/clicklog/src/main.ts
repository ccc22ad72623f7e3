/**
 * Composition root of clicklog: the only module that reads the environment.
 * It builds the adapters (Postgres through PgBouncer, Kafka, the GeoIP data
 * loaded once from its npm package), hands them to the domain, starts the
 * click consumer and the housekeeping in the background, and serves
 * StatsService. Neither Kafka nor Postgres has to be
 * up for it to start: stats answer UNAVAILABLE without Postgres, and the
 * consumer keeps retrying until Kafka is back.
 */
import { createApiKeyAuthorizer, createAuthorizeCall } from "@kurt/api-keys";
import { CLICKS_TOPIC } from "@kurt/contract";
import { openCountryLookup } from "@kurt/geoip";
import {
  createPostgresPool,
  createServiceRuntime,
  exposePostgresPoolMetrics,
  loadServiceConfigOrExit,
  orUnavailable,
  serve,
} from "@kurt/platform";
import { Kafka, logLevel } from "kafkajs";
import { createCachedClassifier } from "./adapters/cached-classifier.js";
import { createClickMetrics } from "./adapters/click-metrics.js";
import { startLagMonitor } from "./adapters/consumer-lag.js";
import { startClickConsumer } from "./adapters/kafka-click-consumer.js";
import { startPeriodicTask } from "./adapters/periodic-task.js";
import { createPgClickPartitions } from "./adapters/pg-click-partitions.js";
import { createPgClickStore } from "./adapters/pg-click-store.js";
import { createPgStatsStore } from "./adapters/pg-stats-store.js";
import { createPgVisitorKeys } from "./adapters/pg-visitor-keys.js";
import { createUaParserClassifier } from "./adapters/ua-parser-classifier.js";
import { CLICKLOG_CONFIG_SCHEMA } from "./config-schema.js";
import { createClickEnricher } from "./domain/click-enricher.js";
import { createClickIngest } from "./domain/click-ingest.js";
import { createClickMaintenance } from "./domain/click-maintenance.js";
import { createClickRetention } from "./domain/click-retention.js";
import { createLinkStats } from "./domain/link-stats.js";
import { type Authorize, createStatsServiceHandlers, STATS_SERVICE_DEFINITION } from "./grpc/stats-service-handlers.js";

const config = loadServiceConfigOrExit("clicklog", CLICKLOG_CONFIG_SCHEMA);

const runtime = createServiceRuntime("clicklog", config);
const { logger } = runtime;
const metrics = createClickMetrics(runtime.metrics.registry);

const pool = createPostgresPool({
  connectionString: config.KURT_PG_PRIMARY_URL,
  maxConnections: config.KURT_PG_POOL_SIZE,
  timeoutMs: 10_000,
  onIdleError: (error) => logger.warn("idle Postgres connection closed", { error: error.message }),
});
exposePostgresPoolMetrics(runtime.metrics.registry, { primary: pool });

// Synchronous and quick (~15 ms); a missing data file stops the start here, before anything is consumed.
const geo = openCountryLookup();
logger.info("GeoIP country data loaded", {
  source: geo.database.source,
  version: geo.database.version,
  builtAt: geo.database.builtAt.toISOString(),
  openMs: Math.round(geo.database.openMs),
});

const retention = createClickRetention(config.KURT_CLICK_RETENTION_DAYS);
const partitions = createPgClickPartitions(pool);
const visitorKeys = createPgVisitorKeys(pool);
const ingest = createClickIngest({
  enrich: createClickEnricher({
    classifier: createCachedClassifier(createUaParserClassifier(), config.KURT_CLICKLOG_UA_CACHE_SIZE),
    visitorKeys,
    countryOf: (address) => geo.lookup(address),
  }),
  store: createPgClickStore(pool),
  partitions,
  retention,
});
const maintain = createClickMaintenance({ partitions, visitorKeys, retention });

const kafka = new Kafka({
  clientId: `kurt-clicklog-${config.KURT_INSTANCE}`,
  brokers: [...config.KURT_KAFKA_BROKERS],
  connectionTimeout: 3_000,
  logLevel: logLevel.WARN,
  // kafkajs logs every retry; the consumer loop reports failures once per attempt.
  logCreator:
    () =>
    ({ namespace, log }) =>
      logger.debug("kafkajs", { namespace, detail: log.message, error: log.error }),
});

const maintenance = startPeriodicTask({
  name: "click housekeeping",
  intervalMs: config.KURT_CLICKLOG_MAINTENANCE_INTERVAL_MS,
  retryMs: 10_000,
  logger,
  task: async () => {
    const { droppedDays, deletedKeys } = await maintain();
    if (droppedDays.length > 0 || deletedKeys > 0) logger.info("click housekeeping", { droppedDays, deletedKeys });
  },
});

const consumer = startClickConsumer({
  kafka,
  topic: CLICKS_TOPIC,
  topicPartitions: config.KURT_CLICKS_TOPIC_PARTITIONS,
  groupId: config.KURT_CLICKLOG_GROUP_ID,
  concurrency: config.KURT_CLICKLOG_CONCURRENCY,
  maxTransactionSize: config.KURT_CLICKLOG_MAX_TRANSACTION_SIZE,
  fetchMinBytes: config.KURT_CLICKLOG_FETCH_MIN_BYTES,
  fetchMaxWaitMs: config.KURT_CLICKLOG_FETCH_MAX_WAIT_MS,
  ingest,
  // A missing partition (dropped by hand, or this process's belief is stale) is created again on the retry.
  onStoreFailure: () => partitions.forget(),
  metrics,
  logger,
});

const lag = startLagMonitor({
  kafka,
  topic: CLICKS_TOPIC,
  groupId: config.KURT_CLICKLOG_GROUP_ID,
  gauge: metrics.lag,
  intervalMs: config.KURT_CLICKLOG_LAG_INTERVAL_MS,
  logger,
});

const verifyApiKey = createApiKeyAuthorizer(pool);
// The key lookup reads Postgres: a database that is down is UNAVAILABLE, not an internal error.
const checkApiKey = createAuthorizeCall((authorization, scope) =>
  orUnavailable(() => verifyApiKey(authorization, scope)),
);
const authorize: Authorize = async (context, scope) => {
  await checkApiKey(context, scope);
};

await serve({
  config,
  runtime,
  services: [
    {
      name: "kurt.v1.StatsService",
      definition: STATS_SERVICE_DEFINITION,
      implementation: createStatsServiceHandlers({
        getLinkStats: createLinkStats({
          store: createPgStatsStore(pool),
          // The default domain's public name, as the shortener shows it in Link.domain.
          defaultHost: new URL(config.KURT_PUBLIC_URL).host,
        }),
        authorize,
        logger,
      }),
    },
  ],
  dependencies: [{ name: "postgres", check: () => pool.query("select 1") }],
  closers: [
    // Leaves the group once the transaction in progress is done; what was not committed is redelivered.
    () => consumer.stop(),
    () => lag.stop(),
    () => maintenance.stop(),
    () => pool.end(),
  ],
});
