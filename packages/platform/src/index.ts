export type { ConfigField, ConfigOf, ConfigSchema, ListItemRule } from "./config.js";
export { ConfigError, commonConfigSchema, HOST_PORT_ITEM, loadConfig } from "./config.js";
export type { ConfigDocSection } from "./config-doc.js";
export { describeDefault, describeType, renderConfigDoc } from "./config-doc.js";
export type { DependencyCheck, DependencyOutcome } from "./dependencies.js";
export { awaitDependencies } from "./dependencies.js";
export type { ErrorCode } from "./errors.js";
export {
  alreadyExists,
  gone,
  invalidArgument,
  KurtError,
  notFound,
  permissionDenied,
  unauthenticated,
  unavailable,
} from "./errors.js";
export { toServiceError } from "./grpc-errors.js";
export type { RunningGrpcServer, ServiceBinding } from "./grpc-server.js";
export { addHealthService, startGrpcServer } from "./grpc-server.js";
export { checkHealth } from "./health-client.js";
export type { HttpError } from "./http-errors.js";
export { toHttpError } from "./http-errors.js";
export type { HttpHandler, RunningHttpServer } from "./http-server.js";
export { startHttpServer } from "./http-server.js";
export { failJob, loadJobConfigOrExit } from "./job-config.js";
export { repairKafkaJsIdleLoop } from "./kafkajs-idle-loop.js";
export type { LogFields, Logger, LogLevel, RootLogger } from "./logger.js";
export { createLogger } from "./logger.js";
export type { Metrics } from "./metrics.js";
export { createMetrics, serveMetrics } from "./metrics.js";
export { orUnavailable } from "./pg-unavailable.js";
export type { PostgresPoolOptions } from "./postgres-pool.js";
export { createPostgresPool } from "./postgres-pool.js";
export type { PostgresPoolState } from "./postgres-pool-metrics.js";
export { exposePostgresPoolMetrics } from "./postgres-pool-metrics.js";
export type { RedisClusterState } from "./redis-client-metrics.js";
export { exposeRedisClusterMetrics } from "./redis-client-metrics.js";
export type { RedisClusterOptions } from "./redis-cluster.js";
export { createRedisCluster, parseRedisNodes } from "./redis-cluster.js";
export type { CommonConfig, ServiceRuntime } from "./service-runtime.js";
export { createServiceRuntime, loadServiceConfigOrExit, serve } from "./service-runtime.js";
export type { Closer } from "./shutdown.js";
export { installGracefulShutdown } from "./shutdown.js";
export type { ConsumerTimers, SupervisedConsumer, SupervisedConsumerOptions } from "./supervised-consumer.js";
export { superviseConsumer } from "./supervised-consumer.js";
export {
  checkTimestampFields,
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  TIMESTAMP_BOUNDS,
  UnreadableTimestamp,
  validateTimestamp,
  withCheckedTimestamps,
} from "./timestamp-fields.js";
export type { CallContext } from "./unary-handler.js";
export { unary } from "./unary-handler.js";
