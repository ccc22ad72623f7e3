/**
 * The container image's HEALTHCHECK: asks the service in the same container
 * for grpc.health.v1 (the whole server, as Envoy does) and exits 0 only when
 * it answers SERVING, so a draining or stuck replica shows as unhealthy.
 */
import { checkHealth, loadJobConfigOrExit } from "@kurt/platform";

const config = loadJobConfigOrExit("healthcheck", {
  KURT_GRPC_PORT: { kind: "port", description: "Port of the service's gRPC server in this container" },
});
const address = `127.0.0.1:${config.KURT_GRPC_PORT}`;

try {
  const status = await checkHealth(address);
  process.stdout.write(`grpc.health.v1 at ${address}: ${status}\n`);
  process.exitCode = status === "SERVING" ? 0 : 1;
} catch (error) {
  process.stdout.write(`grpc.health.v1 at ${address}: no answer (${(error as Error).message})\n`);
  process.exitCode = 1;
}
