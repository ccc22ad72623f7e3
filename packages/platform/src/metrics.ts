import { createServer, type Server } from "node:http";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export interface Metrics {
  readonly registry: Registry;
  readonly grpcHandled: Counter<"method" | "code">;
  readonly grpcHandlingSeconds: Histogram<"method">;
}

/** One registry per process, with the default Node metrics and the gRPC call series every service shares. */
export function createMetrics(labels: Readonly<Record<string, string>>): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ ...labels });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    grpcHandled: new Counter({
      name: "grpc_server_handled_total",
      help: "gRPC calls completed, by method and status code",
      labelNames: ["method", "code"],
      registers: [registry],
    }),
    grpcHandlingSeconds: new Histogram({
      name: "grpc_server_handling_seconds",
      help: "Time from a gRPC call's arrival to its status",
      labelNames: ["method"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

/** Serves GET /metrics in the Prometheus text format. */
export async function serveMetrics(registry: Registry, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { "content-type": registry.contentType }).end(body),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
