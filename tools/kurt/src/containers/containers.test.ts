import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { renderPgBouncerFiles } from "../components/pgbouncer-config.js";
import { resolvePaths } from "../paths.js";
import { COMPOSE_ONLY_IMAGES, CONTAINER_IMAGES } from "./images.js";
import {
  kafkaContainerEnvironment,
  kafkaEnvironmentName,
  kafkaPropertyName,
  parseProperties,
} from "./kafka-container-environment.js";
import { listenOnEveryInterface } from "./pgbouncer-container.js";
import { CONTAINER_PG_HBA, replicaScript } from "./postgres-containers.js";

// No container engine runs here: these check what the containers are started from.
const topology = loadTopology({ KURT_PORT_BASE: "31000" });

test("Kafka variables name the same settings as the local server.properties, with pod addresses", () => {
  const environment = kafkaContainerEnvironment(topology, "AAAAAAAAAAAAAAAAAAAAAQ");
  const properties = new Map(
    Object.entries(environment)
      .filter(([name]) => name.startsWith("KAFKA_"))
      .map(([name, value]) => [kafkaPropertyName(name.slice("KAFKA_".length)), value]),
  );
  assert.is(environment.CLUSTER_ID, "AAAAAAAAAAAAAAAAAAAAAQ");
  assert.is(properties.get("process.roles"), "broker,controller");
  assert.is(properties.get("offsets.topic.num.partitions"), "10");
  assert.is(properties.get("share.coordinator.state.topic.min.isr"), "1");
  assert.is(properties.get("advertised.listeners"), `PLAINTEXT://127.0.0.1:${topology.kafka.brokerPort}`);
  assert.is(properties.get("controller.quorum.voters"), `1@127.0.0.1:${topology.kafka.controllerPort}`);
  assert.is(properties.has("controller.quorum.bootstrap.servers"), false);
  for (const [name, value] of properties) assert.not.match(value, /=/, `${name} would be dropped by the image`);
  assert.is(kafkaPropertyName(kafkaEnvironmentName("a-b.c_d").slice("KAFKA_".length)), "a-b.c_d");
  assert.equal(parseProperties("# comment\nx.y=1=2\n\n"), new Map([["x.y", "1=2"]]));
});

test("PgBouncer runs the launcher's pgbouncer.ini, listening on the pod's interface", () => {
  const files = renderPgBouncerFiles("/etc/pgbouncer", topology, "SCRAM-SHA-256$4096:a$b:c");
  const ini = listenOnEveryInterface(files.ini);
  assert.match(ini, /^listen_addr = \*$/m);
  assert.match(ini, new RegExp(`host=127\\.0\\.0\\.1 port=${topology.postgres.replicaPort} `));
  assert.is(ini.replace("listen_addr = *", ""), files.ini.replace(/^listen_addr = .*$/m, ""));
});

test("the replica script is valid bash that copies through the slot", () => {
  const script = replicaScript(topology);
  execFileSync("bash", ["-n", "-c", script]);
  assert.match(script, `-p ${topology.postgres.primaryPort} `);
  assert.match(script, `-S '${topology.postgres.replicationSlot}'`);
  assert.match(script, "exec docker-entrypoint.sh postgres ");
});

test("compose.yaml uses the images of images.ts: all but the non-HA postgres, and etcd's", () => {
  const compose = parse(readFileSync(`${resolvePaths({}).root}/compose.yaml`, "utf8"), { merge: true });
  const images = new Set(
    Object.values(compose.services as Record<string, { image?: string }>)
      .map((service) => service.image)
      .filter((image) => image !== undefined),
  );
  const { postgres, ...shared } = CONTAINER_IMAGES;
  assert.equal([...images].sort(), [...Object.values(shared), ...Object.values(COMPOSE_ONLY_IMAGES)].sort());
  assert.not.ok(images.has(postgres), "compose's Postgres members are built from the Dockerfile's patroni target");
});

test("the container pg_hba.conf lets the socket in and asks a scram password over TCP", () => {
  for (const line of CONTAINER_PG_HBA.trim().split("\n")) {
    if (line.startsWith("host")) assert.ok(line.endsWith("scram-sha-256"), line);
    else assert.ok(line.startsWith("local"), line);
  }
});

test.run();
