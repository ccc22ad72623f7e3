import path from "node:path";
import { loadTopology, type Topology } from "@kurt/topology";
import { buildDescriptorSet } from "./descriptor-set.js";
import type { EnvoyObject } from "./envoy-clusters.js";
import { renderEnvoyConfig } from "./envoy-config.js";
import { OPENAPI_DOCUMENT } from "./runtime-files.js";
import { writeEnvoyConfig } from "./write-envoy-config.js";

/**
 * Envoy's configuration for compose.yaml, rendered from the same topology
 * as the local one: the default topology (KURT_PORT_BASE 24000, whose
 * ports compose publishes), listeners on every interface of the container,
 * and each service found by its compose name. The files are committed under
 * envoy/compose/ (scripts/generate.ts writes them and its --check compares
 * them), so that `docker compose up` needs no step of its own.
 */

/** The folder of the committed files, relative to the repository's root. */
export const COMPOSE_ENVOY_DIR = "envoy/compose";

/** Where compose.yaml mounts that folder, envoy/lua/ and envoy/openapi/ in the Envoy container. */
export const COMPOSE_ENVOY_MOUNTS = {
  configDir: "/etc/envoy",
  luaDir: "/etc/kurt/lua",
  openapiDir: "/etc/kurt/openapi",
} as const;

export const COMPOSE_ENVOY_FILES = { config: "envoy.yaml", descriptorSet: "kurt.pb" } as const;

/** The topology compose.yaml describes: the launcher's defaults, nothing from this shell's environment. */
export function composeTopology(): Topology {
  return loadTopology({});
}

export function renderComposeEnvoyConfig(topology: Topology = composeTopology()): EnvoyObject {
  return renderEnvoyConfig(topology, {
    descriptorFile: path.posix.join(COMPOSE_ENVOY_MOUNTS.configDir, COMPOSE_ENVOY_FILES.descriptorSet),
    luaFile: path.posix.join(COMPOSE_ENVOY_MOUNTS.luaDir, "kurt-gateway.lua"),
    openapiFile: path.posix.join(COMPOSE_ENVOY_MOUNTS.openapiDir, OPENAPI_DOCUMENT.file),
    listenAddress: "0.0.0.0",
    serviceDiscovery: "dns",
  });
}

/** Writes envoy.yaml and kurt.pb into `outDir` (the committed folder, or a scratch one for --check). */
export async function writeComposeEnvoyFiles(root: string, outDir: string): Promise<void> {
  await buildDescriptorSet(root, path.join(outDir, COMPOSE_ENVOY_FILES.descriptorSet));
  writeEnvoyConfig(renderComposeEnvoyConfig(), path.join(outDir, COMPOSE_ENVOY_FILES.config));
}
