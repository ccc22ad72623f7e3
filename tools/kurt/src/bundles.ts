/**
 * The bundles that run: the container image's entries (the Dockerfile's
 * build stage runs scripts/bundle-image.ts) and the services `./kurt up`
 * starts, built the same way (DESIGN.md §3, what runs is what ships).
 * Kurt's own TypeScript, workspaces included, becomes one ES module per
 * entry, so nothing that runs needs tsx or the sources. npm packages stay
 * external and come from node_modules (grpc-health-check, for one, reads
 * its .proto files beside its code). Each bundle lands in its workspace's
 * folder, where Node finds that workspace's own node_modules first
 * (clicklog has its ua-parser-js there).
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build, type Plugin } from "esbuild";

/** Entry name → its source and its bundle (relative to the root; the Dockerfile runs the bundles). */
export const IMAGE_ENTRIES = {
  shortener: { source: "services/shortener/src/main.ts", bundle: "services/shortener/dist/main.mjs" },
  resolver: { source: "services/resolver/src/main.ts", bundle: "services/resolver/dist/main.mjs" },
  clicklog: { source: "services/clicklog/src/main.ts", bundle: "services/clicklog/dist/main.mjs" },
  migrate: { source: "packages/jobs/src/migrate-main.ts", bundle: "packages/jobs/dist/migrate.mjs" },
  "kafka-topics": { source: "packages/jobs/src/kafka-topics-main.ts", bundle: "packages/jobs/dist/kafka-topics.mjs" },
  "admin-key": { source: "services/shortener/src/admin-key-main.ts", bundle: "services/shortener/dist/admin-key.mjs" },
  healthcheck: { source: "packages/jobs/src/healthcheck-main.ts", bundle: "packages/jobs/dist/healthcheck.mjs" },
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

/** Writes the bundles of `entries` (default: all) under `outDir`, at their paths in IMAGE_ENTRIES. */
export async function bundleImage(
  root: string,
  outDir: string,
  entries: readonly ImageEntry[] = Object.keys(IMAGE_ENTRIES) as ImageEntry[],
): Promise<void> {
  const chosen = entries.map((name) => IMAGE_ENTRIES[name]);
  for (const { bundle } of chosen) rmSync(path.join(outDir, bundle), { force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: chosen.map(({ source, bundle }) => ({ in: source, out: bundle.replace(/\.mjs$/, "") })),
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
    metafile: true,
  });
  // What each bundle was built from, so that a later start can tell whether it is current.
  for (const [name, { bundle }] of entries.map((n) => [n, IMAGE_ENTRIES[n]] as const)) {
    const output = result.metafile.outputs[path.relative(root, path.join(outDir, bundle))];
    const inputs = Object.keys(output?.inputs ?? {});
    writeFileSync(inputsFile(outDir, name), `${JSON.stringify(inputs)}\n`);
  }
}

function inputsFile(outDir: string, entry: ImageEntry): string {
  return path.join(outDir, `${IMAGE_ENTRIES[entry].bundle}.inputs.json`);
}

/**
 * Whether the bundle of `entry` under `root` is missing or older than one of
 * the sources it was built from (a changed import list changes a source).
 */
export function bundleIsStale(root: string, entry: ImageEntry): boolean {
  const bundle = path.join(root, IMAGE_ENTRIES[entry].bundle);
  const list = inputsFile(root, entry);
  if (!existsSync(bundle) || !existsSync(list)) return true;
  const builtAt = statSync(bundle).mtimeMs;
  let inputs: unknown;
  try {
    inputs = JSON.parse(readFileSync(list, "utf8"));
  } catch {
    return true;
  }
  if (!Array.isArray(inputs) || inputs.length === 0) return true;
  return inputs.some((input) => {
    const file = path.join(root, String(input));
    return !existsSync(file) || statSync(file).mtimeMs > builtAt;
  });
}

/** Rebuilds, in place beside their sources, the bundles of `entries` that are stale; returns those rebuilt. */
export async function ensureBundles(root: string, entries: readonly ImageEntry[]): Promise<ImageEntry[]> {
  const stale = entries.filter((entry) => bundleIsStale(root, entry));
  if (stale.length > 0) await bundleImage(root, root, stale);
  return stale;
}
