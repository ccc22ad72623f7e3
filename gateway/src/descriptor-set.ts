import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Builds the binary FileDescriptorSet of every proto under `root` (imports
 * included, as the transcoder needs google/api/http.proto and friends) with
 * the buf binary installed by npm. The result is the transcoder's input.
 */
export async function buildDescriptorSet(root: string, outFile: string): Promise<string> {
  const buf = findBuf(root);
  mkdirSync(path.dirname(outFile), { recursive: true });
  const { code, output } = await run(buf, ["build", "--as-file-descriptor-set", "-o", outFile], root);
  if (code !== 0) throw new Error(`buf build failed in ${root} (exit ${code}):\n${output.trim()}`);
  return outFile;
}

function findBuf(root: string): string {
  // Walk up so that a root without its own node_modules (a fixture folder) finds the repository's.
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", ".bin", "buf");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  const fromHere = fileURLToPath(new URL("../../node_modules/.bin/buf", import.meta.url));
  if (existsSync(fromHere)) return fromHere;
  throw new Error("buf not found in node_modules/.bin: run npm install (@bufbuild/buf is a dev dependency)");
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? 1, output }));
  });
}
