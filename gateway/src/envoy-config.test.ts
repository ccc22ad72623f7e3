import { loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderEnvoyConfig } from "./envoy-config.js";
import { GRPC_SERVICE_CLUSTERS } from "./gateway-routes.js";

// The rendered configuration is plain data; these tests read it the way Envoy would.
// biome-ignore lint/suspicious/noExplicitAny: walking Envoy's untyped YAML shape
type Loose = any;

const topology = loadTopology({ KURT_PORT_BASE: "30000", KURT_RESOLVER_REPLICAS: "3" });
const options = { descriptorFile: "/run/kurt.pb", luaFile: "/repo/envoy/lua/kurt-gateway.lua" };
const config: Loose = renderEnvoyConfig(topology, options);

const listener = (name: string): Loose => config.static_resources.listeners.find((l: Loose) => l.name === name);
const manager = (name: string): Loose => listener(name).filter_chains[0].filters[0].typed_config;
const publicRoutes = (): Loose[] => manager("public_http").route_config.virtual_hosts[0].routes;
const cluster = (name: string): Loose => config.static_resources.clusters.find((c: Loose) => c.name === name);

test("listeners and admin bind the topology's Envoy ports", () => {
  assert.is(config.admin.address.socket_address.port_value, topology.envoy.adminPort);
  assert.is(listener("public_http").address.socket_address.port_value, topology.envoy.httpPort);
  assert.is(listener("internal_grpc").address.socket_address.port_value, topology.envoy.grpcPort);
  assert.is(listener("internal_grpc").address.socket_address.address, topology.host);
});

test("each service cluster balances LEAST_REQUEST over HTTP/2 across the topology's replicas", () => {
  for (const name of ["shortener", "resolver", "clicklog"] as const) {
    const c = cluster(name);
    assert.is(c.lb_policy, "LEAST_REQUEST");
    const protocol = c.typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"];
    assert.ok(protocol.explicit_http_config.http2_protocol_options, `${name} speaks HTTP/2`);
    const ports = c.load_assignment.endpoints[0].lb_endpoints.map(
      (e: Loose) => e.endpoint.address.socket_address.port_value,
    );
    assert.equal(ports, [...topology.services[name].grpcPorts]);
    assert.ok(c.health_checks[0].grpc_health_check, `${name} is health-checked with grpc.health.v1`);
    assert.ok(c.outlier_detection.consecutive_gateway_failure > 0, `${name} ejects failing replicas`);
  }
  assert.is(cluster("resolver").load_assignment.endpoints[0].lb_endpoints.length, 3);
});

test("an upstream host given by name is resolved by DNS", () => {
  const compose: Loose = renderEnvoyConfig(topology, { ...options, upstreamHost: "resolver.internal" });
  assert.is(compose.static_resources.clusters.find((c: Loose) => c.name === "resolver").type, "STRICT_DNS");
  assert.is(cluster("resolver").type, "STATIC");
});

test("Lua runs before the transcoder, and the router comes last", () => {
  const names = manager("public_http").http_filters.map((f: Loose) => f.name);
  assert.ok(names.indexOf("envoy.filters.http.lua") < names.indexOf("envoy.filters.http.grpc_json_transcoder"));
  assert.is(names.at(-1), "envoy.filters.http.router");
});

test("the transcoder serves the contract's four services with the options it needs", () => {
  const transcoder = manager("public_http").http_filters.find(
    (f: Loose) => f.name === "envoy.filters.http.grpc_json_transcoder",
  ).typed_config;
  assert.equal(transcoder.services, [
    "kurt.v1.LinkService",
    "kurt.v1.ApiKeyService",
    "kurt.v1.ResolverService",
    "kurt.v1.StatsService",
  ]);
  assert.is(transcoder.proto_descriptor, options.descriptorFile);
  assert.is(transcoder.ignore_unknown_query_parameters, true);
  assert.is(transcoder.request_validation_options.reject_unknown_method, true);
  assert.is(transcoder.convert_grpc_status, true);
  assert.is(transcoder.print_options.always_print_primitive_fields, true);
});

test("every gRPC service path reaches its cluster on both listeners", () => {
  const internal: Loose[] = manager("internal_grpc").route_config.virtual_hosts[0].routes;
  for (const routes of [publicRoutes(), internal]) {
    for (const { service, cluster: name } of GRPC_SERVICE_CLUSTERS) {
      const route = routes.find((r: Loose) => r.match.prefix === `/${service}/`);
      assert.is(route?.route.cluster, name, `${service} → ${name}`);
    }
  }
});

test("only calls that change nothing are retried", () => {
  const retried = publicRoutes().filter((r: Loose) => r.route?.retry_policy);
  assert.ok(retried.length > 0);
  for (const route of retried) {
    const pattern = new RegExp(`^${route.match.safe_regex.regex}$`);
    assert.ok(
      pattern.test("/kurt.v1.ResolverService/Resolve") ||
        pattern.test("/kurt.v1.LinkService/GetLink") ||
        pattern.test("/kurt.v1.LinkService/ListLinks") ||
        pattern.test("/kurt.v1.StatsService/GetLinkStats") ||
        pattern.test("/kurt.v1.ApiKeyService/ListApiKeys"),
    );
    for (const write of ["CreateLink", "UpdateLink", "DeleteLink", "CreateApiKey", "RevokeApiKey"]) {
      assert.not.ok(pattern.test(`/kurt.v1.LinkService/${write}`), `${write} is not retried`);
      assert.not.ok(pattern.test(`/kurt.v1.ApiKeyService/${write}`), `${write} is not retried`);
    }
  }
});

test("routes Envoy answers itself are hidden from the transcoder, which would take them for codes", () => {
  for (const name of ["healthz", "metrics", "ceiling"]) {
    const route = publicRoutes().find((r: Loose) => r.name === name);
    assert.is(route.typed_per_filter_config["envoy.filters.http.grpc_json_transcoder"].disabled, true, name);
  }
  const ceiling = publicRoutes().find((r: Loose) => r.name === "ceiling");
  assert.is(ceiling.direct_response.status, 302);
});

test("only /v1/ writes carry the rate limit", () => {
  const limited = publicRoutes().filter(
    (r: Loose) => r.typed_per_filter_config?.["envoy.filters.http.local_ratelimit"],
  );
  assert.equal(
    limited.map((r: Loose) => r.name),
    ["v1-writes"],
  );
  const methods = new RegExp(`^${limited[0].match.headers[0].string_match.safe_regex.regex}$`);
  for (const method of ["POST", "PATCH", "DELETE"]) assert.ok(methods.test(method), method);
  for (const method of ["GET", "HEAD", "OPTIONS"]) assert.not.ok(methods.test(method), method);
});

test.run();
