/**
 * Writes the contract's breaking-change baseline: the buf image of proto/ as
 * clients have it. `./kurt test` runs `buf breaking` against this file, so a
 * change that would break a generated SDK or a gRPC client fails the checks.
 *
 * Run it only when a release deliberately accepts the current contract as the
 * new baseline (a breaking change needs a new package version, kurt.v2):
 *   node --import tsx scripts/contract-baseline.ts
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BASELINE_IMAGE = "packages/contract/baseline/kurt-v1.image.json";

const temporary = path.join(root, ".kurt", "contract-baseline.json");
execFileSync(path.join(root, "node_modules", ".bin", "buf"), ["build", "--exclude-source-info", "-o", temporary], {
  cwd: root,
  stdio: "inherit",
});
// One field per line, so that a reviewer sees what changed in the baseline.
writeFileSync(
  path.join(root, BASELINE_IMAGE),
  `${JSON.stringify(JSON.parse(readFileSync(temporary, "utf8")), null, 1)}\n`,
);
console.log(`wrote ${BASELINE_IMAGE}`);
