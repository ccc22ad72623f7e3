/**
 * Composition root of the clicklog: the only module that reads the environment.
 * It builds the adapters, hands them to the domain, and serves gRPC.
 */
import { createServiceRuntime, loadServiceConfigOrExit, serve } from "@kurt/platform";

const config = loadServiceConfigOrExit("clicklog", {});
const runtime = createServiceRuntime("clicklog", config);
await serve({ config, runtime, services: [] });
