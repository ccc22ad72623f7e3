import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Topology } from "@kurt/topology";
import { Kafka, logLevel } from "kafkajs";
import { ensureDebianPackages } from "../debian-packages.js";
import { runChecked } from "../run-command.js";
import { waitFor } from "../wait.js";
import type { Component, ComponentContext } from "./component.js";
import { ComponentError } from "./component.js";
import type { KafkaDistribution } from "./kafka-distribution.js";
import { installKafka, isKafkaInstalled, KAFKA_LOG4J2_CONFIG, kafkaDistribution } from "./kafka-distribution.js";
import { lastErrorSince, logSizeOf } from "./kafka-log-error.js";
import { kafkaServerProperties } from "./kafka-server-properties.js";

const COMPONENT = "kafka";
const DAEMON = "kafka";
const JAVA = "/usr/bin/java";
const HEAP = "512m";

/** Bootstrap servers for kafkajs. */
export function kafkaBrokers(topology: Topology): string[] {
  return [`${topology.host}:${topology.kafka.brokerPort}`];
}

interface KafkaLayout {
  readonly dir: string;
  readonly propertiesFile: string;
  readonly dataDir: string;
  /** The controller address the data folder was formatted for. */
  readonly formattedForFile: string;
}

function layoutOf(ctx: ComponentContext): KafkaLayout {
  const dir = path.join(ctx.paths.runDir, "kafka");
  return {
    dir,
    propertiesFile: path.join(dir, "server.properties"),
    dataDir: path.join(dir, "data"),
    formattedForFile: path.join(dir, "formatted-for"),
  };
}

function classpathArgs(dist: KafkaDistribution): string[] {
  return ["-Djava.awt.headless=true", `-Dlog4j2.configurationFile=${KAFKA_LOG4J2_CONFIG}`, "-cp", dist.classpath];
}

function brokerArgs(dist: KafkaDistribution, propertiesFile: string): string[] {
  return [
    `-Xms${HEAP}`,
    `-Xmx${HEAP}`,
    // The flags kafka-run-class.sh gives a broker.
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    ...classpathArgs(dist),
    "kafka.Kafka",
    propertiesFile,
  ];
}

/**
 * Formats the KRaft metadata log once. A folder formatted for another
 * controller address (KURT_PORT_BASE changed) is wiped: its quorum would name
 * a voter that no longer exists and the broker would never become ready.
 */
async function formatOnce(ctx: ComponentContext, dist: KafkaDistribution, layout: KafkaLayout): Promise<void> {
  const controller = `${ctx.topology.host}:${ctx.topology.kafka.controllerPort}`;
  const formatted = existsSync(path.join(layout.dataDir, "meta.properties"));
  const formattedFor = existsSync(layout.formattedForFile) ? readFileSync(layout.formattedForFile, "utf8").trim() : "";
  if (formatted && formattedFor === controller) return;
  if (formatted) {
    ctx.say(`kafka data was formatted for controller ${formattedFor || "unknown"}, not ${controller}: starting empty`);
  }
  rmSync(layout.dataDir, { recursive: true, force: true });
  const tool = ["-Xmx256m", ...classpathArgs(dist), "kafka.tools.StorageTool"];
  const uuidOutput = await runChecked(JAVA, [...tool, "random-uuid"]);
  const clusterId = uuidOutput
    .split("\n")
    .map((line) => line.trim())
    .find((line) => /^[A-Za-z0-9_-]{22}$/.test(line));
  if (!clusterId) throw new ComponentError(COMPONENT, `StorageTool random-uuid printed no cluster id:\n${uuidOutput}`);
  await runChecked(JAVA, [...tool, "format", "--standalone", "-t", clusterId, "-c", layout.propertiesFile]);
  writeFileSync(layout.formattedForFile, `${controller}\n`);
}

/**
 * Asks the broker for cluster metadata and for a group coordinator; resolves
 * to the broker ids it lists, or throws if it cannot answer yet. Finding a
 * coordinator creates __consumer_offsets, so the services' first consumer
 * group join does not meet COORDINATOR_NOT_AVAILABLE.
 */
async function probeBroker(topology: Topology, { withCoordinator }: { withCoordinator: boolean }): Promise<number[]> {
  const kafka = new Kafka({
    clientId: "kurt-launcher",
    brokers: kafkaBrokers(topology),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (withCoordinator) await admin.describeGroups(["kurt-launcher-readiness"]);
    return cluster.brokers.map((broker) => broker.nodeId);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** `logOffset`: where this start's output begins in the log, to quote the reason if the broker exits. */
async function waitUntilReady(ctx: ComponentContext, timeoutMs: number, logOffset?: number): Promise<void> {
  const logFile = ctx.supervisor.logFileOf(DAEMON);
  const outcome = await waitFor(
    "the Kafka broker to answer metadata requests",
    async () => {
      if (ctx.supervisor.pidOf(DAEMON) === undefined) return "exited";
      // The broker lists itself only once it has registered with the controller and is unfenced.
      return (await probeBroker(ctx.topology, { withCoordinator: true })).includes(1) ? "ready" : undefined;
    },
    { timeoutMs, intervalMs: 250 },
  ).catch((error: unknown) => {
    throw new ComponentError(COMPONENT, (error as Error).message, logFile);
  });
  if (outcome === "exited") {
    const reason = logOffset === undefined ? undefined : lastErrorSince(logFile, logOffset);
    throw new ComponentError(COMPONENT, `the broker exited${reason ? `: ${reason}` : ""}`, logFile);
  }
}

export function createKafkaComponent(): Component {
  return {
    name: COMPONENT,

    async install(ctx) {
      await ensureDebianPackages(ctx.say, [
        { program: JAVA, pkg: "openjdk-17-jre-headless" },
        { program: "/usr/bin/mvn", pkg: "maven" },
      ]);
      await installKafka(ctx.paths, ctx.say);
    },

    async start(ctx) {
      if (ctx.supervisor.pidOf(DAEMON) !== undefined) {
        await waitUntilReady(ctx, 30_000);
        return;
      }
      const dist = kafkaDistribution(ctx.paths);
      if (!isKafkaInstalled(dist)) throw new ComponentError(COMPONENT, `Kafka ${dist.version} is not installed yet`);
      const layout = layoutOf(ctx);
      mkdirSync(layout.dir, { recursive: true });
      writeFileSync(layout.propertiesFile, kafkaServerProperties(ctx.topology, layout.dataDir));
      await formatOnce(ctx, dist, layout);
      ctx.say(`starting Kafka ${dist.version} on ${kafkaBrokers(ctx.topology).join(",")}`);
      const logOffset = logSizeOf(ctx.supervisor.logFileOf(DAEMON));
      await ctx.supervisor.start({
        name: DAEMON,
        command: JAVA,
        args: brokerArgs(dist, layout.propertiesFile),
        cwd: layout.dir,
      });
      await waitUntilReady(ctx, 120_000, logOffset);
    },

    async status(ctx) {
      const pid = ctx.supervisor.pidOf(DAEMON);
      const port = ctx.topology.kafka.brokerPort;
      const version = kafkaDistribution(ctx.paths).version;
      if (pid === undefined) return [{ name: DAEMON, up: false, port }];
      const answering = await probeBroker(ctx.topology, { withCoordinator: false }).then(
        (ids) => ids.includes(1),
        () => false,
      );
      return [
        {
          name: DAEMON,
          up: answering,
          port,
          pid,
          detail: `Kafka ${version} KRaft broker+controller (controller port ${ctx.topology.kafka.controllerPort})${answering ? "" : ", not answering metadata requests"}`,
        },
      ];
    },

    daemons() {
      return [DAEMON];
    },
  };
}
