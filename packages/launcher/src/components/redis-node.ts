import { Redis } from "ioredis";

/**
 * Runs a few commands on one Redis node over a short-lived connection that
 * never retries: the launcher polls, so a refused connection must fail fast
 * instead of being queued by the client.
 */
export async function onRedisNode<T>(host: string, port: number, use: (node: Redis) => Promise<T>): Promise<T> {
  const node = new Redis({
    host,
    port,
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 5_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Connection errors surface through connect() and the commands; without a
  // listener ioredis would also print them as unhandled.
  node.on("error", () => {});
  try {
    await node.connect();
    return await use(node);
  } finally {
    node.disconnect();
  }
}

/** One command's reply as text, for the INFO-style commands the launcher reads. */
export async function redisText(node: Redis, command: string, ...args: string[]): Promise<string> {
  const reply = await node.call(command, ...args);
  return typeof reply === "string" ? reply : String(reply);
}
