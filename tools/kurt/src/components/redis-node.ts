import { Redis } from "ioredis";

/** One node, and the password its clients prove (undefined: none, to ask a node whether it wants one). */
export interface RedisNodeAddress {
  readonly host: string;
  readonly port: number;
  readonly password: string | undefined;
}

/**
 * Runs a few commands on one Redis node over a short-lived connection that
 * never retries: the launcher polls, so a refused connection must fail fast
 * instead of being queued by the client.
 */
export async function onRedisNode<T>(address: RedisNodeAddress, use: (node: Redis) => Promise<T>): Promise<T> {
  const { host, port, password } = address;
  const node = new Redis({
    host,
    port,
    ...(password === undefined ? {} : { password }),
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 5_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Without a listener ioredis would print every error as unhandled.
  let cause: Error | undefined;
  node.on("error", (error: Error) => {
    cause = error;
  });
  try {
    // A refused AUTH or ready check (NOAUTH, WRONGPASS) closes the connection, and connect()
    // only says "Connection is closed": the reason is the error the client emitted.
    await node.connect().catch((error: Error) => {
      throw cause ?? error;
    });
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
