import { ConfigError, type ConfigOf, type ConfigSchema, loadConfig } from "./config.js";

/** A container entry's environment, validated: one line per bad variable, then exit 78 (EX_CONFIG), as the services do. */
export function loadJobConfigOrExit<S extends ConfigSchema>(job: string, schema: S): ConfigOf<S> {
  try {
    return loadConfig(schema, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`${job}: configuration error: ${problem}\n`);
    process.exit(78);
  }
}

/** Ends a one-shot job: a failure is one line on stderr and exit code 1. */
export function failJob(job: string, error: unknown): void {
  process.stderr.write(`${job}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
