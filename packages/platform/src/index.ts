export type { ConfigField, ConfigOf, ConfigSchema } from "./config.js";
export { ConfigError, commonConfigSchema, loadConfig } from "./config.js";
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
export { startGrpcServer } from "./grpc-server.js";
export { checkHealth } from "./health-client.js";
export type { LogFields, Logger, LogLevel } from "./logger.js";
export { createLogger } from "./logger.js";
export type { Metrics } from "./metrics.js";
export { createMetrics, serveMetrics } from "./metrics.js";
export type { CommonConfig, ServiceRuntime } from "./service-runtime.js";
export { createServiceRuntime, loadServiceConfigOrExit, serve } from "./service-runtime.js";
export type { Closer } from "./shutdown.js";
export { installGracefulShutdown } from "./shutdown.js";
export type { CallContext } from "./unary-handler.js";
export { unary } from "./unary-handler.js";
