import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, rmSync } from "node:fs";
import { privateTempFile } from "./private-file.js";

/** A secret kept in a file of its own (one line), or undefined when there is none (missing or empty). */
export function readSecretFile(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * The secret in `file`, made on first use as 32 random bytes in hex (nothing
 * to quote in a config file, a URL or a shell), in a file only its owner can
 * read; two launchers racing agree on the first one written.
 */
export function ensureSecretFile(file: string): string {
  const existing = readSecretFile(file);
  if (existing !== undefined) return existing;
  const temp = privateTempFile(file, `${randomBytes(32).toString("hex")}\n`);
  try {
    // A hard link never replaces an existing file: whoever links first wins.
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // An empty file (emptied by hand) holds no secret: replace it.
    if (readSecretFile(file) === undefined) renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
  const secret = readSecretFile(file);
  if (secret === undefined) throw new Error(`cannot write a secret to ${file}`);
  return secret;
}
