import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import type { Paths } from "./paths.js";
import { privateTempFile } from "./private-file.js";

/**
 * The password of the Redis Cluster: every node's `requirepass` (the
 * `default` user's password) and `masterauth` (a replica proving itself to
 * its master). `kurt up` makes it once per state folder, as a random secret,
 * into a file only its owner can read; a state folder from before Redis had
 * one gets it on its next start. It reaches redis-server through each node's
 * config file, redis-cli through REDISCLI_AUTH and the services through
 * KURT_REDIS_PASSWORD: never a command line, never a log line.
 */
export function redisPasswordFile(paths: Paths): string {
  return path.join(paths.stateDir, "redis-password");
}

export function readRedisPassword(paths: Paths): string | undefined {
  try {
    return readFileSync(redisPasswordFile(paths), "utf8").trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The state folder's Redis password, made on first use; two launchers racing agree on the first one written. */
export function ensureRedisPassword(paths: Paths): string {
  const existing = readRedisPassword(paths);
  if (existing !== undefined) return existing;
  const file = redisPasswordFile(paths);
  // Hex: nothing to quote in a config file, a URL or a shell.
  const temp = privateTempFile(file, `${randomBytes(32).toString("hex")}\n`);
  try {
    // A hard link never replaces an existing file: whoever links first wins.
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // An empty file (emptied by hand) holds no password: replace it.
    if (readRedisPassword(paths) === undefined) renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
  const password = readRedisPassword(paths);
  if (password === undefined) throw new Error(`cannot write the Redis password to ${file}`);
  return password;
}
