import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CLICKS_TOPIC, LINKS_TOPIC } from "@kurt/contract";
import {
  buildDescriptorSet,
  COMPOSE_ENVOY_DIR,
  COMPOSE_ENVOY_FILES,
  COMPOSE_ENVOY_MOUNTS,
  composeTopology,
  renderComposeEnvoyConfig,
} from "@kurt/gateway";
import { KAFKA_TOPICS } from "@kurt/jobs/kafka-topics";
import { SERVICE_NAMES } from "@kurt/topology";
import { Ajv, type ErrorObject } from "ajv";
import { DockerfileParser } from "dockerfile-ast";
import { validate as validateDockerfile } from "dockerfile-utils";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { IMAGE_ENTRIES } from "../bundles.js";
import { kafkaServerProperties } from "../components/kafka-server-properties.js";
import { renderPatroniDynamicConfig } from "../components/patroni-config.js";
import { renderPgBouncerFiles } from "../components/pgbouncer-config.js";
import { POSTGRES_BIN } from "../components/postgres-cluster.js";
import { ROUTER_CLUSTERS } from "../components/postgres-router-config.js";
import { renderRedisNodeConfig } from "../components/redis-node-config.js";
import { resolvePaths } from "../paths.js";
import { serviceEnvironment } from "../service-environment.js";
import {
  COMPOSE_PATRONI,
  COMPOSE_POSTGRES_ROUTER,
  composePatroniMemberEnvironment,
  renderComposePatroniConfig,
  renderComposePostgresRouterConfig,
  writeComposePostgresRouterConfig,
} from "./compose-postgres.js";
import { COMPOSE_ONLY_IMAGES, CONTAINER_IMAGES } from "./images.js";
import { KAFKA_CONTAINER_DATA_DIR, kafkaPropertyName, parseProperties } from "./kafka-container-environment.js";

// No container engine runs here: compose.yaml and the Dockerfile are checked
// by real parsers and schemas, and against the topology ./kurt up runs.
// The image test (images.ts) lives in containers.test.ts.

// biome-ignore lint/suspicious/noExplicitAny: walking compose's and Envoy's untyped YAML
type Loose = any;

const root = resolvePaths({}).root;
const composeText = readFileSync(path.join(root, "compose.yaml"), "utf8");
const compose: Loose = parse(composeText, { merge: true });
const topology = composeTopology();
const dockerfileText = readFileSync(path.join(root, "Dockerfile"), "utf8");

// --- compose-spec ----------------------------------------------------------

let compiled: ((document: unknown) => ErrorObject[]) | undefined;

function composeValidator(): (document: unknown) => ErrorObject[] {
  compiled ??= compileComposeSchema();
  return compiled;
}

function compileComposeSchema(): (document: unknown) => ErrorObject[] {
  const schema = JSON.parse(readFileSync(new URL("./compose-spec/compose-spec.json", import.meta.url), "utf8"));
  // The schema names draft-07 by its https address; Ajv knows draft-07 by its http one.
  delete schema.$schema;
  // Unknown keywords still fail (strictSchema); strictTypes only lints a schema's
  // style (union types, keywords without their type) and is not how Compose reads it.
  const ajv = new Ajv({ allErrors: true, strictSchema: true, strictTypes: false });
  const validate = ajv.compile(schema);
  return (document) => (validate(document) ? [] : [...(validate.errors ?? [])]);
}

const describeErrors = (errors: ErrorObject[]) =>
  errors.map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`).join("\n");

test("compose.yaml is valid against the compose-spec JSON schema", () => {
  const errors = composeValidator()(compose);
  assert.equal(errors, [], describeErrors(errors));
});

test("the schema rejects broken copies of compose.yaml, naming where", () => {
  const validate = composeValidator();
  const misspelt: Loose = parse(
    composeText.replace("    deploy:\n      replicas: 2", "    deploy:\n      replica: 2"),
    {
      merge: true,
    },
  );
  const errors = validate(misspelt);
  assert.ok(errors.length > 0, "a misspelt deploy key is refused");
  assert.match(describeErrors(errors), /\/services\/shortener\/deploy .*additional properties.*"replica"/);
  const badPorts: Loose = parse(composeText, { merge: true });
  badPorts.services.envoy.ports = { http: 24080 };
  assert.match(describeErrors(validate(badPorts)), /\/services\/envoy\/ports must be array/);
  const badCondition: Loose = parse(composeText, { merge: true });
  badCondition.services["kafka-topics"].depends_on.kafka.condition = "service_ready";
  assert.match(
    describeErrors(validate(badCondition)),
    /\/services\/kafka-topics\/depends_on\/kafka\/condition must be equal to one of the allowed values/,
  );
});

// --- the same topology as ./kurt up ----------------------------------------

const env = (service: string): Loose => compose.services[service].environment;

test("Kurt's services, their replicas and their ports are the topology's", () => {
  for (const name of SERVICE_NAMES) {
    const service = compose.services[name];
    assert.ok(service, `compose.yaml has ${name}`);
    assert.is(service.deploy.replicas, topology.services[name].grpcPorts.length, `${name} replicas`);
    assert.is(Number(service.environment.KURT_GRPC_PORT), topology.services[name].grpcPorts[0], `${name} gRPC port`);
    assert.is(
      Number(service.environment.KURT_METRICS_PORT),
      topology.services[name].metricsPorts[0],
      `${name} metrics port`,
    );
    assert.is(
      service.environment.KURT_HTTP_PORT === undefined ? undefined : Number(service.environment.KURT_HTTP_PORT),
      topology.services[name].httpPorts[0],
      `${name} HTTP port`,
    );
    assert.is(service.build.target, name, `${name} is the Dockerfile's ${name} target`);
    assert.equal(Object.keys(service.depends_on).sort(), [
      "kafka-topics",
      "migrate",
      "pgbouncer",
      "redis-cluster-init",
    ]);
  }
  const { KURT_PUBLIC_URL } = serviceEnvironment(topology);
  assert.is(env("resolver").KURT_PUBLIC_URL, `\${KURT_PUBLIC_URL:-${KURT_PUBLIC_URL}}`);
});

test("the gateway publishes the topology's Envoy ports, on loopback only", () => {
  const { httpPort, grpcPort, adminPort } = topology.envoy;
  assert.equal(
    compose.services.envoy.ports,
    [httpPort, grpcPort, adminPort].map((port) => `127.0.0.1:${port}:${port}`),
  );
  const published = Object.entries(compose.services as Record<string, Loose>).filter(([, s]) => s.ports);
  assert.equal(
    published.map(([name]) => name),
    ["envoy"],
    "nothing but the gateway is reachable from the host",
  );
});

/** Directive → arguments of a redis.conf, quotes taken off a single quoted argument. */
function redisDirectives(config: string): Map<string, string> {
  return new Map(
    config
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => {
        const [name, ...rest] = line.split(" ");
        return [name as string, rest.join(" ").replace(/^"(.*)"$/, "$1")];
      }),
  );
}

const PASSWORD_FROM_ENV = /^\$\{KURT_REDIS_PASSWORD:\?[^}]*\}$/;

test("the Redis Cluster has the launcher's six nodes and settings", () => {
  const nodes = Object.keys(compose.services).filter((name) => /^redis-\d+$/.test(name));
  assert.is(nodes.length, topology.redis.ports.length);
  assert.is(env("shortener").KURT_REDIS_NODES, nodes.map((node) => `${node}:6379`).join(","));
  const port = topology.redis.ports[0] as number;
  const placement = { bind: "127.0.0.1", clusterConfigFile: "nodes.conf", enableDebugCommand: "local" } as const;
  const local = redisDirectives(renderRedisNodeConfig(topology, port, placement, "x"));
  for (const node of nodes) {
    const command: string[] = compose.services[node].command;
    const flag = (name: string) => command[command.indexOf(name) + 1];
    for (const name of ["cluster-enabled", "cluster-node-timeout", "save", "appendonly", "repl-diskless-sync-delay"])
      assert.is(flag(`--${name}`), local.get(name), `${node} ${name}`);
  }
  assert.match(compose.services["redis-cluster-init"].command[0], /--cluster-replicas 1 /);
});

test("every Redis node demands the password from .env, and every client of the cluster proves it", () => {
  const auth = redisDirectives(compose.configs["redis-auth"].content);
  assert.equal([...auth.keys()], ["requirepass", "masterauth"]);
  for (const value of auth.values()) assert.match(value, PASSWORD_FROM_ENV);
  for (const node of Object.keys(compose.services).filter((name) => /^redis-\d+$/.test(name))) {
    const service = compose.services[node];
    const mounted = service.configs.find((c: Loose) => c.source === "redis-auth");
    assert.ok(mounted, `${node} mounts redis-auth`);
    assert.is(service.command[1], mounted.target, `${node} reads it as its config file`);
    assert.match(service.environment.REDISCLI_AUTH, PASSWORD_FROM_ENV, `${node}'s health check proves it`);
  }
  assert.match(env("redis-cluster-init").REDISCLI_AUTH, PASSWORD_FROM_ENV);
  for (const name of ["shortener", "resolver"]) assert.match(env(name).KURT_REDIS_PASSWORD, PASSWORD_FROM_ENV, name);
  // Neither a password argument of redis-server nor one of redis-cli: both would show in `ps`.
  assert.not.match(composeText, /--requirepass|--masterauth|redis-cli[^\n]* -a /);
});

test("Kafka runs the launcher's server.properties, addresses aside, and the topics are created first", () => {
  const local = parseProperties(kafkaServerProperties(topology, KAFKA_CONTAINER_DATA_DIR));
  const addresses = ["listeners", "advertised.listeners", "controller.quorum.bootstrap.servers"];
  for (const key of addresses) local.delete(key);
  const kafka = env("kafka");
  const properties = new Map(
    Object.entries(kafka)
      .filter(([name]) => name.startsWith("KAFKA_"))
      .map(([name, value]) => [kafkaPropertyName(name.slice("KAFKA_".length)), String(value)]),
  );
  for (const [key, value] of local) assert.is(properties.get(key), value, key);
  const extra = [...properties.keys()].filter((key) => !local.has(key));
  assert.equal(extra.sort(), ["advertised.listeners", "controller.quorum.voters", "listeners"]);
  assert.is(properties.get("advertised.listeners"), env("shortener").KURT_KAFKA_BROKERS.replace(/^/, "PLAINTEXT://"));
  // The partitions come from the code the launcher runs, not from auto-creation's num.partitions.
  assert.equal(
    KAFKA_TOPICS.map((t) => t.topic),
    [LINKS_TOPIC, CLICKS_TOPIC],
  );
  const job = compose.services["kafka-topics"];
  assert.is(job.build.target, "kafka-topics");
  assert.is(job.environment.KURT_KAFKA_BROKERS, env("shortener").KURT_KAFKA_BROKERS);
  assert.is(job.depends_on.kafka.condition, "service_healthy");
  for (const name of SERVICE_NAMES)
    assert.is(compose.services[name].depends_on["kafka-topics"].condition, "service_completed_successfully");
});

test("PgBouncer runs the launcher's pgbouncer.ini, with the Postgres router as its backend", () => {
  const settings = (ini: string) =>
    new Map(
      ini
        .split("\n")
        .filter((line) => /^\w+ = /.test(line) || /^\w+ =$/.test(line))
        .map((line) => line.split(/ =\s?/, 2) as [string, string]),
    );
  const local = settings(renderPgBouncerFiles("/etc/pgbouncer", topology, "SCRAM-SHA-256$4096:a$b:c").ini);
  const container = settings(compose.configs["pgbouncer-ini"].content);
  const { primaryDatabase, replicaDatabase } = topology.pgbouncer;
  const { primaryPort, replicaPort } = topology.postgres;
  // Locally the router's two ports on the loopback; here the same ports on the router's container.
  const router = COMPOSE_POSTGRES_ROUTER.service;
  for (const [database, port] of [
    [primaryDatabase, primaryPort],
    [replicaDatabase, replicaPort],
  ] as const) {
    assert.is(local.get(database), `host=${topology.host} port=${port} dbname=${topology.postgres.database}`);
    assert.is(container.get(database), `host=${router} port=${port} dbname=${topology.postgres.database}`);
  }
  const addresses = new Set([primaryDatabase, replicaDatabase, "listen_addr", "listen_port"]);
  for (const [key, value] of local) if (!addresses.has(key)) assert.is(container.get(key), value, key);
  assert.equal(
    [...container.keys()].filter((key) => !local.has(key)),
    [],
  );
  const port = container.get("listen_port");
  assert.match(env("shortener").KURT_PG_PRIMARY_URL, new RegExp(`@pgbouncer:${port}/${primaryDatabase}$`));
  assert.match(env("shortener").KURT_PG_REPLICA_URL, new RegExp(`@pgbouncer:${port}/${replicaDatabase}$`));
  // Migrations need a session (an advisory lock): to the leader through the router, not through PgBouncer.
  for (const job of ["migrate", "admin-key"])
    assert.match(env(job).KURT_PG_PRIMARY_URL, new RegExp(`@${router}:${primaryPort}/kurt$`), job);
  const pgbouncer = compose.services.pgbouncer;
  assert.equal(pgbouncer.depends_on, {
    [router]: { condition: "service_healthy" },
    "postgres-init": { condition: "service_completed_successfully" },
  });
  assert.equal(compose.services.migrate.depends_on, {
    "postgres-init": { condition: "service_completed_successfully" },
  });
  assert.equal(compose.services["admin-key"].depends_on, { migrate: { condition: "service_completed_successfully" } });
});

// --- Postgres: the launcher's Patroni cluster ----------------------------------

const members = topology.postgres.members;
const etcdMembers: readonly string[] = COMPOSE_PATRONI.etcdMembers;
const patroniConfig: Loose = parse(compose.configs.patroni.content);
const allHealthy = (names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, { condition: "service_healthy" }]));
const hostPort = (address: string) => {
  const [host, port] = address.split(":");
  return { host, port: Number(port) };
};
/** A shell script as the container receives it: Compose turns `$$` into `$`. */
const interpolated = (script: string) => script.replaceAll("$$", "$");

test("etcd is three members of one cluster, each named in the initial cluster by its compose name", () => {
  const { etcdClientPort, etcdPeerPort } = COMPOSE_PATRONI;
  const initial = etcdMembers.map((name) => `${name}=http://${name}:${etcdPeerPort}`).join(",");
  for (const name of etcdMembers) {
    const service = compose.services[name];
    assert.ok(service, `compose.yaml has ${name}`);
    assert.is(service.image, COMPOSE_ONLY_IMAGES.etcd, name);
    const e = service.environment;
    assert.is(e.ETCD_NAME, name);
    assert.is(e.ETCD_INITIAL_CLUSTER, initial, `${name} knows all three peers`);
    assert.is(e.ETCD_INITIAL_CLUSTER_STATE, "new");
    assert.is(e.ETCD_ADVERTISE_CLIENT_URLS, `http://${name}:${etcdClientPort}`);
    assert.is(e.ETCD_INITIAL_ADVERTISE_PEER_URLS, `http://${name}:${etcdPeerPort}`);
    assert.is(e.ETCD_LISTEN_CLIENT_URLS, `http://0.0.0.0:${etcdClientPort}`);
    assert.is(e.ETCD_LISTEN_PEER_URLS, `http://0.0.0.0:${etcdPeerPort}`);
    // Its data in its own volume; a folder below the mount, which etcd creates with mode 0700.
    const [volume, mount] = (service.volumes[0] as string).split(":");
    assert.is(volume, `${name}-data`);
    assert.ok(e.ETCD_DATA_DIR.startsWith(`${mount}/`), `${name}'s data is in its volume`);
    assert.ok(Object.hasOwn(compose.volumes, volume as string), `${volume} is declared`);
    assert.equal(service.healthcheck.test.slice(-2), ["endpoint", "health"], `${name} is healthy within a quorum`);
    assert.ok(
      service.healthcheck.test.includes(`--endpoints=http://127.0.0.1:${etcdClientPort}`),
      `${name} checks itself`,
    );
  }
  // Patroni is given every member, by the addresses they advertise.
  assert.equal(
    patroniConfig.etcd3.hosts.split(",").map((h: string) => `http://${h}`),
    etcdMembers.map((name) => compose.services[name].environment.ETCD_ADVERTISE_CLIENT_URLS),
  );
});

test("every Patroni member reads the launcher's settings: renderPatroniConfig, addresses and passwords aside", () => {
  assert.equal(patroniConfig, JSON.parse(JSON.stringify(renderComposePatroniConfig(topology))));
  // The shared settings, which the first member writes into etcd, are renderPatroniDynamicConfig's.
  assert.equal(patroniConfig.bootstrap.dcs, JSON.parse(JSON.stringify(renderPatroniDynamicConfig())));
  const dcs = patroniConfig.bootstrap.dcs;
  assert.is(dcs.synchronous_mode, true);
  assert.is(dcs.synchronous_mode_strict, false);
  assert.is(dcs.failsafe_mode, true);
  assert.is(dcs.postgresql.use_pg_rewind, true);
  assert.is(patroniConfig.postgresql.remove_data_directory_on_rewind_failure, true);
  assert.is(patroniConfig.postgresql.remove_data_directory_on_diverged_timelines, true);
  assert.is(patroniConfig.scope, topology.postgres.cluster);
  // No password in the file: Patroni takes them from PATRONI_SUPERUSER_PASSWORD and PATRONI_REPLICATION_PASSWORD.
  for (const [role, entry] of Object.entries(patroniConfig.postgresql.authentication as Record<string, Loose>))
    assert.equal(Object.keys(entry), ["username"], role);
  for (const line of patroniConfig.postgresql.pg_hba as string[]) {
    if (line.startsWith("host")) assert.ok(line.endsWith(" scram-sha-256"), line);
    else assert.ok(line.startsWith("local "), line);
  }
  // The data folder is below the volume: Patroni removes and re-clones it, which a mount point would refuse.
  assert.ok(patroniConfig.postgresql.data_dir.startsWith(`${COMPOSE_PATRONI.volume}/`));
  assert.equal(hostPort(patroniConfig.restapi.listen), { host: "0.0.0.0", port: COMPOSE_PATRONI.restPort });
  assert.equal(hostPort(patroniConfig.postgresql.listen), { host: "0.0.0.0", port: COMPOSE_PATRONI.postgresPort });
});

test("the three Patroni members: the topology's names, one volume each, health-checked on Patroni's REST API", () => {
  const all = stages(dockerfileText);
  const patroni = all.find((s) => s.name === "patroni");
  assert.ok(patroni, "the Dockerfile has a patroni target");
  assert.equal(JSON.parse(effective(all, patroni, "CMD") ?? "null"), ["patroni", COMPOSE_PATRONI.configFile]);
  for (const member of members) {
    const service = compose.services[member.name];
    assert.ok(service, `compose.yaml has ${member.name}`);
    assert.is(service.build.target, "patroni", member.name);
    assert.equal(
      service.configs.find((c: Loose) => c.source === "patroni"),
      { source: "patroni", target: COMPOSE_PATRONI.configFile },
      `${member.name} reads the patroni config`,
    );
    const { PATRONI_SUPERUSER_PASSWORD, PATRONI_REPLICATION_PASSWORD, ...own } = service.environment;
    assert.equal(own, composePatroniMemberEnvironment(member), `${member.name}'s name and addresses`);
    assert.match(PATRONI_SUPERUSER_PASSWORD, /^\$\{KURT_PG_SUPERUSER_PASSWORD:\?[^}]*\}$/);
    assert.match(PATRONI_REPLICATION_PASSWORD, /^\$\{KURT_PG_REPLICATION_PASSWORD:\?[^}]*\}$/);
    assert.equal(service.volumes, [`${member.name}-data:${COMPOSE_PATRONI.volume}`]);
    assert.ok(Object.hasOwn(compose.volumes, `${member.name}-data`));
    assert.equal(service.healthcheck.test, [
      "CMD",
      "curl",
      "-fsS",
      "-o",
      "/dev/null",
      `http://127.0.0.1:${COMPOSE_PATRONI.restPort}/health`,
    ]);
    assert.equal(service.depends_on, allHealthy(etcdMembers), `${member.name} starts once etcd has a quorum`);
  }
});

test("the Postgres router is the launcher's, reaching all three members on Postgres and Patroni's REST ports", () => {
  const router = compose.services[COMPOSE_POSTGRES_ROUTER.service];
  assert.is(router.image, CONTAINER_IMAGES.envoy, "the gateway's Envoy image");
  const mount = router.volumes.find((v: Loose) => v.target === COMPOSE_ENVOY_MOUNTS.configDir);
  assert.equal(mount, {
    type: "bind",
    source: `./${COMPOSE_ENVOY_DIR}`,
    target: COMPOSE_ENVOY_MOUNTS.configDir,
    read_only: true,
  });
  assert.is(
    COMPOSE_POSTGRES_ROUTER.configFile,
    path.posix.join(COMPOSE_ENVOY_MOUNTS.configDir, COMPOSE_POSTGRES_ROUTER.file),
  );
  assert.equal(router.command.slice(0, 3), ["envoy", "-c", COMPOSE_POSTGRES_ROUTER.configFile]);
  const config: Loose = parse(readFileSync(path.join(composeEnvoyDir, COMPOSE_POSTGRES_ROUTER.file), "utf8"));
  assert.equal(config, JSON.parse(JSON.stringify(renderComposePostgresRouterConfig(topology))), "npm run generate");
  const cluster = (name: string): Loose => config.static_resources.clusters.find((c: Loose) => c.name === name);
  for (const [name, role] of [
    [ROUTER_CLUSTERS.leader, "/primary"],
    [ROUTER_CLUSTERS.async, "/async"],
    [ROUTER_CLUSTERS.replica, "/replica"],
  ] as const) {
    const c = cluster(name);
    assert.is(c.type, "STRICT_DNS", name);
    assert.is(c.health_checks[0].http_health_check.path, role, name);
    assert.equal(
      c.load_assignment.endpoints.flatMap((e: Loose) =>
        e.lb_endpoints.map((lb: Loose) => [
          lb.endpoint.address.socket_address.address,
          lb.endpoint.address.socket_address.port_value,
          lb.endpoint.health_check_config.port_value,
        ]),
      ),
      members.map((m) => [
        m.name,
        hostPort(patroniConfig.postgresql.listen).port,
        hostPort(patroniConfig.restapi.listen).port,
      ]),
      `${name}: every member, checked on its Patroni REST port`,
    );
    for (const m of members)
      assert.is(compose.services[m.name].build.target, "patroni", `${m.name} is a Patroni member`);
  }
  assert.equal(cluster(ROUTER_CLUSTERS.read).cluster_type.typed_config.clusters, [
    ROUTER_CLUSTERS.async,
    ROUTER_CLUSTERS.replica,
    ROUTER_CLUSTERS.leader,
  ]);
  const listeners = new Map(
    config.static_resources.listeners.map((l: Loose) => [
      l.filter_chains[0].filters[0].typed_config.cluster,
      l.address.socket_address,
    ]),
  );
  assert.equal(listeners.get(ROUTER_CLUSTERS.leader), {
    address: "0.0.0.0",
    port_value: topology.postgres.primaryPort,
  });
  assert.equal(listeners.get(ROUTER_CLUSTERS.read), { address: "0.0.0.0", port_value: topology.postgres.replicaPort });
  assert.equal(config.admin.address.socket_address, {
    address: "0.0.0.0",
    port_value: topology.postgres.routerAdminPort,
  });
  // Healthy once it routes writes to a leader and reads to a replica, as ./kurt up waits for.
  const check = router.healthcheck.test;
  assert.equal(check.slice(0, 3), ["CMD", "bash", "-c"]);
  const script = interpolated(check[3]);
  execFileSync("bash", ["-n", "-c", script]);
  assert.match(script, `/dev/tcp/127.0.0.1/${topology.postgres.routerAdminPort}`);
  for (const name of [ROUTER_CLUSTERS.leader, ROUTER_CLUSTERS.replica])
    assert.match(script, `'^cluster\\.${name}\\.membership_healthy: [1-9]'`, name);
  assert.match(script, /^set -e$/m, "every check counts, not only the last");
  assert.equal(router.depends_on, allHealthy(members.map((m) => m.name)));
});

test("postgres-init sends the shared settings to Patroni and makes the app's role and database on the leader", () => {
  const job = compose.services["postgres-init"];
  assert.is(job.build.target, "patroni");
  assert.is(job.restart, "no");
  assert.equal(job.depends_on, { [COMPOSE_POSTGRES_ROUTER.service]: { condition: "service_healthy" } });
  assert.equal(job.configs, [{ source: "patroni", target: COMPOSE_PATRONI.configFile }]);
  assert.match(job.environment.PGPASSWORD, /^\$\{KURT_PG_SUPERUSER_PASSWORD:\?[^}]*\}$/);
  assert.match(job.environment.KURT_PG_PASSWORD, /^\$\{KURT_PG_PASSWORD:\?[^}]*\}$/);
  assert.equal(job.entrypoint, ["bash", "-c"]);
  const script = interpolated(job.command[0]);
  execFileSync("bash", ["-n", "-c", script]);
  assert.match(script, `for member in ${members.map((m) => m.name).join(" ")}; do`);
  assert.match(script, `"http://$member:${COMPOSE_PATRONI.restPort}/config"`);
  assert.match(script, `["bootstrap"]["dcs"]`);
  assert.match(script, `open("${COMPOSE_PATRONI.configFile}")`);
  assert.match(script, ` -h ${COMPOSE_POSTGRES_ROUTER.service} -p ${topology.postgres.primaryPort} -U postgres `);
  const { user, database } = topology.postgres;
  assert.match(script, `create role ${user} login`);
  assert.match(script, `alter role ${user} login password :'app_password';`);
  assert.match(script, `create database ${database} owner ${user}`);
  assert.match(script, `grant pg_read_all_stats to ${user};`);
  assert.match(script, `grant execute on function pg_wal_replay_pause(), pg_wal_replay_resume() to ${user};`);
  assert.match(script, /^set -euo pipefail$/m);
});

// --- no secret in the file ---------------------------------------------------

/** Every literal that looks like a credential; a value from .env (`${NAME:?…}`) is not one. */
function literalSecrets(text: string): string[] {
  const fromEnv = /^\$\{[A-Z0-9_]+(:\?[^}]*)?\}$/;
  const found: string[] = [];
  for (const match of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:(\$\{[^}]*\}|[^@\s]+)@/g))
    if (!fromEnv.test(match[1] as string)) found.push(`a password in the URL ${match[0]}`);
  for (const match of text.matchAll(/^\s*([A-Z0-9_]*(PASSWORD|SECRET|TOKEN|AUTH)[A-Z0-9_]*):\s*(.+)$/gm))
    if (!fromEnv.test((match[3] as string).trim())) found.push(`${match[1]} is written in the file`);
  for (const match of text.matchAll(/^\s*(requirepass|masterauth)\s+"?([^"\n]*)"?\s*$/gm))
    if (!fromEnv.test(match[2] as string)) found.push(`${match[1]} is written in the file`);
  for (const match of text.matchAll(/^\s*"[^"]+" "([^"]*)"\s*$/gm))
    if (!fromEnv.test(match[1] as string)) found.push(`a userlist password ${match[0].trim()}`);
  return found;
}

test("compose.yaml holds no secret: passwords come from .env, which git ignores", () => {
  assert.equal(literalSecrets(composeText), []);
  assert.match(composeText, /\$\{KURT_PG_PASSWORD:\?/);
  assert.match(readFileSync(path.join(root, ".gitignore"), "utf8"), /^\.env$/m);
  assert.match(readFileSync(path.join(root, ".dockerignore"), "utf8"), /^\.env$/m);
  const leaked = composeText.replace(
    /postgres:\/\/kurt:\$\{KURT_PG_PASSWORD:\?[^}]*\}@pgbouncer/,
    "postgres://kurt:hunter2@pgbouncer",
  );
  assert.equal(literalSecrets(leaked), ["a password in the URL postgres://kurt:hunter2@"]);
  assert.equal(literalSecrets("      POSTGRES_PASSWORD: hunter2\n"), ["POSTGRES_PASSWORD is written in the file"]);
  assert.match(composeText, /\$\{KURT_REDIS_PASSWORD:\?/);
  assert.match(composeText, /\$\{KURT_PG_REPLICATION_PASSWORD:\?/);
  assert.equal(literalSecrets("      PATRONI_REPLICATION_PASSWORD: hunter2\n"), [
    "PATRONI_REPLICATION_PASSWORD is written in the file",
  ]);
  assert.equal(
    literalSecrets('      requirepass "hunter2"\n      masterauth hunter2\n      REDISCLI_AUTH: hunter2\n'),
    ["REDISCLI_AUTH is written in the file", "requirepass is written in the file", "masterauth is written in the file"],
  );
});

// --- Envoy ----------------------------------------------------------------------

const composeEnvoyDir = path.join(root, COMPOSE_ENVOY_DIR);

test("the committed compose Envoy configuration is what gateway/ renders now", async () => {
  const committed = parse(readFileSync(path.join(composeEnvoyDir, COMPOSE_ENVOY_FILES.config), "utf8"));
  assert.equal(committed, JSON.parse(JSON.stringify(renderComposeEnvoyConfig())));
  const dir = mkdtempSync(path.join(tmpdir(), "kurt-compose-pb-"));
  try {
    const fresh = await buildDescriptorSet(root, path.join(dir, COMPOSE_ENVOY_FILES.descriptorSet));
    assert.ok(
      readFileSync(fresh).equals(readFileSync(path.join(composeEnvoyDir, COMPOSE_ENVOY_FILES.descriptorSet))),
      "envoy/compose/kurt.pb is the descriptor set of proto/ (npm run generate)",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the committed Postgres router configuration is what tools/kurt renders now", () => {
  const committed = readFileSync(path.join(composeEnvoyDir, COMPOSE_POSTGRES_ROUTER.file), "utf8");
  const dir = mkdtempSync(path.join(tmpdir(), "kurt-compose-router-"));
  try {
    assert.is(committed, readFileSync(writeComposePostgresRouterConfig(dir), "utf8"), "npm run generate");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Envoy finds each service's replicas by its compose name, balances LEAST_REQUEST and health-checks them", () => {
  const config: Loose = parse(readFileSync(path.join(composeEnvoyDir, COMPOSE_ENVOY_FILES.config), "utf8"));
  for (const name of SERVICE_NAMES) {
    const cluster = config.static_resources.clusters.find((c: Loose) => c.name === name);
    assert.is(cluster.type, "STRICT_DNS", name);
    assert.is(cluster.lb_policy, "LEAST_REQUEST", name);
    const endpoints = cluster.load_assignment.endpoints[0].lb_endpoints;
    assert.is(endpoints.length, 1, `${name}: one name, one host per address it resolves to`);
    assert.equal(endpoints[0].endpoint.address.socket_address, {
      address: name,
      port_value: Number(env(name).KURT_GRPC_PORT),
    });
    assert.equal(cluster.health_checks[0].grpc_health_check, { service_name: "" }, name);
  }
  const envoy = compose.services.envoy;
  const mounts = new Map(envoy.volumes.map((v: Loose) => [v.target, v]));
  assert.is((mounts.get(COMPOSE_ENVOY_MOUNTS.configDir) as Loose).source, `./${COMPOSE_ENVOY_DIR}`);
  assert.is((mounts.get(COMPOSE_ENVOY_MOUNTS.luaDir) as Loose).source, "./envoy/lua");
  assert.equal(envoy.command.slice(0, 3), [
    "envoy",
    "-c",
    path.posix.join(COMPOSE_ENVOY_MOUNTS.configDir, COMPOSE_ENVOY_FILES.config),
  ]);
  const listeners = config.static_resources.listeners.map((l: Loose) => l.address.socket_address);
  for (const address of [...listeners, config.admin.address.socket_address]) assert.is(address.address, "0.0.0.0");
});

// --- Dockerfile ------------------------------------------------------------------

interface Stage {
  readonly name: string | undefined;
  readonly instructions: Array<{ keyword: string; args: string }>;
}

function stages(text: string): Stage[] {
  const result: Array<{ name: string | undefined; instructions: Array<{ keyword: string; args: string }> }> = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArgumentsContent() ?? "";
    if (keyword === "FROM") result.push({ name: / AS (\S+)$/i.exec(args)?.[1], instructions: [] });
    result.at(-1)?.instructions.push({ keyword, args });
  }
  return result;
}

/** A stage's setting, inherited from the stage it is built FROM when it sets none. */
function effective(all: Stage[], stage: Stage, keyword: string): string | undefined {
  const own = stage.instructions.filter((i) => i.keyword === keyword).at(-1);
  if (own) return own.args;
  const base = /^(\S+)/.exec(stage.instructions[0]?.args ?? "")?.[1];
  const parent = all.find((s) => s.name === base);
  return parent ? effective(all, parent, keyword) : undefined;
}

test("the Dockerfile is well-formed, and a broken copy is not", () => {
  assert.equal(validateDockerfile(dockerfileText), []);
  const broken = validateDockerfile(dockerfileText.replace("HEALTHCHECK --interval", "HEALTHCHEK --interval"));
  assert.equal(
    broken.map((p) => p.message),
    ["Unknown instruction: HEALTHCHEK"],
  );
});

test("every image target compose builds exists, runs as a non-root user, and services check grpc.health.v1", () => {
  const all = stages(dockerfileText);
  const built = Object.entries(compose.services as Record<string, Loose>).filter(([, s]) => s.build);
  const patroniServices = [...members.map((m) => m.name), "postgres-init"];
  assert.equal(built.map(([name]) => name).sort(), [
    "admin-key",
    "clicklog",
    "kafka-topics",
    "migrate",
    ...patroniServices,
    "resolver",
    "shortener",
  ]);
  for (const [name, service] of built) {
    assert.is(service.build.dockerfile, "Dockerfile");
    const stage = all.find((s) => s.name === service.build.target);
    assert.ok(stage, `the Dockerfile has a ${service.build.target} target`);
    const user = effective(all, stage, "USER");
    assert.ok(user !== undefined && !/^(root|0)(:|$)/.test(user), `${name} runs as ${user}, not root`);
    if (patroniServices.includes(name)) {
      assert.is(service.build.target, "patroni", name);
      continue;
    }
    const entry = IMAGE_ENTRIES[name as keyof typeof IMAGE_ENTRIES];
    const inImage = (bundle: string) => path.posix.join(effective(all, stage, "WORKDIR") ?? "/", bundle);
    assert.equal(
      JSON.parse(effective(all, stage, "CMD") ?? "null"),
      ["node", inImage(entry.bundle)],
      `${name}'s command`,
    );
    const healthcheck = effective(all, stage, "HEALTHCHECK");
    if ((SERVICE_NAMES as readonly string[]).includes(name)) {
      assert.match(healthcheck ?? "", `CMD ["node", "${inImage(IMAGE_ENTRIES.healthcheck.bundle)}"]`, name);
    } else {
      assert.is(healthcheck, "NONE", `the one-shot ${name} has no health check`);
    }
  }
  const runtime = all.find((s) => s.name === "runtime")?.instructions[0]?.args;
  assert.match(runtime ?? "", /^\$\{NODE_IMAGE\} AS runtime$/);
  assert.match(dockerfileText, /^ARG NODE_IMAGE=node:20[.\d]*-bookworm-slim$/m, "a small runtime image");
});

test("the patroni target installs what ./kurt up runs: Debian 12's postgresql-15 and patroni 3.0.2", () => {
  const all = stages(dockerfileText);
  const patroni = all.find((s) => s.name === "patroni") as Stage;
  assert.is(patroni.instructions[0]?.args, "debian:12-slim AS patroni");
  const run = patroni.instructions
    .filter((i) => i.keyword === "RUN")
    .map((i) => i.args)
    .join("\n");
  assert.match(run, /apt-get install -y --no-install-recommends postgresql-15 'patroni=3\.0\.2-\*' python3-etcd curl/);
  assert.match(run, /create_main_cluster = false/, "no main cluster beside Patroni's");
  assert.match(run, `install -d -o postgres -g postgres -m 0700 ${COMPOSE_PATRONI.volume}`);
  assert.is(effective(all, patroni, "USER"), "postgres");
  // Patroni finds initdb, pg_ctl, pg_rewind… in bin_dir, and psql is on the PATH.
  assert.is(patroniConfig.postgresql.bin_dir, POSTGRES_BIN);
  assert.ok((effective(all, patroni, "ENV") ?? "").startsWith(`PATH=${POSTGRES_BIN}:`));
});

test("the Dockerfile copies every workspace's manifest, which npm ci checks the lockfile against", () => {
  const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const workspaces = (manifest.workspaces as string[]).flatMap((pattern) =>
    pattern.endsWith("/*")
      ? readdirSync(path.join(root, pattern.slice(0, -2)))
          .map((name) => `${pattern.slice(0, -2)}/${name}`)
          .filter((dir) => existsSync(path.join(root, dir, "package.json")))
      : [pattern],
  );
  assert.ok(workspaces.includes("services/resolver"));
  for (const dir of workspaces)
    assert.ok(
      dockerfileText.includes(`\nCOPY ${dir}/package.json ${dir}/\n`),
      `the Dockerfile copies ${dir}/package.json`,
    );
});

test(".dockerignore keeps local state, dependencies and secrets out of the build context", () => {
  const ignored = readFileSync(path.join(root, ".dockerignore"), "utf8").split("\n");
  for (const entry of [".env", "**/node_modules", ".kurt", ".git"]) assert.ok(ignored.includes(entry), entry);
});

test.run();
