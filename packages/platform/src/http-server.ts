import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { HTTP_HEALTH_PATH } from "@kurt/topology";

export type HttpHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface RunningHttpServer {
  readonly server: Server;
  readonly port: number;
  /** Off: the health path answers 503 and every answer closes its connection, so the gateway moves away. */
  setServing(serving: boolean): void;
  /** Stops accepting, lets running requests finish for at most `graceMs`, then cuts what is left. */
  close(graceMs: number): Promise<void>;
}

/**
 * Longer than the gateway keeps an idle upstream connection (its cluster's
 * idle_timeout), so that the gateway, not this server, closes idle ones: a
 * server that closes first races the gateway's next request on the socket.
 */
export const HTTP_KEEP_ALIVE_TIMEOUT_MS = 75_000;

/**
 * A plain HTTP/1.1 listener with keep-alive, a health path that follows the
 * service's serving state like grpc.health.v1 does, and a draining close.
 * The handler sees every other request.
 */
export async function startHttpServer(options: {
  readonly host: string;
  readonly port: number;
  readonly handler: HttpHandler;
}): Promise<RunningHttpServer> {
  let serving = false;
  const server = createServer({ keepAliveTimeout: HTTP_KEEP_ALIVE_TIMEOUT_MS }, (request, response) => {
    if (request.url === HTTP_HEALTH_PATH) {
      const body = serving ? "SERVING" : "NOT_SERVING";
      response.writeHead(serving ? 200 : 503, { "content-type": "text/plain", "content-length": body.length });
      response.end(body);
      return;
    }
    if (!serving) response.setHeader("connection", "close");
    options.handler(request, response);
  });
  // Envoy's keep-alive is the only client: no per-socket request cap, and a
  // headers timeout above the keep-alive one as Node requires.
  server.headersTimeout = HTTP_KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    server,
    port: typeof address === "object" && address !== null ? address.port : options.port,
    setServing(value) {
      serving = value;
    },
    close(graceMs) {
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
