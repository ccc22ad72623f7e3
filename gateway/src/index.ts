export { BENCH_BARE_LISTENER, benchBareListenerPort } from "./bench-listeners.js";
export {
  COMPOSE_ENVOY_DIR,
  COMPOSE_ENVOY_FILES,
  COMPOSE_ENVOY_MOUNTS,
  composeTopology,
  renderComposeEnvoyConfig,
  writeComposeEnvoyFiles,
} from "./compose-envoy.js";
export { parseCorsOrigins } from "./cors-origins.js";
export { buildDescriptorSet } from "./descriptor-set.js";
export type { BenchFloor, EnvoyObject, ServiceDiscovery } from "./envoy-clusters.js";
export { BENCH_FLOOR_CLUSTERS, REDIRECT_CLUSTER } from "./envoy-clusters.js";
export type { EnvoyConfigOptions } from "./envoy-config.js";
export { renderEnvoyConfig } from "./envoy-config.js";
export {
  GATEWAY_PATHS,
  GRPC_SERVICE_CLUSTERS,
  RESERVED_CODES,
  SAFE_METHOD_PATTERN,
} from "./gateway-routes.js";
export { gatewayLuaFile, gatewayOpenApiFile, OPENAPI_DOCUMENT } from "./runtime-files.js";
export { MAX_TRUSTED_PROXY_HOPS, parseTrustedProxyHops } from "./trusted-proxy-hops.js";
export { writeEnvoyConfig } from "./write-envoy-config.js";
