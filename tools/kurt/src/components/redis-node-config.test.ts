import { loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { redisContainerCommand, redisContainerConfig } from "../containers/redis-cluster-containers.js";
import { redisConfigString, renderRedisNodeConfig } from "./redis-node-config.js";

const topology = loadTopology({ KURT_PORT_BASE: "31000" });
const port = topology.redis.ports[0] as number;
const PASSWORD = "0123456789abcdef0123456789abcdef";
const local = {
  bind: "127.0.0.1",
  dir: "/state/run/redis/31701",
  clusterConfigFile: "/state/run/redis/31701/nodes.conf",
  enableDebugCommand: "local",
} as const;

/** Directive → its arguments, as redis-server reads the file (one directive per line, `#` lines ignored). */
function directives(config: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of config.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.indexOf(" ");
    assert.ok(at > 0, `a directive with arguments: ${line}`);
    assert.not.ok(map.has(line.slice(0, at)), `${line.slice(0, at)} is set once`);
    map.set(line.slice(0, at), line.slice(at + 1));
  }
  return map;
}

test("a node's config makes clients and replicas prove the password", () => {
  const settings = directives(renderRedisNodeConfig(topology, port, local, PASSWORD));
  assert.is(settings.get("requirepass"), `"${PASSWORD}"`);
  assert.is(settings.get("masterauth"), `"${PASSWORD}"`);
});

test("a node's config has the topology's cluster settings", () => {
  const settings = directives(renderRedisNodeConfig(topology, port, local, PASSWORD));
  assert.is(settings.get("port"), String(port));
  assert.is(settings.get("bind"), "127.0.0.1");
  assert.is(settings.get("protected-mode"), "no");
  assert.is(settings.get("dir"), `"${local.dir}"`);
  assert.is(settings.get("cluster-enabled"), "yes");
  assert.is(settings.get("cluster-config-file"), `"${local.clusterConfigFile}"`);
  assert.is(settings.get("cluster-port"), String(topology.redis.busPorts[0]));
  assert.is(settings.get("cluster-node-timeout"), String(topology.redis.clusterNodeTimeoutMs));
  assert.is(settings.get("save"), '""');
  assert.is(settings.get("appendonly"), "no");
  assert.is(settings.get("repl-diskless-sync-delay"), "0");
  assert.is(settings.get("enable-debug-command"), "local");
  assert.is(settings.get("daemonize"), "no");
  assert.not.ok(settings.has("cluster-announce-ip"), "a local node tells its own address");
});

test("no value can break out of its line: quotes, backslashes and control characters are escaped", () => {
  assert.is(redisConfigString('a"b\\c'), '"a\\"b\\\\c"');
  assert.is(redisConfigString("x\nrequirepass \r\t"), '"x\\x0arequirepass \\x0d\\x09"');
  const hostile = 'pw"\nrequirepass ""\nmasterauth x';
  const config = renderRedisNodeConfig(topology, port, local, hostile);
  const settings = directives(config);
  assert.is(settings.get("requirepass"), redisConfigString(hostile));
  assert.is(config.match(/^requirepass /gm)?.length, 1, "one requirepass line");
});

test("a node without a password is refused", () => {
  assert.throws(() => renderRedisNodeConfig(topology, port, local, ""), /needs a password/);
});

test("a container node announces the pod's address and takes its settings from a file, never its command line", () => {
  const settings = directives(redisContainerConfig(topology, port, PASSWORD));
  assert.is(settings.get("bind"), "0.0.0.0");
  assert.is(settings.get("protected-mode"), "yes");
  assert.is(settings.get("cluster-announce-ip"), topology.host);
  assert.is(settings.get("cluster-announce-port"), String(port));
  assert.is(settings.get("cluster-announce-bus-port"), String(topology.redis.busPorts[0]));
  assert.is(settings.get("enable-debug-command"), "yes");
  assert.is(settings.get("requirepass"), `"${PASSWORD}"`);
  assert.is(settings.get("masterauth"), `"${PASSWORD}"`);
  const { file, command } = redisContainerCommand(port);
  assert.equal(command, ["redis-server", file]);
  assert.match(file, /^\/data\//, "in the folder the image's entrypoint gives to the redis user");
});

test.run();
