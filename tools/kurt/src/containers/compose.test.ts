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
import { renderPgBouncerFiles } from "../components/pgbouncer-config.js";
import { renderRedisNodeConfig } from "../components/redis-node-config.js";
import { resolvePaths } from "../paths.js";
import { serviceEnvironment } from "../service-environment.js";
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

test("PgBouncer runs the launcher's pgbouncer.ini, with the Postgres containers as backends", () => {
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
  assert.is(container.get(primaryDatabase), "host=postgres-primary port=5432 dbname=kurt");
  assert.is(container.get(replicaDatabase), "host=postgres-replica port=5432 dbname=kurt");
  const addresses = new Set([primaryDatabase, replicaDatabase, "listen_addr", "listen_port"]);
  for (const [key, value] of local) if (!addresses.has(key)) assert.is(container.get(key), value, key);
  assert.equal(
    [...container.keys()].filter((key) => !local.has(key)),
    [],
  );
  const port = container.get("listen_port");
  assert.match(env("shortener").KURT_PG_PRIMARY_URL, new RegExp(`@pgbouncer:${port}/${primaryDatabase}$`));
  assert.match(env("shortener").KURT_PG_REPLICA_URL, new RegExp(`@pgbouncer:${port}/${replicaDatabase}$`));
  // Migrations need a session (an advisory lock): straight to the primary.
  assert.match(env("migrate").KURT_PG_PRIMARY_URL, /@postgres-primary:5432\/kurt$/);
  assert.match(compose.configs["postgres-init"].content, new RegExp(`'${topology.postgres.replicationSlot}'`));
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

test("every image target compose builds exists, runs its bundle as a non-root user, and services check grpc.health.v1", () => {
  const all = stages(dockerfileText);
  const built = Object.entries(compose.services as Record<string, Loose>).filter(([, s]) => s.build);
  assert.equal(built.map(([name]) => name).sort(), [
    "admin-key",
    "clicklog",
    "kafka-topics",
    "migrate",
    "resolver",
    "shortener",
  ]);
  for (const [name, service] of built) {
    assert.is(service.build.dockerfile, "Dockerfile");
    const stage = all.find((s) => s.name === service.build.target);
    assert.ok(stage, `the Dockerfile has a ${service.build.target} target`);
    const user = effective(all, stage, "USER");
    assert.ok(user !== undefined && !/^(root|0)(:|$)/.test(user), `${name} runs as ${user}, not root`);
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
