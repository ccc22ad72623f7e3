import path from "node:path";
import type { Paths } from "./paths.js";
import { ensureSecretFile, readSecretFile } from "./secret-file.js";

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
  return readSecretFile(redisPasswordFile(paths));
}

/** The state folder's Redis password, made on first use; two launchers racing agree on the first one written. */
export function ensureRedisPassword(paths: Paths): string {
  return ensureSecretFile(redisPasswordFile(paths));
}
