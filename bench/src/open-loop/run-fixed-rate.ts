import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type CpuPinning, onGeneratorCore } from "../cpu-pinning.js";
import type { FixedRateConfig, FixedRateResult } from "./fixed-rate-generator.js";

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixed-rate-cli.ts");

export type FixedRateLoad = Omit<FixedRateConfig, "paths"> & { readonly listFile: string; readonly pathPrefix: string };

/** Runs the fixed-rate generator in a child process on the generator's core. */
export function runFixedRateChild(load: FixedRateLoad, pinning: CpuPinning): Promise<FixedRateResult> {
  const [command, args] = onGeneratorCore(pinning, process.execPath, ["--import", "tsx", CLI, JSON.stringify(load)]);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) {
        reject(new Error(`the fixed-rate generator failed (exit ${code}):\n${stderr}`.trim()));
        return;
      }
      resolve(JSON.parse(stdout.trim().split("\n").pop() as string) as FixedRateResult);
    });
  });
}
