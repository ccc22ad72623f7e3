import {
  Server as GrpcServer,
  status as GrpcStatus,
  type Metadata,
  type Server,
  ServerCredentials,
  ServerInterceptingCall,
  type ServerInterceptor,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { REQUEST_ID_KEY } from "@kurt/core/headers";
import { HealthImplementation, type ServingStatus } from "grpc-health-check";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";

export interface ServiceBinding {
  /** Fully qualified name, e.g. "kurt.v1.ResolverService", used for its health status. */
  readonly name: string;
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

export interface RunningGrpcServer {
  readonly server: Server;
  readonly port: number;
  setServing(serving: boolean): void;
}

/** Envoy's health checks come every few seconds and carry no request: they would bury the calls in the debug log. */
const HEALTH_PATH = "/grpc.health.v1.";

const STATUS_NAMES = Object.fromEntries(Object.entries(GrpcStatus).map(([name, code]) => [code, name]));

/**
 * Counts every call by method and status and logs failures with Envoy's
 * request id. At debug level it also writes one line per call (an access
 * log); at info and above that costs one level check, so the redirect path
 * pays nothing for it in normal operation.
 */
function observabilityInterceptor(metrics: Metrics, logger: Logger): ServerInterceptor {
  return (method, call) => {
    const started = process.hrtime.bigint();
    // Kept, not read: the request id is looked up only for a line that is written.
    let received: Metadata | undefined;
    const requestId = () => received?.get(REQUEST_ID_KEY)[0]?.toString();
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            received = metadata;
            nextMetadata(metadata);
          },
        }),
      sendStatus: (status, next) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const code = STATUS_NAMES[status.code] ?? String(status.code);
        metrics.grpcHandled.inc({ method: method.path, code });
        metrics.grpcHandlingSeconds.observe({ method: method.path }, seconds);
        if (status.code === GrpcStatus.INTERNAL || status.code === GrpcStatus.UNKNOWN) {
          logger.error("call failed", { method: method.path, code, requestId: requestId(), detail: status.details });
        } else if (logger.enabled("debug") && !method.path.startsWith(HEALTH_PATH)) {
          logger.debug("call", {
            method: method.path,
            code,
            requestId: requestId(),
            durationMs: Math.round(seconds * 1e4) / 10,
          });
        }
        next(status);
      },
    });
  };
}

/**
 * Adds grpc.health.v1 to a server for the whole server ("") and the named
 * services, all NOT_SERVING; the returned function turns them all SERVING or
 * back. Envoy's health checks ask for "".
 */
export function addHealthService(server: Server, serviceNames: readonly string[]): (serving: boolean) => void {
  const names = ["", ...serviceNames];
  const health = new HealthImplementation(Object.fromEntries(names.map((name) => [name, "NOT_SERVING"])));
  health.addToServer(server);
  return (serving) => {
    const value: ServingStatus = serving ? "SERVING" : "NOT_SERVING";
    for (const name of names) health.setStatus(name, value);
  };
}

/**
 * Starts a gRPC server with grpc.health.v1 beside the given services. Health
 * starts NOT_SERVING and turns SERVING only when the caller says so, after
 * its adapters are connected.
 */
export async function startGrpcServer(options: {
  readonly host: string;
  readonly port: number;
  readonly services: readonly ServiceBinding[];
  readonly logger: Logger;
  readonly metrics: Metrics;
}): Promise<RunningGrpcServer> {
  const server = new GrpcServer({
    interceptors: [observabilityInterceptor(options.metrics, options.logger)],
    "grpc.keepalive_permit_without_calls": 1,
  });
  const setServing = addHealthService(
    server,
    options.services.map((service) => service.name),
  );
  for (const service of options.services) server.addService(service.definition, service.implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { server, port, setServing };
}
