/**
 * Composition root of the resolver: the only module that reads the environment.
 * It builds the adapters, hands them to the domain, and serves gRPC.
 */
import { createServiceRuntime, loadServiceConfigOrExit, serve } from "@kurt/platform";

const config = loadServiceConfigOrExit("resolver", {});
const runtime = createServiceRuntime("resolver", config);
await serve({ config, runtime, services: [] });
