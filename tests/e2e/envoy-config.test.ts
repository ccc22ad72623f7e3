import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildDescriptorSet, gatewayLuaFile, renderEnvoyConfig, writeEnvoyConfig } from "@kurt/gateway";
import { findInstalledEnvoy, resolvePaths, validateEnvoyConfig } from "@kurt/launcher";
import { test } from "uvu";
import * as assert from "uvu/assert";
// Not part of @kurt/launcher's index (yet): the installed binary and its validate mode.
import { topology } from "../support/stack.js";

// The rendered configuration is checked by Envoy itself (`--mode validate`),
// for this machine's topology and for the compose form (names, not IPs).

test("Envoy accepts the rendered gateway configuration, for local processes and for compose", async () => {
  const paths = resolvePaths();
  const envoy = await findInstalledEnvoy(paths);
  assert.ok(envoy, "Envoy is installed (./kurt up installs it)");
  const dir = mkdtempSync(path.join(tmpdir(), "kurt-envoy-validate-"));
  try {
    const descriptorFile = await buildDescriptorSet(paths.root, path.join(dir, "kurt.pb"));
    const luaFile = gatewayLuaFile(paths.root);
    const variants = {
      local: renderEnvoyConfig(topology, { descriptorFile, luaFile }),
      compose: renderEnvoyConfig(topology, {
        descriptorFile,
        luaFile,
        listenAddress: "0.0.0.0",
        upstreamHost: "kurt-services.internal",
        accessLog: false,
      }),
    };
    for (const [name, config] of Object.entries(variants)) {
      const file = writeEnvoyConfig(config, path.join(dir, `${name}.yaml`));
      await validateEnvoyConfig(envoy as string, file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
