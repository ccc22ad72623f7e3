import { statSync, utimesSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { bundleIsStale, ensureBundles, IMAGE_ENTRIES, type ImageEntry } from "./bundles.js";
import { resolvePaths } from "./paths.js";

const { root } = resolvePaths();

/** As if `source` had been edited after the bundle was built: the bundle is dated just before it. */
function ageBundleBelow(entry: ImageEntry, source: string): void {
  const before = new Date(statSync(path.join(root, source)).mtimeMs - 5_000);
  utimesSync(path.join(root, IMAGE_ENTRIES[entry].bundle), before, before);
}

test("a bundle is rebuilt when its entry's source is newer, and only then", async () => {
  await ensureBundles(root, ["healthcheck"]);
  assert.not.ok(bundleIsStale(root, "healthcheck"), "just built");
  assert.equal(await ensureBundles(root, ["healthcheck"]), [], "a current bundle is left alone");
  ageBundleBelow("healthcheck", IMAGE_ENTRIES.healthcheck.source);
  assert.ok(bundleIsStale(root, "healthcheck"), "a source changed after the build");
  assert.equal(await ensureBundles(root, ["healthcheck"]), ["healthcheck"]);
  assert.not.ok(bundleIsStale(root, "healthcheck"), "rebuilt");
});

test("a workspace module the entry imports counts as one of its sources", async () => {
  await ensureBundles(root, ["healthcheck"]);
  // The health check reaches grpc.health.v1 through @kurt/platform.
  ageBundleBelow("healthcheck", "packages/platform/src/health-client.ts");
  assert.ok(bundleIsStale(root, "healthcheck"));
  await ensureBundles(root, ["healthcheck"]);
  assert.not.ok(bundleIsStale(root, "healthcheck"));
});

test.run();
