/**
 * Bundles the container image's entries (the Dockerfile's build stage runs
 * this): Kurt's own TypeScript, workspaces included, becomes one ES module
 * per entry, so the runtime image needs neither tsx nor the sources. npm
 * packages stay external and come from the image's production node_modules
 * (grpc-health-check, for one, reads its .proto files beside its code).
 * Each bundle lands in its workspace's folder, where Node finds that
 * workspace's own node_modules first (clicklog has its ua-parser-js there).
 *
 *   node --import tsx scripts/bundle-image.ts OUT_DIR
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

/** Entry name → its source and its bundle (relative to the root; the Dockerfile runs the bundles). */
export const IMAGE_ENTRIES = {
  shortener: { source: "services/shortener/src/main.ts", bundle: "services/shortener/dist/main.mjs" },
  resolver: { source: "services/resolver/src/main.ts", bundle: "services/resolver/dist/main.mjs" },
  clicklog: { source: "services/clicklog/src/main.ts", bundle: "services/clicklog/dist/main.mjs" },
  migrate: { source: "packages/launcher/src/image/migrate-main.ts", bundle: "packages/launcher/dist/migrate.mjs" },
  "kafka-topics": {
    source: "packages/launcher/src/image/kafka-topics-main.ts",
    bundle: "packages/launcher/dist/kafka-topics.mjs",
  },
  "admin-key": {
    source: "packages/launcher/src/image/admin-key-main.ts",
    bundle: "packages/launcher/dist/admin-key.mjs",
  },
  healthcheck: {
    source: "packages/launcher/src/image/healthcheck-main.ts",
    bundle: "packages/launcher/dist/healthcheck.mjs",
  },
} as const;

export type ImageEntry = keyof typeof IMAGE_ENTRIES;

/** Bare imports other than the workspaces (@kurt/…) are left to node_modules at run time. */
const npmPackagesExternal: Plugin = {
  name: "npm-packages-external",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@kurt/") ? undefined : { path: args.path, external: true },
    );
  },
};

/** Writes every bundle under `outDir`, at its path in IMAGE_ENTRIES. */
export async function bundleImage(root: string, outDir: string): Promise<void> {
  for (const { bundle } of Object.values(IMAGE_ENTRIES))
    rmSync(path.join(outDir, path.dirname(bundle)), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: Object.values(IMAGE_ENTRIES).map(({ source, bundle }) => ({
      in: source,
      out: bundle.replace(/\.mjs$/, ""),
    })),
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    // Stack traces keep the names of classes and functions.
    keepNames: true,
    plugins: [npmPackagesExternal],
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2];
  if (!outDir) {
    process.stderr.write("usage: node --import tsx scripts/bundle-image.ts OUT_DIR\n");
    process.exit(2);
  }
  const root = fileURLToPath(new URL("..", import.meta.url));
  await bundleImage(root, path.resolve(outDir));
  process.stdout.write(`bundled ${Object.keys(IMAGE_ENTRIES).join(", ")} into ${outDir}\n`);
}
