export { adminKeyFile, readAdminKey } from "./admin-key.js";
export { findInstalledEnvoy, validateEnvoyConfig } from "./components/envoy.js";
export * from "./components/postgres-connection.js";
export { resolvePaths } from "./paths.js";
export type { ServiceEnvironment } from "./service-environment.js";
export { serviceEnvironment } from "./service-environment.js";
export { createStack } from "./stack.js";
export { waitFor } from "./wait.js";
