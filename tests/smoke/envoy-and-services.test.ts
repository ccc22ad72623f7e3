import { checkHealth } from "@kurt/platform";
import { SERVICE_NAMES } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { adminUrl, topology } from "../support/stack.js";

test("Envoy answers /ready on its admin port", async () => {
  const response = await fetch(`${adminUrl}/ready`);
  assert.is(response.status, 200);
  assert.is((await response.text()).trim(), "LIVE");
});

test("Envoy's admin lists a cluster per service with every replica healthy", async () => {
  const response = await fetch(`${adminUrl}/clusters?format=json`);
  const body = (await response.json()) as {
    cluster_statuses: Array<{
      name: string;
      host_statuses?: Array<{
        address: { socket_address: { port_value: number } };
        health_status: Record<string, unknown>;
      }>;
    }>;
  };
  for (const service of SERVICE_NAMES) {
    const cluster = body.cluster_statuses.find((c) => c.name === service);
    assert.ok(cluster, `cluster ${service} is configured`);
    const ports = (cluster?.host_statuses ?? []).map((h) => h.address.socket_address.port_value).sort();
    assert.equal(ports, [...topology.services[service].grpcPorts].sort(), `${service} endpoints are the topology's`);
    for (const host of cluster?.host_statuses ?? []) {
      assert.is(host.health_status.eds_health_status, "HEALTHY", `${service} endpoint health as Envoy sees it`);
      assert.not.ok(
        host.health_status.failed_active_health_check,
        `${service} passes Envoy's active gRPC health check`,
      );
    }
  }
});

test("every service replica answers grpc.health.v1 with SERVING", async () => {
  for (const service of SERVICE_NAMES) {
    for (const port of topology.services[service].grpcPorts) {
      assert.is(await checkHealth(`${topology.host}:${port}`), "SERVING", `${service} on ${port}`);
    }
  }
});

test.run();
