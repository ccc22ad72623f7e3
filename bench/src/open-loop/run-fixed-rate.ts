import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand } from "@kurt/tool";
import { type CpuPinning, onGeneratorCore } from "../cpu-pinning.js";
import type { FixedRateConfig, FixedRateResult } from "./fixed-rate-generator.js";

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixed-rate-cli.ts");

export type FixedRateLoad = Omit<FixedRateConfig, "paths"> & { readonly listFile: string; readonly pathPrefix: string };

/** Runs the fixed-rate generator in a child process on the generator's core. */
export async function runFixedRateChild(load: FixedRateLoad, pinning: CpuPinning): Promise<FixedRateResult> {
  const [command, args] = onGeneratorCore(pinning, process.execPath, ["--import", "tsx", CLI, JSON.stringify(load)]);
  const { code, stdout, stderr } = await runCommand(command, args);
  if (code !== 0) throw new Error(`the fixed-rate generator failed (exit ${code}):\n${stderr}`.trim());
  return JSON.parse(stdout.trim().split("\n").pop() as string) as FixedRateResult;
}
