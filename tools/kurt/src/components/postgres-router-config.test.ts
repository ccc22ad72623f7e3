import { loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROUTER_CLUSTERS, renderPostgresRouterConfig } from "./postgres-router-config.js";

// biome-ignore lint/suspicious/noExplicitAny: walking Envoy's untyped YAML shape
type Loose = any;

const topology = loadTopology({ KURT_PORT_BASE: "31000" });
const config: Loose = renderPostgresRouterConfig(topology);
const cluster = (name: string): Loose => config.static_resources.clusters.find((c: Loose) => c.name === name);
const listener = (port: number): Loose =>
  config.static_resources.listeners.find((l: Loose) => l.address.socket_address.port_value === port);

test("the leader listener is the topology's primary port, the read listener its replica port", () => {
  const proxied = (port: number) => listener(port).filter_chains[0].filters[0].typed_config.cluster;
  assert.is(proxied(topology.postgres.primaryPort), ROUTER_CLUSTERS.leader);
  assert.is(proxied(topology.postgres.replicaPort), ROUTER_CLUSTERS.read);
  assert.is(config.admin.address.socket_address.port_value, topology.postgres.routerAdminPort);
});

test("each role cluster holds every member, health-checked on its Patroni REST port for that role", () => {
  for (const [name, path] of [
    [ROUTER_CLUSTERS.leader, "/primary"],
    [ROUTER_CLUSTERS.async, "/async"],
    [ROUTER_CLUSTERS.replica, "/replica"],
  ] as const) {
    const c = cluster(name);
    assert.is(c.health_checks[0].http_health_check.path, path, name);
    assert.is(c.health_checks[0].no_traffic_interval, c.health_checks[0].interval, `${name}: checked with no traffic`);
    assert.equal(
      c.load_assignment.endpoints[0].lb_endpoints.map((e: Loose) => [
        e.endpoint.address.socket_address.port_value,
        e.endpoint.health_check_config.port_value,
      ]),
      topology.postgres.members.map((m) => [m.port, m.restPort]),
    );
    assert.ok(c.close_connections_on_host_health_failure, `${name}: a demoted member's connections are closed`);
    assert.is(c.common_lb_config.healthy_panic_threshold.value, 0, `${name}: no panic routing to every member`);
  }
});

test("reads go to the async replica, then any replica, then the leader", () => {
  const read = cluster(ROUTER_CLUSTERS.read);
  assert.is(read.cluster_type.name, "envoy.clusters.aggregate");
  assert.equal(read.cluster_type.typed_config.clusters, [
    ROUTER_CLUSTERS.async,
    ROUTER_CLUSTERS.replica,
    ROUTER_CLUSTERS.leader,
  ]);
});

test.run();
