import { setTimeout as sleep } from "node:timers/promises";
import type { RunningGrpcServer } from "./grpc-server.js";
import type { RunningHttpServer } from "./http-server.js";
import type { Logger } from "./logger.js";

export type Closer = () => Promise<void>;

/**
 * On SIGTERM or SIGINT: report NOT_SERVING so that Envoy's health checks
 * move traffic away, keep serving for the drain period, then stop accepting
 * calls, let running ones finish, run the closers (flush producers, commit
 * offsets, close pools) in order, and exit.
 */
export function installGracefulShutdown(options: {
  readonly grpc: RunningGrpcServer;
  /** A plain HTTP listener beside gRPC (the resolver's redirects): drained and closed with it. */
  readonly http?: RunningHttpServer;
  readonly logger: Logger;
  readonly drainMs: number;
  readonly closers: readonly Closer[];
  readonly graceMs?: number;
}): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const { grpc, logger } = options;
    logger.info("shutting down", { signal, drainMs: options.drainMs });
    grpc.setServing(false);
    options.http?.setServing(false);
    await sleep(options.drainMs);
    const graceMs = options.graceMs ?? 10_000;
    const httpClosed = options.http?.close(graceMs);
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        logger.warn("calls still running after the grace period; cancelling them", { graceMs });
        grpc.server.forceShutdown();
        resolve();
      }, graceMs);
      grpc.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    await httpClosed;
    let code = 0;
    for (const close of options.closers) {
      try {
        await close();
      } catch (error) {
        code = 1;
        logger.error("error while closing", { error });
      }
    }
    logger.info("stopped", { code });
    process.exit(code);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
