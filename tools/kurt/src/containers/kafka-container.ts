import { randomBytes } from "node:crypto";
import type { Topology } from "@kurt/topology";
import { Kafka, logLevel } from "kafkajs";
import type { StartedTestContainer } from "testcontainers";
import type { Component } from "../components/component.js";
import { kafkaBrokers } from "../components/kafka.js";
import { waitFor } from "../wait.js";
import { CONTAINER_IMAGES } from "./images.js";
import { kafkaContainerEnvironment } from "./kafka-container-environment.js";
import { type ContainerSession, containerError, pullImages, shortId } from "./pod.js";

/** A single KRaft node (broker and controller) in the pod, advertising 127.0.0.1:<broker port>. */

const COMPONENT = "kafka";
const DAEMON = "kafka";

/**
 * The local component's readiness question: the broker lists itself in the
 * metadata (registered and unfenced) and finds a group coordinator (which
 * creates __consumer_offsets before the services' first group join).
 */
async function brokerAnswers(topology: Topology, withCoordinator: boolean): Promise<boolean> {
  const admin = new Kafka({
    clientId: "kurt-launcher",
    brokers: kafkaBrokers(topology),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (withCoordinator) await admin.describeGroups(["kurt-launcher-readiness"]);
    return cluster.brokers.some((broker) => broker.nodeId === 1);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export function createKafkaContainer(session: ContainerSession): Component {
  let container: StartedTestContainer | undefined;
  const ready = (topology: Topology, timeoutMs: number) =>
    waitFor(
      "the Kafka broker to answer metadata requests",
      async () => ((await brokerAnswers(topology, true)) ? true : undefined),
      { timeoutMs, intervalMs: 250 },
    );

  return {
    name: COMPONENT,

    async install(ctx) {
      await pullImages([CONTAINER_IMAGES.kafka], ctx.say);
    },

    async start(ctx) {
      if (container !== undefined) {
        await ready(ctx.topology, 30_000);
        return;
      }
      const { tc, member } = await session.pod(ctx);
      ctx.say(`kafka: starting the container on ${kafkaBrokers(ctx.topology).join(",")}`);
      // A fresh data folder per container, so a fresh cluster id (16 random bytes, as StorageTool random-uuid).
      const clusterId = randomBytes(16).toString("base64url");
      try {
        container = await member(CONTAINER_IMAGES.kafka, DAEMON)
          .withEnvironment(kafkaContainerEnvironment(ctx.topology, clusterId))
          .withWaitStrategy(tc.Wait.forLogMessage(/Kafka Server started/))
          .withStartupTimeout(180_000)
          .start();
        await ready(ctx.topology, 60_000);
      } catch (error) {
        throw containerError(ctx, COMPONENT, DAEMON, error);
      }
    },

    async status(ctx) {
      const port = ctx.topology.kafka.brokerPort;
      if (container === undefined)
        return [{ name: DAEMON, up: false, port, detail: "no container started by this process" }];
      const answering = await brokerAnswers(ctx.topology, false).catch(() => false);
      return [
        {
          name: DAEMON,
          up: answering,
          port,
          detail: `container ${shortId(container)}, ${CONTAINER_IMAGES.kafka} KRaft broker+controller${answering ? "" : ", not answering metadata requests"}`,
        },
      ];
    },

    daemons: () => [],
  };
}
