import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface Paths {
  /** The repository's root. */
  readonly root: string;
  /** Git-ignored folder that holds everything the launcher makes. */
  readonly stateDir: string;
  /** Downloads (Envoy's venv, Kafka's jars): kept by `down --purge`. */
  readonly cacheDir: string;
  /** Data, configuration and pid files of running components. */
  readonly runDir: string;
  readonly logDir: string;
  /** A short id for this checkout, used where a name must be unique on the machine. */
  readonly checkoutId: string;
}

export function resolvePaths(env: Readonly<Record<string, string | undefined>> = process.env): Paths {
  const root = path.resolve(fileURLToPath(new URL("../../..", import.meta.url)));
  const stateDir = path.resolve(env.KURT_STATE_DIR || path.join(root, ".kurt"));
  return Object.freeze({
    root,
    stateDir,
    cacheDir: path.resolve(env.KURT_CACHE_DIR || path.join(stateDir, "cache")),
    runDir: path.join(stateDir, "run"),
    logDir: path.join(stateDir, "logs"),
    checkoutId: createHash("sha256").update(stateDir).digest("hex").slice(0, 10),
  });
}
