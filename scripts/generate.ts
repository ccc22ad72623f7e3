/**
 * Regenerates the TypeScript contract (packages/contract/src/gen) from proto/
 * with buf and ts-proto, as buf.gen.yaml describes, and the SDKs' generated
 * code (sdk/generate-targets.ts: Python with grpcio-tools, Go with buf and
 * protoc-gen-go), the Envoy configuration compose.yaml mounts (envoy/compose:
 * envoy.yaml and the descriptor set kurt.pb, rendered by gateway/, and the
 * Postgres router's postgres-router.yaml, rendered by tools/kurt), and
 * docs/configuration.md from the services' config schemas
 * (configuration-doc.ts), and the OpenAPI document the gateway serves,
 * envoy/openapi/openapi.json (openapi-document.ts, gnostic's
 * protoc-gen-openapi). A target whose toolchain is missing (python3, go) is
 * skipped with a warning.
 *
 *   node --import tsx scripts/generate.ts           regenerate in place
 *   node --import tsx scripts/generate.ts --check   regenerate into a temporary
 *     folder and fail, listing every file that differs, is missing or is extra,
 *     so that CI catches stale or hand-edited generated code.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { COMPOSE_ENVOY_DIR, COMPOSE_ENVOY_FILES, writeComposeEnvoyFiles } from "@kurt/gateway";
import { type GenerateTarget, SDK_TARGETS } from "../sdk/generate-targets.js";
import {
  COMPOSE_POSTGRES_ROUTER,
  writeComposePostgresRouterConfig,
} from "../tools/kurt/src/containers/compose-postgres.js";
import { configurationDocTarget } from "./configuration-doc.js";
import { openApiTarget } from "./openapi-document.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const buf = join(root, "node_modules", ".bin", "buf");

const contractTarget: GenerateTarget = {
  name: "TypeScript contract",
  dir: "packages/contract/src/gen",
  missingToolchain: () => undefined,
  generate(_root, outputBase) {
    // buf.gen.yaml paths are relative to the repository root; `-o` moves the
    // whole output under outputBase, which is how --check stays out of the tree.
    execFileSync(buf, ["generate", "--template", "buf.gen.yaml", "-o", outputBase], { cwd: root, stdio: "inherit" });
  },
};

const composeEnvoyTarget: GenerateTarget = {
  name: "compose Envoy configuration",
  dir: COMPOSE_ENVOY_DIR,
  files: [COMPOSE_ENVOY_FILES.config, COMPOSE_ENVOY_FILES.descriptorSet],
  missingToolchain: () => undefined,
  // outputBase is "." (the root) or an absolute scratch folder.
  generate: (_root, outputBase) => writeComposeEnvoyFiles(root, resolve(root, outputBase, COMPOSE_ENVOY_DIR)),
};

const composePostgresRouterTarget: GenerateTarget = {
  name: "compose Postgres router configuration",
  dir: COMPOSE_ENVOY_DIR,
  files: [COMPOSE_POSTGRES_ROUTER.file],
  source: "the topology (tools/kurt/src/containers/compose-postgres.ts)",
  missingToolchain: () => undefined,
  generate: (_root, outputBase) => {
    writeComposePostgresRouterConfig(resolve(root, outputBase, COMPOSE_ENVOY_DIR));
  },
};

const targets: readonly GenerateTarget[] = [
  contractTarget,
  ...SDK_TARGETS,
  composeEnvoyTarget,
  composePostgresRouterTarget,
  configurationDocTarget,
  openApiTarget,
];

/** The targets this machine can generate; the others are named on stderr. */
function available(): GenerateTarget[] {
  return targets.filter((target) => {
    const missing = target.missingToolchain(root);
    if (missing !== undefined) console.error(`skipping ${target.name} (${target.dir}): ${missing}`);
    return missing === undefined;
  });
}

/** The generated folder, or the generated files when the folder also holds others. */
function label(target: GenerateTarget): string {
  return target.files ? target.files.map((file) => `${target.dir}/${file}`).join(", ") : target.dir;
}

// Bytes, not text: kurt.pb is binary, and decoding would blur differences.
function listFiles(dir: string, only?: readonly string[]): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let entries: string[];
  try {
    entries = only ? [...only] : readdirSync(dir, { recursive: true, encoding: "utf8" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return files;
    throw error;
  }
  for (const entry of entries) {
    // Bytecode a Python run may leave beside the generated modules is not generated code.
    if (entry.split("/").includes("__pycache__")) continue;
    const path = join(dir, entry);
    try {
      files.set(relative(dir, path), readFileSync(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EISDIR" && !(only && code === "ENOENT")) throw error;
    }
  }
  return files;
}

/** Differences between what is in the tree and what the protos generate, as printable lines. */
function compare(generatedDir: string, committed: Map<string, Buffer>, fresh: Map<string, Buffer>): string[] {
  const problems: string[] = [];
  for (const [path, content] of fresh) {
    const current = committed.get(path);
    if (current === undefined) problems.push(`missing  ${generatedDir}/${path}`);
    else if (!current.equals(content)) problems.push(`differs  ${generatedDir}/${path}`);
  }
  for (const path of committed.keys()) {
    if (!fresh.has(path)) problems.push(`extra    ${generatedDir}/${path}`);
  }
  return problems.sort((a, b) => a.slice(9).localeCompare(b.slice(9)));
}

async function check(): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), "kurt-generate-"));
  let failed = 0;
  try {
    for (const target of available()) {
      const generatedDir = target.dir;
      await target.generate(root, scratch);
      const problems = compare(
        generatedDir,
        listFiles(join(root, generatedDir), target.files),
        listFiles(join(scratch, generatedDir), target.files),
      );
      if (problems.length === 0) {
        console.log(`${label(target)} is up to date with ${target.source ?? "proto/"}.`);
        continue;
      }
      failed = 1;
      console.error(`${label(target)} does not match ${target.source ?? "proto/"} (never edit it by hand):`);
      for (const line of problems) console.error(`  ${line}`);
    }
    if (failed) console.error("Run `npm run generate` and commit the result.");
    return failed;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv.includes("--check")) {
  process.exitCode = await check();
} else {
  for (const target of available()) {
    await target.generate(root, ".");
    console.log(`Generated ${label(target)} from ${target.source ?? "proto/"}.`);
  }
}
