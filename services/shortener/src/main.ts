/**
 * Composition root of the shortener: the only module that reads the environment.
 * It builds the adapters, hands them to the domain, and serves gRPC.
 */
import { createServiceRuntime, loadServiceConfigOrExit, serve } from "@kurt/platform";

const config = loadServiceConfigOrExit("shortener", {});
const runtime = createServiceRuntime("shortener", config);
await serve({ config, runtime, services: [] });
