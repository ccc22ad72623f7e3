/**
 * The SDKs' generated code, for scripts/generate.ts: where each lives and
 * how to (re)generate it under an output base (the repository's root, or a
 * scratch folder for --check). The TypeScript SDK has none of its own: it
 * uses @kurt/contract's.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface GenerateTarget {
  readonly name: string;
  /** Folder of generated files, relative to the repository's root. */
  readonly dir: string;
  /** The only files of `dir` that are generated (a folder such as docs/ also holds files written by hand); all when absent. */
  readonly files?: readonly string[];
  /** What it is generated from, for messages; proto/ when absent. */
  readonly source?: string;
  /** Why it cannot be generated on this machine (its toolchain is missing), or undefined. */
  missingToolchain(root: string): string | undefined;
  generate(root: string, outputBase: string): void | Promise<void>;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, command)));
}

export const pythonTarget: GenerateTarget = {
  name: "Python SDK",
  dir: "sdk/python/kurt_sdk/_gen",
  missingToolchain: () => (onPath("python3") ? undefined : "python3 is not installed"),
  generate(root, outputBase) {
    // The pinned grpcio-tools, in a venv under the cache (made once).
    const venv = execFileSync("sh", ["sdk/python/venv.sh"], { cwd: root, encoding: "utf8" }).trim();
    execFileSync(join(venv, "bin", "python"), ["sdk/python/generate.py", outputBase], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
  },
};

export const goTarget: GenerateTarget = {
  name: "Go SDK",
  dir: "sdk/go/gen",
  missingToolchain: () => (onPath("go") ? undefined : "go is not installed"),
  generate(root, outputBase) {
    // The pinned protoc-gen-go and protoc-gen-go-grpc (built once under the
    // cache), first on PATH: buf runs them as local plugins.
    const plugins = execFileSync("sh", ["sdk/go/tools.sh"], { cwd: root, encoding: "utf8" }).trim();
    const buf = join(root, "node_modules", ".bin", "buf");
    execFileSync(buf, ["generate", "--template", "sdk/go/buf.gen.yaml", "-o", outputBase], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, PATH: `${plugins}:${process.env.PATH ?? ""}` },
    });
  },
};

export const SDK_TARGETS: readonly GenerateTarget[] = [pythonTarget, goTarget];
