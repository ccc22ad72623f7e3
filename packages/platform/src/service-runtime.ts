import { setLogger as setGrpcLogger } from "@grpc/grpc-js";
import { ConfigError, type ConfigOf, type ConfigSchema, commonConfigSchema, loadConfig } from "./config.js";
import { awaitDependencies, type DependencyCheck } from "./dependencies.js";
import { type RunningGrpcServer, type ServiceBinding, startGrpcServer } from "./grpc-server.js";
import { type HttpHandler, startHttpServer } from "./http-server.js";
import { repairKafkaJsIdleLoop } from "./kafkajs-idle-loop.js";
import { createLogger, type Logger, type LogLevel, type RootLogger } from "./logger.js";
import { createMetrics, type Metrics, serveMetrics } from "./metrics.js";
import { type Closer, installGracefulShutdown } from "./shutdown.js";

export type CommonConfig = ConfigOf<typeof commonConfigSchema>;

/**
 * Reads a service's whole configuration once (the common variables plus its
 * own). A bad value ends the process with one line per variable at fault, so
 * that a composition root never starts half-configured.
 */
export function loadServiceConfigOrExit<S extends ConfigSchema>(
  service: string,
  schema: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConfigOf<typeof commonConfigSchema & S> {
  try {
    return loadConfig({ ...commonConfigSchema, ...schema }, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`${service}: configuration error: ${problem}\n`);
    process.exit(78); // EX_CONFIG
  }
}

export interface ServiceRuntime {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function createServiceRuntime(service: string, config: CommonConfig): ServiceRuntime {
  const configured = config.KURT_LOG_LEVEL as LogLevel;
  const logger = createLogger({ level: configured, base: { service, instance: config.KURT_INSTANCE } });
  process.on("SIGUSR2", () => toggleDebug(logger, configured));
  routeGrpcLog(logger);
  const metrics = createMetrics({ service, instance: config.KURT_INSTANCE });
  // Every service talks to Kafka; its clients are built after this.
  repairKafkaJsIdleLoop();
  return { logger, metrics };
}

/**
 * grpc-js writes its own errors to the console, as text, echoing what it
 * could not take (a malformed `authorization` header included, the key in
 * it): they go through the service's JSON logger instead, whose redaction
 * keeps secrets out (redact-secrets.ts).
 */
function routeGrpcLog(logger: Logger): void {
  const line = (args: unknown[]) => ({ detail: args.map((arg) => String(arg)).join(" ") });
  setGrpcLogger({
    error: (...args: unknown[]) => logger.warn("grpc-js", line(args)),
    info: (...args: unknown[]) => logger.info("grpc-js", line(args)),
    debug: (...args: unknown[]) => logger.debug("grpc-js", line(args)),
  });
}

/** How long a starting replica waits for its dependencies before it reports SERVING anyway. */
export const DEPENDENCIES_TIMEOUT_MS = 15_000;

/**
 * SIGUSR2 switches a running replica to debug (one line per gRPC call, with
 * its request id) and back to KURT_LOG_LEVEL, so an operator can follow a
 * request without a restart. The change is logged while debug is on, so it
 * shows whichever way it goes.
 */
export function toggleDebug(logger: RootLogger, configured: LogLevel): void {
  if (logger.level !== "debug") {
    logger.setLevel("debug");
    logger.info("log level changed", { logLevel: "debug", signal: "SIGUSR2" });
    return;
  }
  const next = configured === "debug" ? "info" : configured;
  logger.info("log level changed", { logLevel: next, signal: "SIGUSR2" });
  logger.setLevel(next);
}

/**
 * Starts the metrics endpoint and the gRPC server (NOT_SERVING), arranges
 * the graceful shutdown, waits (bounded) until each dependency has answered
 * once, then reports SERVING. Called last by each composition root, once its
 * adapters are built.
 */
export async function serve(options: {
  readonly config: CommonConfig;
  readonly runtime: ServiceRuntime;
  readonly services: readonly ServiceBinding[];
  readonly closers?: readonly Closer[];
  /** Checked before SERVING, so that Envoy sends no call to a replica whose clients have not connected yet. */
  readonly dependencies?: readonly DependencyCheck[];
  /** A plain HTTP listener beside gRPC, SERVING and drained together with it. */
  readonly http?: { readonly port: number; readonly handler: HttpHandler };
}): Promise<RunningGrpcServer> {
  const { config, runtime } = options;
  const metricsServer = await serveMetrics(runtime.metrics.registry, config.KURT_GRPC_HOST, config.KURT_METRICS_PORT);
  const grpc = await startGrpcServer({
    host: config.KURT_GRPC_HOST,
    port: config.KURT_GRPC_PORT,
    services: options.services,
    logger: runtime.logger,
    metrics: runtime.metrics,
  });
  const http =
    options.http === undefined
      ? undefined
      : await startHttpServer({ host: config.KURT_GRPC_HOST, port: options.http.port, handler: options.http.handler });
  installGracefulShutdown({
    grpc,
    ...(http === undefined ? {} : { http }),
    logger: runtime.logger,
    drainMs: config.KURT_DRAIN_MS,
    closers: [...(options.closers ?? []), () => new Promise<void>((resolve) => metricsServer.close(() => resolve()))],
  });
  await awaitDependencies(options.dependencies ?? [], { timeoutMs: DEPENDENCIES_TIMEOUT_MS, logger: runtime.logger });
  grpc.setServing(true);
  http?.setServing(true);
  runtime.logger.info("serving", {
    grpcPort: grpc.port,
    ...(http === undefined ? {} : { httpPort: http.port }),
    metricsPort: config.KURT_METRICS_PORT,
    services: options.services.map((s) => s.name),
  });
  return grpc;
}
