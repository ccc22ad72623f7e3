import { createHash } from "node:crypto";
import { unavailable } from "@kurt/platform/errors";
import type { Cluster } from "ioredis";
import type { PasswordAttempts } from "../domain/password-attempts.js";

// Counts a wrong try; the first one of a window starts its expiry.
const FAILED = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

type Failed = (key: string, windowSeconds: string) => Promise<number>;

/**
 * Per (link, client) counters with a fixed window. The client's address is
 * hashed into the key, never stored in the clear.
 */
export function createRedisPasswordAttempts(
  cluster: Cluster,
  options: { readonly limit: number; readonly windowSeconds: number },
): PasswordAttempts {
  cluster.defineCommand("kurtPasswordFailed", { numberOfKeys: 1, lua: FAILED });
  const failed = (cluster as unknown as { kurtPasswordFailed: Failed }).kurtPasswordFailed.bind(cluster);
  const keyOf = (linkKey: string, client: string) =>
    `kurt:password-tries:v1:${linkKey}:${createHash("sha256").update(client).digest("base64url").slice(0, 22)}`;
  // Without the count a guess could not be limited: the form is refused (503) rather than left open to guessing.
  const orUnavailable = <T>(call: () => Promise<T>) =>
    call().catch((error: unknown) => {
      throw unavailable("password tries cannot be counted now; try again shortly", error);
    });
  return {
    blockedFor: (linkKey, client) =>
      orUnavailable(async () => {
        const key = keyOf(linkKey, client);
        const count = Number((await cluster.get(key)) ?? 0);
        if (count < options.limit) return 0;
        const ttl = await cluster.ttl(key);
        return ttl > 0 ? ttl : 1;
      }),
    failed: (linkKey, client) =>
      orUnavailable(async () => {
        await failed(keyOf(linkKey, client), String(options.windowSeconds));
      }),
  };
}
