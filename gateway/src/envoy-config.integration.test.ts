import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { findInstalledEnvoy, resolvePaths, validateEnvoyConfig } from "@kurt/launcher";
import { loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildDescriptorSet } from "./descriptor-set.js";
import { renderEnvoyConfig } from "./envoy-config.js";
import { gatewayLuaFile } from "./runtime-files.js";
import { writeEnvoyConfig } from "./write-envoy-config.js";

// Needs the Envoy binary that ./kurt up installs, so it runs with the stack's suites, not with the unit tests.
const topology = loadTopology({ KURT_PORT_BASE: "30000", KURT_RESOLVER_REPLICAS: "3" });
const benchFloor = { httpPort: topology.portBase + 961 };

test("Envoy accepts the configuration with the bench floor", async () => {
  const paths = resolvePaths();
  const envoy = await findInstalledEnvoy(paths);
  assert.ok(envoy, "Envoy is installed (./kurt up installs it)");
  const dir = mkdtempSync(path.join(tmpdir(), "kurt-envoy-floor-"));
  try {
    const descriptorFile = await buildDescriptorSet(paths.root, path.join(dir, "kurt.pb"));
    const floored = renderEnvoyConfig(topology, { descriptorFile, luaFile: gatewayLuaFile(paths.root), benchFloor });
    await validateEnvoyConfig(envoy as string, writeEnvoyConfig(floored, path.join(dir, "floor.yaml")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
