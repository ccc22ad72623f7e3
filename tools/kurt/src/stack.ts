import path from "node:path";
import { parseCorsOrigins, parseTrustedProxyHops } from "@kurt/gateway";
import { loadTopology, SERVICE_NAMES, type Topology } from "@kurt/topology";
import { adminKeyFile } from "./admin-key.js";
import type { Component, ComponentContext } from "./components/component.js";
import { createEnvoyComponent } from "./components/envoy.js";
import { createEtcdComponent } from "./components/etcd.js";
import { createKafkaComponent, kafkaBrokers } from "./components/kafka.js";
import { createPgBouncerComponent } from "./components/pgbouncer.js";
import { createPostgresComponent } from "./components/postgres.js";
import { primaryConnectionString } from "./components/postgres-connection.js";
import { createRedisClusterComponent } from "./components/redis-cluster.js";
import { createServicesComponent } from "./components/services.js";
import { createContainerInfrastructure, infrastructureMode } from "./containers/index.js";
import { ensureDebianPackages } from "./debian-packages.js";
import { runJob } from "./jobs.js";
import { type Paths, resolvePaths } from "./paths.js";
import { createSupervisor } from "./supervisor.js";

/**
 * The whole local stack, in start order. The data stores start side by side
 * (each waits on its own readiness), then the migrations, Kurt's services,
 * and Envoy last, so that `up` returns when a request through the gateway
 * can be served.
 */
export interface Stack {
  readonly context: ComponentContext;
  /** Patroni's store; none with the container backends, whose Postgres is not a Patroni cluster. */
  readonly etcd: Component | undefined;
  readonly postgres: Component;
  readonly pgbouncer: Component;
  readonly redis: Component;
  readonly kafka: Component;
  readonly services: Component;
  readonly envoy: Component;
  /** Every component in start order. */
  readonly all: readonly Component[];
}

export function createStack(
  say: (line: string) => void,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Stack {
  const topology: Topology = loadTopology(env);
  const paths: Paths = resolvePaths(env);
  const context: ComponentContext = { topology, paths, supervisor: createSupervisor(paths.runDir, paths.logDir), say };
  // KURT_INFRA=testcontainers swaps the data stores for containers on the same ports; the rest is shared.
  const infra = infrastructureMode(env) === "testcontainers" ? createContainerInfrastructure() : undefined;
  const etcd = infra === undefined ? createEtcdComponent() : undefined;
  const postgres = infra?.postgres ?? createPostgresComponent();
  const pgbouncer = infra?.pgbouncer ?? createPgBouncerComponent();
  const redis = infra?.redis ?? createRedisClusterComponent();
  const kafka = infra?.kafka ?? createKafkaComponent();
  const services = createServicesComponent();
  const envoy = createEnvoyComponent({
    corsOrigins: parseCorsOrigins(env.KURT_CORS_ORIGINS),
    trustedProxyHops: parseTrustedProxyHops(env.KURT_TRUSTED_PROXY_HOPS),
  });
  return {
    context,
    etcd,
    postgres,
    pgbouncer,
    redis,
    kafka,
    services,
    envoy,
    all: [...(etcd === undefined ? [] : [etcd]), postgres, pgbouncer, redis, kafka, services, envoy],
  };
}

/** The migrations, straight on the primary (PgBouncer's transaction pooling would lose their lock). */
function migrate(ctx: ComponentContext): Promise<void> {
  const servicesDir = path.join(ctx.paths.root, "services");
  return runJob(ctx, "migrate", {
    KURT_PG_PRIMARY_URL: primaryConnectionString(ctx.topology),
    KURT_SERVICES_DIR: servicesDir,
  });
}

/** A new installation gets its first admin API key, in a file only its owner can read. */
function ensureFirstAdminKey(ctx: ComponentContext): Promise<void> {
  const env = {
    KURT_PG_PRIMARY_URL: primaryConnectionString(ctx.topology),
    KURT_ADMIN_KEY_FILE: adminKeyFile(ctx.paths),
  };
  return runJob(ctx, "admin-key", env);
}

/** Wraps a component's failure so that the message names it. */
async function step(component: Component, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const err = error as Error & { component?: string };
    if (err.component === undefined) err.component = component.name;
    throw err;
  }
}

export async function installAll(stack: Stack): Promise<void> {
  // One at a time: two apt-get runs would fight over dpkg's lock.
  for (const component of stack.all) await step(component, () => component.install(stack.context));
  // wrk is no component, but the benchmarks drive the gateway with it.
  await ensureDebianPackages(stack.context.say, [{ program: "/usr/bin/wrk", pkg: "wrk" }]);
}

export async function startAll(stack: Stack): Promise<void> {
  const ctx = stack.context;
  await Promise.all([
    (async () => {
      const { etcd } = stack;
      if (etcd !== undefined) await step(etcd, () => etcd.start(ctx));
      await step(stack.postgres, () => stack.postgres.start(ctx));
      await step(stack.pgbouncer, () => stack.pgbouncer.start(ctx));
      await step(stack.postgres, () => migrate(ctx));
      await step(stack.postgres, () => ensureFirstAdminKey(ctx));
    })(),
    step(stack.redis, () => stack.redis.start(ctx)),
    (async () => {
      await step(stack.kafka, () => stack.kafka.start(ctx));
      await step(stack.kafka, () =>
        runJob(ctx, "kafka-topics", { KURT_KAFKA_BROKERS: kafkaBrokers(ctx.topology).join(",") }),
      );
    })(),
  ]);
  await step(stack.services, () => stack.services.start(ctx));
  await step(stack.envoy, () => stack.envoy.start(ctx));
  await stopRetiredReplicas(stack);
}

const REPLICA_NAME = new RegExp(`^(${SERVICE_NAMES.join("|")})-\\d+$`);

/**
 * Replicas beyond the counts asked for now (KURT_RESOLVER_REPLICAS=3 last
 * time, 2 now): stopped gracefully once Envoy, started above with the new
 * topology, no longer sends them calls.
 */
async function stopRetiredReplicas(stack: Stack): Promise<void> {
  const ctx = stack.context;
  const wanted = new Set(stack.services.daemons(ctx));
  for (const name of ctx.supervisor.known()) {
    if (!REPLICA_NAME.test(name) || wanted.has(name)) continue;
    await ctx.supervisor.stop(name);
    ctx.say(`stopped ${name}: beyond the replica count asked for now`);
  }
}

/**
 * Stops, in reverse start order, every daemon the launcher has a pid file
 * for; the daemons of one component stop side by side.
 */
export async function stopAll(stack: Stack): Promise<string[]> {
  const ctx = stack.context;
  const groups = [...stack.all].reverse().map((component) => component.daemons(ctx));
  const known = new Set(ctx.supervisor.known());
  const leftovers = [...known].filter((name) => !groups.some((group) => group.includes(name)));
  const stopped: string[] = [];
  for (const group of [leftovers, ...groups]) {
    await Promise.all(
      group
        .filter((name) => known.has(name))
        .map(async (name) => {
          const pid = ctx.supervisor.pidOf(name);
          await ctx.supervisor.stop(name);
          if (pid !== undefined) stopped.push(`${name} (pid ${pid})`);
        }),
    );
  }
  return stopped;
}
