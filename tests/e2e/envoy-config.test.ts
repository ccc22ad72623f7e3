import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  buildDescriptorSet,
  COMPOSE_ENVOY_DIR,
  COMPOSE_ENVOY_FILES,
  COMPOSE_ENVOY_MOUNTS,
  gatewayLuaFile,
  gatewayOpenApiFile,
  renderEnvoyConfig,
  writeEnvoyConfig,
} from "@kurt/gateway";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { topology } from "../support/stack.js";
import { findInstalledEnvoy, resolvePaths, validateEnvoyConfig } from "../support/tool.js";

// The rendered configuration is checked by Envoy itself (`--mode validate`),
// for this machine's topology and for the committed compose form (names, not IPs).

async function installedEnvoy(): Promise<string> {
  const envoy = await findInstalledEnvoy(resolvePaths());
  assert.ok(envoy, "Envoy is installed (./kurt up installs it)");
  return envoy as string;
}

/** Renders this machine's configuration with `extra` options, and has Envoy validate it. */
async function validateRendered(extra: Pick<Parameters<typeof renderEnvoyConfig>[1], "benchFloor">): Promise<void> {
  const paths = resolvePaths();
  const envoy = await installedEnvoy();
  const dir = mkdtempSync(path.join(tmpdir(), "kurt-envoy-validate-"));
  try {
    const descriptorFile = await buildDescriptorSet(paths.root, path.join(dir, "kurt.pb"));
    const config = renderEnvoyConfig(topology, { descriptorFile, luaFile: gatewayLuaFile(paths.root), ...extra });
    await validateEnvoyConfig(envoy, writeEnvoyConfig(config, path.join(dir, "envoy.yaml")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("Envoy accepts the rendered gateway configuration for local processes", () => validateRendered({}));

test("Envoy accepts the configuration with the bench floor", () =>
  validateRendered({ benchFloor: { httpPort: topology.portBase + 961 } }));

test("Envoy accepts the committed compose configuration, mounts aside", async () => {
  const { root } = resolvePaths();
  const envoy = await installedEnvoy();
  const composeDir = path.join(root, COMPOSE_ENVOY_DIR);
  // Only the container paths compose mounts differ from this checkout's;
  // the service names (shortener, resolver, clicklog) stay unresolved, which
  // validate mode accepts: it builds the configuration without resolving DNS.
  const committed = readFileSync(path.join(composeDir, COMPOSE_ENVOY_FILES.config), "utf8");
  const mounted = (dir: string) => new RegExp(`${dir.replaceAll("/", "\\/")}/`, "g");
  const local = committed
    .replace(mounted(COMPOSE_ENVOY_MOUNTS.configDir), `${composeDir}/`)
    .replace(mounted(COMPOSE_ENVOY_MOUNTS.luaDir), `${path.dirname(gatewayLuaFile(root))}/`)
    .replace(mounted(COMPOSE_ENVOY_MOUNTS.openapiDir), `${path.dirname(gatewayOpenApiFile(root))}/`);
  assert.is.not(local, committed, "the mount paths were found and replaced");
  assert.not.match(local, /\/etc\/(envoy|kurt)\//);
  const dir = mkdtempSync(path.join(tmpdir(), "kurt-envoy-compose-"));
  try {
    const file = path.join(dir, "compose.yaml");
    writeFileSync(file, local);
    await validateEnvoyConfig(envoy, file);
    // Validate mode does read the mounted files: without the descriptor set, the same file is refused.
    const missing = path.join(dir, "missing.yaml");
    writeFileSync(missing, local.replace(`${composeDir}/${COMPOSE_ENVOY_FILES.descriptorSet}`, `${dir}/absent.pb`));
    await validateEnvoyConfig(envoy, missing).then(
      () => assert.unreachable("a configuration without its descriptor set was accepted"),
      (error: Error) => assert.match(error.message, /absent\.pb|proto descriptor/i),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
