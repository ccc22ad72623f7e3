/**
 * Bundles the container image's entries into OUT_DIR (the Dockerfile's build
 * stage runs this); see tools/kurt/src/bundles.ts.
 *
 *   node --import tsx scripts/bundle-image.ts OUT_DIR
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleImage, IMAGE_ENTRIES } from "../tools/kurt/src/bundles.js";

const outDir = process.argv[2];
if (!outDir) {
  process.stderr.write("usage: node --import tsx scripts/bundle-image.ts OUT_DIR\n");
  process.exit(2);
}
const root = fileURLToPath(new URL("..", import.meta.url));
await bundleImage(root, path.resolve(outDir));
process.stdout.write(`bundled ${Object.keys(IMAGE_ENTRIES).join(", ")} into ${outDir}\n`);
