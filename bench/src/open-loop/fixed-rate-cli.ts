/**
 * The fixed-rate generator as a child process, so that it has the
 * generator's core to itself and the bench's own work never delays it.
 * Argument: one JSON object (FixedRateConfig without paths, plus listFile and
 * pathPrefix); prints the FixedRateResult as JSON on stdout.
 */
import { readFileSync } from "node:fs";
import { type FixedRateConfig, runFixedRate } from "./fixed-rate-generator.js";

type CliConfig = Omit<FixedRateConfig, "paths"> & { readonly listFile: string; readonly pathPrefix: string };

const config = JSON.parse(process.argv[2] ?? "{}") as CliConfig;
const paths = readFileSync(config.listFile, "utf8")
  .split("\n")
  .filter((code) => code !== "")
  .map((code) => `${config.pathPrefix}${code}`);
const result = await runFixedRate({ ...config, paths });
process.stdout.write(`${JSON.stringify(result)}\n`);
