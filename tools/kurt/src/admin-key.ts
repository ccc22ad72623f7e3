import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Paths } from "./paths.js";

/** Where `kurt up` keeps the first admin API key: a file only its owner can read. */
export function adminKeyFile(paths: Paths): string {
  return path.join(paths.stateDir, "admin-api-key");
}

export function readAdminKey(paths: Paths): string | undefined {
  const file = adminKeyFile(paths);
  return existsSync(file) ? readFileSync(file, "utf8").trim() || undefined : undefined;
}
