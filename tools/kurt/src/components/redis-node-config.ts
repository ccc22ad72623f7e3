import { redisBusPort, type Topology } from "@kurt/topology";

/**
 * The redis.conf of one node of Kurt's Redis Cluster. Every setting is in
 * the file rather than on redis-server's command line, because the file
 * holds the cluster's password (`requirepass` for clients, `masterauth` for
 * a replica's link to its master), and a command line is public to every
 * user of the machine (`ps`). The launcher rewrites the file, mode 0600, at
 * every start of the node, so a node whose folder predates the password
 * comes back with it.
 */

/** Where the node runs: what differs between the launcher's process and a container in the pod. */
export interface RedisNodePlacement {
  /** Address the node listens on. */
  readonly bind: string;
  /** Folder of the node's own files; the process's working folder when left out. */
  readonly dir?: string;
  readonly clusterConfigFile: string;
  /** `local` unless the tests' DEBUG reaches the node from what it sees as another machine (a container). */
  readonly enableDebugCommand: "local" | "yes";
  /** Address given to clients and the other nodes, when the node cannot tell it itself (a container). */
  readonly announceIp?: string;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

/**
 * A redis.conf argument in double quotes. Redis reads `\\`, `\"` and `\xHH`
 * inside them, so no value can end the line and start another directive.
 */
export function redisConfigString(value: string): string {
  let escaped = "";
  for (const c of value) {
    const code = c.charCodeAt(0);
    if (c === "\\" || c === '"') escaped += `\\${c}`;
    else if (code < 0x20 || code === 0x7f) escaped += `\\x${code.toString(16).padStart(2, "0")}`;
    else escaped += c;
  }
  return `"${escaped}"`;
}

export function renderRedisNodeConfig(
  topology: Topology,
  port: number,
  placement: RedisNodePlacement,
  password: string,
): string {
  if (password === "") throw new Error("the Redis Cluster needs a password");
  const busPort = redisBusPort(topology, port);
  const lines = [
    `# Redis Cluster node ${port} of Kurt, rewritten at each start (tools/kurt/src/components/redis-node-config.ts).`,
    "# It holds the cluster's password: readable by its owner only.",
    `port ${port}`,
    `bind ${placement.bind}`,
    // Protected mode only guards a node reachable from other machines; the password guards it from everyone.
    `protected-mode ${isLoopback(placement.bind) ? "no" : "yes"}`,
    ...(placement.dir === undefined ? [] : [`dir ${redisConfigString(placement.dir)}`]),
    "cluster-enabled yes",
    `cluster-config-file ${redisConfigString(placement.clusterConfigFile)}`,
    `cluster-port ${busPort}`,
    `cluster-node-timeout ${topology.redis.clusterNodeTimeoutMs}`,
    ...(placement.announceIp === undefined
      ? []
      : [
          `cluster-announce-ip ${placement.announceIp}`,
          `cluster-announce-port ${port}`,
          `cluster-announce-bus-port ${busPort}`,
        ]),
    'save ""',
    "appendonly no",
    "repl-diskless-sync-delay 0",
    // Failover tests crash nodes with DEBUG SEGFAULT / DEBUG SLEEP.
    `enable-debug-command ${placement.enableDebugCommand}`,
    "daemonize no",
    // Clients (the services, the launcher, redis-cli) prove this password as the `default` user…
    `requirepass ${redisConfigString(password)}`,
    // …and so does a replica to its master, or it could not sync.
    `masterauth ${redisConfigString(password)}`,
  ];
  return `${lines.join("\n")}\n`;
}
