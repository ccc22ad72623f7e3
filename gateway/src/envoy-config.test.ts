import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createFileRegistry, fromBinary, getExtension, hasExtension, ScalarType } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { allPorts, loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { benchBareListenerPort } from "./bench-listeners.js";
import { renderComposeEnvoyConfig } from "./compose-envoy.js";
import { buildDescriptorSet } from "./descriptor-set.js";
import { renderEnvoyConfig } from "./envoy-config.js";
import { GRPC_SERVICE_CLUSTERS } from "./gateway-routes.js";
import {
  HTTP_CALLS,
  type JsonKind,
  jsonName,
  NESTED_MESSAGES,
  nestedMessageOf,
  templateRegex,
} from "./http-bindings.js";

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
    const outlier = c.outlier_detection;
    assert.ok(outlier.split_external_local_origin_errors, `${name}: unreachable and answering replicas told apart`);
    assert.ok(outlier.consecutive_local_origin_failure > 0, `${name} ejects replicas it cannot reach`);
    assert.is(outlier.enforcing_consecutive_local_origin_failure, 100, name);
    assert.is(outlier.enforcing_consecutive_5xx, 0, `${name}: a replica answering UNAVAILABLE is retried, not ejected`);
    assert.is(outlier.enforcing_consecutive_gateway_failure, 0, name);
  }
  assert.is(cluster("resolver").load_assignment.endpoints[0].lb_endpoints.length, 3);
});

test("an upstream host given by name is resolved by DNS", () => {
  const compose: Loose = renderEnvoyConfig(topology, { ...options, upstreamHost: "resolver.internal" });
  assert.is(compose.static_resources.clusters.find((c: Loose) => c.name === "resolver").type, "STRICT_DNS");
  assert.is(cluster("resolver").type, "STATIC");
});

test("under compose, each service is one DNS name on its first port, re-resolved into one host per replica", () => {
  const compose: Loose = renderEnvoyConfig(topology, { ...options, listenAddress: "0.0.0.0", serviceDiscovery: "dns" });
  for (const name of ["shortener", "resolver", "clicklog"] as const) {
    const c = compose.static_resources.clusters.find((c: Loose) => c.name === name);
    assert.is(c.type, "STRICT_DNS");
    assert.is(c.lb_policy, "LEAST_REQUEST");
    assert.ok(c.dns_refresh_rate, `${name} follows replicas as they come and go`);
    assert.equal(c.load_assignment.endpoints[0].lb_endpoints, [
      {
        endpoint: { address: { socket_address: { address: name, port_value: topology.services[name].grpcPorts[0] } } },
      },
    ]);
    assert.equal(c.health_checks, cluster(name).health_checks, `${name} is health-checked as locally`);
    assert.equal(c.outlier_detection, cluster(name).outlier_detection);
  }
  assert.is(compose.static_resources.listeners[0].address.socket_address.address, "0.0.0.0");
});

test("Lua runs before the transcoder, and the router comes last", () => {
  const names = manager("public_http").http_filters.map((f: Loose) => f.name);
  assert.ok(names.indexOf("envoy.filters.http.lua") < names.indexOf("envoy.filters.http.grpc_json_transcoder"));
  assert.is(names.at(-1), "envoy.filters.http.router");
});

test("the transcoder serves the REST API's four services with the options it needs", () => {
  const transcoder = manager("public_http").http_filters.find(
    (f: Loose) => f.name === "envoy.filters.http.grpc_json_transcoder",
  ).typed_config;
  assert.equal(transcoder.services, [
    "kurt.v1.LinkService",
    "kurt.v1.ApiKeyService",
    "kurt.v1.DomainService",
    "kurt.v1.StatsService",
  ]);
  assert.is(transcoder.proto_descriptor, options.descriptorFile);
  assert.is(transcoder.ignore_unknown_query_parameters, undefined);
  assert.is(transcoder.request_validation_options.reject_unknown_query_parameters, true);
  assert.is(transcoder.request_validation_options.reject_unknown_method, true);
  assert.is(transcoder.convert_grpc_status, true);
  assert.is(transcoder.case_insensitive_enum_parsing, true, "?interval=hour names HOUR");
  assert.is(transcoder.request_validation_options.reject_binding_body_field_collisions, true);
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

test("only calls that change nothing are retried once the upstream may have seen them", () => {
  // The redirect route is plain HTTP to the resolvers, checked on its own below.
  const upstream = publicRoutes().filter((r: Loose) => r.route?.cluster && r.route.cluster !== "resolver_http");
  const afterReceipt = upstream.filter((r: Loose) => /reset|unavailable/.test(r.route.retry_policy?.retry_on ?? ""));
  assert.ok(afterReceipt.length > 0);
  for (const route of afterReceipt) {
    const policy = route.route.retry_policy;
    assert.ok(policy.retry_host_predicate.length > 0, "a retry avoids the replica that failed");
    assert.ok(policy.host_selection_retry_max_attempts >= 10, "LEAST_REQUEST favours a dead replica: re-select often");
    const pattern = new RegExp(`^${route.match.safe_regex.regex}$`);
    assert.ok(
      pattern.test("/kurt.v1.ResolverService/Resolve") ||
        pattern.test("/kurt.v1.LinkService/GetLink") ||
        pattern.test("/kurt.v1.LinkService/ListLinks") ||
        pattern.test("/kurt.v1.StatsService/GetLinkStats") ||
        pattern.test("/kurt.v1.ApiKeyService/ListApiKeys") ||
        pattern.test("/kurt.v1.DomainService/ListDomains"),
    );
    for (const write of ["CreateLink", "UpdateLink", "DeleteLink", "CreateApiKey", "RevokeApiKey"]) {
      assert.not.ok(pattern.test(`/kurt.v1.LinkService/${write}`), `${write} is not retried after a reset`);
      assert.not.ok(pattern.test(`/kurt.v1.ApiKeyService/${write}`), `${write} is not retried after a reset`);
    }
    for (const write of ["CreateDomain", "UpdateDomain", "DeleteDomain"])
      assert.not.ok(pattern.test(`/kurt.v1.DomainService/${write}`), `${write} is not retried after a reset`);
  }
});

test("a write is retried on another replica only when it cannot have reached the first", () => {
  for (const { service } of GRPC_SERVICE_CLUSTERS) {
    const route = publicRoutes().find((r: Loose) => r.match.prefix === `/${service}/`);
    const policy = route?.route.retry_policy;
    assert.ok(policy, `${service} writes have a retry policy`);
    assert.equal(policy.retry_on.split(",").sort(), ["connect-failure", "refused-stream"], service);
    assert.is(policy.per_try_timeout, undefined, `${service}: a slow write is never sent twice`);
    assert.ok(policy.retry_host_predicate.length > 0, `${service}: the retry goes to another replica`);
  }
});

test("a replica's NOT_SERVING is seen within its drain (two checks a second apart)", () => {
  for (const { cluster: name } of GRPC_SERVICE_CLUSTERS) {
    const check = cluster(name).health_checks[0];
    assert.is(check.interval, "1s", name);
    assert.ok(check.unhealthy_threshold <= 2, name);
  }
});

test("routes Envoy answers itself are hidden from the transcoder, which would take them for codes", () => {
  const health = publicRoutes().find((r: Loose) => r.name === "healthz");
  assert.is(health.typed_per_filter_config["envoy.filters.http.grpc_json_transcoder"].disabled, true);
});

test("the public listener has no admin, metrics or benchmark route, and no shared write bucket", () => {
  const names = publicRoutes().map((r: Loose) => r.name);
  for (const name of ["metrics", "ceiling", "bench-ceiling", "bench-floor-http"])
    assert.not.ok(names.includes(name), name);
  const text = JSON.stringify(listener("public_http"));
  assert.not.match(text, /__ceiling|__floor|stats\/prometheus|local_ratelimit|"admin"/);
  assert.not.ok(
    config.static_resources.clusters.some((c: Loose) => c.name === "admin"),
    "no cluster reaches the admin port",
  );
});

test("client timeouts cut off a request whose headers trickle in (slowloris)", () => {
  const hcm = manager("public_http");
  assert.is(hcm.request_headers_timeout, "10s");
  assert.is(hcm.request_timeout, "60s");
  assert.ok(hcm.common_http_protocol_options.idle_timeout);
});

test("without configured origins there is no CORS policy; with them, exactly those origins", () => {
  assert.equal(manager("public_http").route_config.virtual_hosts[0].typed_per_filter_config, {});
  const withOrigins: Loose = renderEnvoyConfig(topology, { ...options, corsOrigins: ["https://app.example"] });
  const vhost =
    withOrigins.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0];
  const policy = vhost.typed_per_filter_config["envoy.filters.http.cors"];
  assert.equal(policy.allow_origin_string_match, [{ exact: "https://app.example" }]);
});

test("the access log never carries a query string", () => {
  const format = manager("public_http").access_log[0].typed_config.log_format.json_format;
  assert.is(format.path, "%PATH(NQ:ORIG_OR_PATH)%");
});

const luaRules = (route: Loose): Loose => route.metadata?.filter_metadata?.["envoy.filters.http.lua"];

test("a redirect goes as plain HTTP to the resolvers' HTTP listeners, past none of the REST API's filters", () => {
  const redirect = publicRoutes().find((r: Loose) => r.name === "redirect");
  assert.is(redirect.route.cluster, "resolver_http");
  assert.equal(Object.keys(redirect.typed_per_filter_config).sort(), [
    "envoy.filters.http.grpc_json_transcoder",
    "envoy.filters.http.lua",
  ]);
  for (const filter of Object.values(redirect.typed_per_filter_config) as Loose[]) assert.is(filter.disabled, true);
  assert.equal(redirect.route.retry_policy.retriable_status_codes, [503]);
  assert.match(redirect.route.retry_policy.retry_on, /connect-failure/);
  const pattern = new RegExp(`^${redirect.match.safe_regex.regex}$`);
  assert.ok(pattern.test("/AbC1234"));
  assert.not.ok(pattern.test("/v1/links"));
  const methods = new RegExp(`^${redirect.match.headers[0].string_match.safe_regex.regex}$`);
  assert.ok(methods.test("GET") && methods.test("HEAD"));
  assert.not.ok(methods.test("POST"));
  const names = publicRoutes().map((r: Loose) => r.name);
  assert.ok(names.indexOf("redirect") < names.indexOf("not-found"));
  assert.ok(names.indexOf("healthz") < names.indexOf("redirect"));
});

test("the redirect cluster is every resolver's HTTP port over HTTP/1.1 keep-alive, health-checked like the gRPC ones", () => {
  const clusters: Loose[] = config.static_resources.clusters;
  const http = clusters.find((c) => c.name === "resolver_http");
  const grpc = clusters.find((c) => c.name === "resolver");
  const ports = http.load_assignment.endpoints[0].lb_endpoints.map(
    (e: Loose) => e.endpoint.address.socket_address.port_value,
  );
  assert.equal(ports, topology.services.resolver.httpPorts);
  assert.is(http.lb_policy, "LEAST_REQUEST");
  const protocol = http.typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"];
  assert.ok(protocol.explicit_http_config.http_protocol_options, "HTTP/1.1");
  assert.ok(protocol.common_http_protocol_options.idle_timeout, "Envoy closes idle connections before Node does");
  assert.is(http.health_checks[0].http_health_check.path, "/healthz");
  assert.is(http.health_checks[0].interval, grpc.health_checks[0].interval);
  assert.equal(http.outlier_detection, grpc.outlier_detection);
  assert.equal(http.circuit_breakers, grpc.circuit_breakers);
});

test("under /v1/, each call of the contract is one route; any other path or method is refused by Lua", () => {
  const v1 = publicRoutes().filter((r: Loose) => luaRules(r) !== undefined);
  assert.equal(
    v1.map((r: Loose) => r.name),
    ["openapi-document", ...HTTP_CALLS.map((c) => c.name), "v1-unknown"],
  );
  assert.equal(luaRules(v1.at(-1)), { unknown_call: true });
  const create = v1.find((r: Loose) => r.name === "create-link");
  assert.equal(create.match.safe_regex.regex, "/v1/links");
  assert.equal(create.match.headers[0].string_match.exact, "POST");
  assert.is(luaRules(create).call, "POST /v1/links");
  assert.equal(luaRules(create).query_fields, {}, "a create takes no query parameter");
  assert.is(luaRules(create).body_message, "CreateLinkRequest");
  assert.is(luaRules(create).body_fields.redirectStatus, "integer");
  assert.is(luaRules(create).body_fields.redirect_status, "integer");
  assert.is(luaRules(create).body_fields.expiresAt, "timestamp");
  assert.is(luaRules(create).body_fields.tags, "string-list");
  assert.not.ok(luaRules(create).body_fields.bogus);
  const list = v1.find((r: Loose) => r.name === "list-links");
  assert.equal(list.match.headers[0].string_match.safe_regex.regex, "GET|HEAD");
  assert.equal(luaRules(list).query_fields, {
    page_size: true,
    pageSize: true,
    page_token: true,
    pageToken: true,
    domain: true,
    query: true,
    tag: true,
  });
  const update = v1.find((r: Loose) => r.name === "update-link");
  assert.ok(new RegExp(`^${update.match.safe_regex.regex}$`).test("/v1/links/AbC1234"));
  assert.not.ok(new RegExp(`^${update.match.safe_regex.regex}$`).test("/v1/links/AbC1234/"), "no trailing slash");
  assert.not.ok(new RegExp(`^${update.match.safe_regex.regex}$`).test("/v1/links/AbC1234/stats"));
  assert.not.ok(luaRules(update).body_fields.code, "the code is the path's; {code} in the body is refused");
  assert.is(luaRules(update).body_fields.disabled, "boolean");
  const qr = v1.find((r: Loose) => r.name === "get-link-qr-code");
  assert.equal(qr.match.headers[0].string_match.safe_regex.regex, "GET|HEAD");
  assert.ok(new RegExp(`^${qr.match.safe_regex.regex}$`).test("/v1/links/AbC1234/qr"));
  assert.not.ok(new RegExp(`^${update.match.safe_regex.regex}$`).test("/v1/links/AbC1234/qr"));
  assert.equal(luaRules(qr).query_fields, { format: true, size: true, domain: true }, "only format, size and domain");
});

const route = (name: string): Loose => publicRoutes().find((r: Loose) => r.name === name);
const matches = (regex: string, text: string) => new RegExp(`^(?:${regex})$`).test(text);
const BUFFER = "envoy.filters.http.buffer";
const TRANSCODER = "envoy.filters.http.grpc_json_transcoder";
const filterConfig = (name: string): Loose =>
  manager("public_http").http_filters.find((f: Loose) => f.name === name).typed_config;

test("the buffer filter is off but where a route turns it on, and comes before Lua reads a body", () => {
  const filters = manager("public_http").http_filters;
  const names = filters.map((f: Loose) => f.name);
  assert.ok(names.indexOf(BUFFER) < names.indexOf("envoy.filters.http.lua"));
  assert.is(filters.find((f: Loose) => f.name === BUFFER).disabled, true);
  const buffered = publicRoutes()
    .filter((r: Loose) => r.typed_per_filter_config?.[BUFFER] !== undefined)
    .map((r: Loose) => r.name);
  assert.equal(buffered, ["batch-create-links", "redirect-password"]);
});

test("a batch of links is one POST route of its own, which no /v1/links/{code} route can take for a code", () => {
  const batch = route("batch-create-links");
  assert.is(batch.match.safe_regex.regex, "/v1/links:batchCreate");
  assert.equal(batch.match.headers, [{ name: ":method", string_match: { exact: "POST" } }]);
  assert.is(luaRules(batch).call, "POST /v1/links:batchCreate");
  assert.equal(luaRules(batch).query_fields, {});
  assert.equal(luaRules(batch).body_fields, { links: "object-list:CreateLinkRequest" });
  assert.is(luaRules(batch).body_message, "BatchCreateLinksRequest");
  const items = luaRules(batch).body_messages;
  assert.equal(Object.keys(items).sort(), ["CreateLinkRequest", "RedirectRule", "RedirectRuleQuery"]);
  assert.is(items.CreateLinkRequest.maxVisits, "integer");
  assert.is(items.CreateLinkRequest.max_visits, "integer");
  assert.is(items.CreateLinkRequest.rules, "object-list:RedirectRule");
  assert.is(items.CreateLinkRequest.code, "string", "an item may name its code");
  assert.is(items.RedirectRule.query, "object:RedirectRuleQuery");
  assert.equal(items.RedirectRuleQuery, { name: "string", value: "string" });
  for (const name of ["get-link", "update-link", "delete-link", "get-link-qr-code", "get-link-stats", "create-link"])
    assert.not.ok(matches(route(name).match.safe_regex.regex, "/v1/links:batchCreate"), name);
  const names = publicRoutes().map((r: Loose) => r.name);
  assert.ok(names.indexOf("batch-create-links") < names.indexOf("v1-unknown"));
});

test("a batch may be 2 MiB, read whole by the buffer filter and by the transcoder; every other call keeps 64 KiB", () => {
  const perRoute = route("batch-create-links").typed_per_filter_config;
  assert.equal(perRoute[BUFFER].buffer, { max_request_bytes: 2 * 1024 * 1024 });
  const { max_request_body_size: batchMax, ...batchRest } = perRoute[TRANSCODER];
  const { max_request_body_size: defaultMax, ...defaultRest } = filterConfig(TRANSCODER);
  assert.is(batchMax, 2 * 1024 * 1024);
  assert.is(defaultMax, 64 * 1024);
  assert.equal(batchRest, defaultRest, "the transcoder's other settings are the listener's");
  for (const call of HTTP_CALLS.filter((c) => c.name !== "batch-create-links"))
    assert.is(route(call.name).typed_per_filter_config, undefined, call.name);
});

test("a create's and an update's rules are checked as deep as they go", () => {
  for (const name of ["create-link", "update-link"]) {
    const rules = luaRules(route(name));
    assert.is(rules.body_fields.rules, "object-list:RedirectRule", name);
    assert.is(rules.body_fields.password, "string", name);
    assert.is(rules.body_fields.maxVisits, "integer", name);
    assert.equal(Object.keys(rules.body_messages).sort(), ["RedirectRule", "RedirectRuleQuery"], name);
  }
  assert.is(luaRules(route("update-link")).body_fields.clearMaxVisits, "boolean");
  assert.is(luaRules(route("get-link")).body_messages, undefined);
});

test("a body over its route's limit is 413 naming that limit: a batch's, the password form's, or the default", () => {
  const mappers: Loose[] = manager("public_http").local_reply_config.mappers;
  const tooLarge = mappers.filter((m: Loose) => m.body?.inline_string?.startsWith("request body: larger"));
  const [batch, form, fallback] = tooLarge;
  assert.is(tooLarge.length, 3);
  assert.is(batch.body.inline_string, "request body: larger than the limit of 2097152 bytes");
  assert.is(form.body.inline_string, "request body: larger than the limit of 4096 bytes");
  assert.is(fallback.body.inline_string, "request body: larger than the limit of 65536 bytes");
  const headerRegex = (mapper: Loose, name: string): Loose =>
    mapper.filter.and_filter.filters.find((f: Loose) => f.header_filter?.header.name === name)?.header_filter.header
      .string_match;
  assert.ok(matches(headerRegex(batch, ":path").safe_regex.regex, "/v1/links:batchCreate"));
  assert.ok(matches(headerRegex(batch, ":path").safe_regex.regex, "/v1/links:batchCreate?x=1"));
  assert.not.ok(matches(headerRegex(batch, ":path").safe_regex.regex, "/kurt.v1.LinkService/CreateLink"));
  assert.equal(headerRegex(batch, ":method"), { exact: "POST" });
  assert.ok(matches(headerRegex(form, ":path").safe_regex.regex, "/AbC1234?a=/b"));
  assert.not.ok(matches(headerRegex(form, ":path").safe_regex.regex, "/kurt.v1.LinkService/CreateLink"));
  assert.equal(headerRegex(form, ":method"), { exact: "POST" });
  assert.ok(mappers.indexOf(form) < mappers.indexOf(fallback), "the route's own limits are looked at first");
});

test("POST /{code} (the password form) goes to the resolvers, read whole within 4 KiB, and is retried only when unsent", () => {
  const redirect = route("redirect");
  const form = route("redirect-password");
  assert.is(form.match.safe_regex.regex, redirect.match.safe_regex.regex, "the same paths as the redirect");
  assert.equal(form.match.headers, [{ name: ":method", string_match: { exact: "POST" } }]);
  assert.is(form.route.cluster, "resolver_http");
  assert.is(form.route.timeout, redirect.route.timeout);
  assert.is(
    form.route.retry_policy.retry_on,
    "connect-failure",
    "never after a reset or a 503: the try may have counted",
  );
  assert.is(form.route.retry_policy.retriable_status_codes, undefined);
  assert.is(form.route.retry_policy.per_try_timeout, undefined, "a slow answer is never asked for twice");
  assert.ok(form.route.retry_policy.retry_host_predicate.length > 0, "a retry goes to another replica");
  assert.equal(form.typed_per_filter_config[BUFFER].buffer, { max_request_bytes: 4096 });
  assert.is(form.typed_per_filter_config["envoy.filters.http.lua"].disabled, true);
  assert.is(form.typed_per_filter_config[TRANSCODER].disabled, true);
  assert.equal(redirect.match.headers[0].string_match, { safe_regex: { regex: "GET|HEAD" } }, "GET|HEAD as before");
  assert.match(redirect.route.retry_policy.retry_on, /reset/, "a redirect is still retried after a reset");
});

test("any other method on /{code} is 405 with the methods it takes, answered by Envoy", () => {
  const refused = route("redirect-method-not-allowed");
  assert.is(refused.match.safe_regex.regex, route("redirect").match.safe_regex.regex);
  assert.is(refused.match.headers, undefined, "whatever the method");
  assert.is(refused.direct_response.status, 405);
  assert.equal(refused.response_headers_to_add[0].header, { key: "allow", value: "GET, HEAD, POST" });
  for (const filter of Object.values(refused.typed_per_filter_config) as Loose[]) assert.is(filter.disabled, true);
  const names = publicRoutes().map((r: Loose) => r.name);
  assert.ok(names.indexOf("redirect") < names.indexOf("redirect-password"));
  assert.ok(names.indexOf("redirect-password") < names.indexOf("redirect-method-not-allowed"));
  assert.ok(names.indexOf("redirect-method-not-allowed") < names.indexOf("not-found"));
  assert.ok(names.indexOf("kurt.v1.LinkService") < names.indexOf("redirect"), "gRPC paths are never taken for codes");
});

test("the client's address is the TCP peer's unless trusted proxies are configured in front", () => {
  const hcm = manager("public_http");
  assert.is(hcm.use_remote_address, true);
  assert.is(hcm.xff_num_trusted_hops, 0, "Envoy is the edge by default");
  const behind: Loose = renderEnvoyConfig(topology, { ...options, trustedProxyHops: 1 });
  const behindHcm = behind.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
  assert.is(behindHcm.xff_num_trusted_hops, 1);
  assert.is(behindHcm.use_remote_address, true);
  assert.is(manager("internal_grpc").xff_num_trusted_hops, undefined, "the internal listener is not the edge");
  const { xff_num_trusted_hops: _a, ...rest } = behindHcm;
  const { xff_num_trusted_hops: _b, ...restDefault } = hcm;
  assert.equal(rest, restDefault, "nothing else changes");
  const compose: Loose = renderComposeEnvoyConfig();
  assert.is(compose.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.xff_num_trusted_hops, 0);
  for (const bad of [-1, 1.5, Number.NaN])
    assert.throws(() => renderEnvoyConfig(topology, { ...options, trustedProxyHops: bad }), /trustedProxyHops/);
});

test("route templates become anchored-by-Envoy regexes with one segment per variable", () => {
  assert.is(templateRegex("/v1/links/{code}"), "/v1/links/[^/]+");
  assert.is(templateRegex("/v1/api-keys"), "/v1/api-keys");
  assert.is(jsonName("clear_expires_at"), "clearExpiresAt");
});

/**
 * The JSON kind the gateway demands for a field, from its descriptor. A
 * google.protobuf.ListValue (an update's tags and rules: a repeated field
 * with presence) stands for the create's repeated field of the same name.
 */
function kindOf(field: Loose, registry: Loose): string {
  if (field.message?.typeName === "google.protobuf.Timestamp") return "timestamp";
  if (field.message?.typeName === "google.protobuf.ListValue") {
    const counterpart = registry
      .getMessage("kurt.v1.CreateLinkRequest")
      ?.fields.find((f: Loose) => f.name === field.name);
    assert.ok(counterpart, `the ListValue ${field.name} has a repeated counterpart in CreateLinkRequest`);
    assert.is(counterpart.fieldKind, "list", field.name);
    return kindOf(counterpart, registry);
  }
  if (field.fieldKind === "list" && field.scalar === ScalarType.STRING) return "string-list";
  if (field.fieldKind === "list" && field.listKind === "message") return `object-list:${field.message.name}`;
  if (field.fieldKind === "message") return `object:${field.message.name}`;
  if (field.fieldKind === "enum") return "enum";
  switch (field.scalar) {
    case ScalarType.STRING:
      return "string";
    case ScalarType.BOOL:
      return "boolean";
    case ScalarType.INT32:
    case ScalarType.UINT32:
      return "integer";
    default:
      return `unsupported ${field.fieldKind} ${field.scalar}`;
  }
}

test("the table of calls matches the contract's google.api.http options, field by field, nested messages too", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "kurt-gateway-"));
  try {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const file = await buildDescriptorSet(root, path.join(dir, "kurt.pb"));
    const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(file)));
    const http = registry.getExtension("google.api.http");
    assert.ok(http, "the descriptor set carries google.api.http");
    const calls: Loose[] = [];
    const nested = new Map<string, Record<string, string>>();
    /** The kinds of a message's fields, recording every message they hold (however deep) in `nested`. */
    const kindsOf = (fields: readonly Loose[]): Record<string, string> => {
      const kinds: Record<string, string> = {};
      for (const f of fields) {
        assert.is(f.jsonName, jsonName(f.name), `${f.name} has no custom json_name`);
        const kind = kindOf(f, registry);
        kinds[f.name] = kind;
        const name = nestedMessageOf(kind as JsonKind);
        if (name === undefined || nested.has(name)) continue;
        const message = registry.getMessage(`kurt.v1.${name}`);
        assert.ok(message, `kurt.v1.${name}`);
        nested.set(name, {});
        nested.set(name, kindsOf(message.fields));
      }
      return kinds;
    };
    for (const { service, transcoded } of GRPC_SERVICE_CLUSTERS) {
      if (!transcoded) continue;
      for (const method of registry.getService(service)?.methods ?? []) {
        const options = method.proto.options;
        assert.ok(options && http && hasExtension(options, http), `${method.name} has an HTTP rule`);
        const rule: Loose = getExtension(options, http);
        const template: string = rule.pattern.value;
        const bound = [...template.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1] as string);
        const free = method.input.fields.filter((f) => !bound.includes(f.name));
        for (const f of method.input.fields)
          assert.is(f.jsonName, jsonName(f.name), `${f.name} has no custom json_name`);
        calls.push({
          method: rule.pattern.case.toUpperCase(),
          template,
          message: method.input.typeName,
          query: rule.body === "*" ? [] : free.map((f) => f.name),
          body: rule.body === "*" ? kindsOf(free) : undefined,
        });
      }
    }
    const key = (c: Loose) => `${c.method} ${c.template}`;
    assert.equal(
      HTTP_CALLS.map(({ method, template, message, query, body }) => ({
        method,
        template,
        message,
        query: [...query],
        body,
      })).sort((a, b) => key(a).localeCompare(key(b))),
      calls.sort((a, b) => key(a).localeCompare(key(b))),
    );
    assert.equal(Object.fromEntries([...nested].sort()), Object.fromEntries(Object.entries(NESTED_MESSAGES).sort()));
    assert.ok(nested.has("RedirectRule") && nested.has("RedirectRuleQuery") && nested.has("CreateLinkRequest"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const benchFloor = { httpPort: topology.portBase + 961 };
const FLOOR_ROUTES = ["bench-ceiling", "bench-floor-http"];
const FLOOR_CLUSTERS = ["floor_http"];

const routesOf = (c: Loose): Loose[] =>
  c.static_resources.listeners.find((l: Loose) => l.name === "public_http").filter_chains[0].filters[0].typed_config
    .route_config.virtual_hosts[0].routes;

test("without the bench floor option there is no floor cluster or route", () => {
  assert.equal(renderEnvoyConfig(topology, { ...options, benchFloor: undefined }), config);
  const names = JSON.stringify(config);
  for (const name of [...FLOOR_ROUTES, ...FLOOR_CLUSTERS, "__floor-http"]) {
    assert.not.ok(names.includes(name), name);
  }
});

test("the bench option adds one cluster, the ceiling and floor routes and the bare listener, and changes nothing else", () => {
  const floored: Loose = renderEnvoyConfig(topology, { ...options, benchFloor });
  const clusters = floored.static_resources.clusters.map((c: Loose) => c.name);
  assert.equal(clusters, [...config.static_resources.clusters.map((c: Loose) => c.name), ...FLOOR_CLUSTERS]);
  const names = routesOf(floored).map((r: Loose) => r.name);
  assert.equal(
    names.filter((name: string) => FLOOR_ROUTES.includes(name)),
    FLOOR_ROUTES,
  );
  // Taken out again, what is left is the configuration without the option.
  const stripped: Loose = structuredClone(floored);
  stripped.static_resources.clusters = stripped.static_resources.clusters.filter(
    (c: Loose) => !FLOOR_CLUSTERS.includes(c.name),
  );
  stripped.static_resources.listeners = stripped.static_resources.listeners.filter(
    (l: Loose) => l.name !== "bench_bare",
  );
  const hosts = stripped.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config;
  hosts.virtual_hosts[0].routes = routesOf(stripped).filter((r: Loose) => !FLOOR_ROUTES.includes(r.name));
  assert.equal(stripped, config);
});

test("the HTTP floor is a redirect's path to a resolver in every step but the cluster's endpoint", () => {
  const floored: Loose = renderEnvoyConfig(topology, { ...options, benchFloor });
  const routes = routesOf(floored);
  const floor = routes.find((r: Loose) => r.name === "bench-floor-http");
  const redirect = routes.find((r: Loose) => r.name === "redirect");
  assert.equal(floor.match, { prefix: "/__floor-http/", headers: redirect.match.headers });
  assert.equal(floor.route, { ...redirect.route, cluster: "floor_http" });
  assert.equal(floor.typed_per_filter_config, redirect.typed_per_filter_config, "the same filters off as a redirect");
  const names = routes.map((r: Loose) => r.name);
  assert.ok(names.indexOf("bench-floor-http") < names.indexOf("redirect"), "not taken for a code");
  const http = floored.static_resources.clusters.find((c: Loose) => c.name === "floor_http");
  const { name: _floorName, load_assignment: floorEndpoints, ...floorRest } = http;
  const { name: _redirectName, load_assignment: _redirectEndpoints, ...redirectRest } = cluster("resolver_http");
  assert.equal(
    floorRest,
    redirectRest,
    "HTTP/1.1 keep-alive, health checks, outlier detection and limits as resolver_http",
  );
  assert.equal(floorEndpoints.endpoints[0].lb_endpoints, [
    { endpoint: { address: { socket_address: { address: topology.host, port_value: benchFloor.httpPort } } } },
  ]);
});

test("the bench's bare listener (router only, a fixed 302) exists only with the bench option, on a port of its own", () => {
  const bare = (c: Loose): Loose => c.static_resources.listeners.find((l: Loose) => l.name === "bench_bare");
  // Never in a production configuration: ./kurt up's (no option) nor compose's.
  for (const production of [config, renderComposeEnvoyConfig()]) {
    assert.is(bare(production), undefined);
    assert.equal(
      production.static_resources.listeners.map((l: Loose) => l.name),
      ["public_http", "internal_grpc"],
    );
  }
  // The bare listener comes with the bench option, with or without the HTTP floor.
  for (const bench of [{}, benchFloor]) {
    const rendered: Loose = renderEnvoyConfig(topology, {
      ...options,
      benchFloor: bench,
      ceilingLocation: "https://x.test/c",
    });
    const listener = bare(rendered);
    assert.ok(listener, "present with the bench option");
    const port = listener.address.socket_address.port_value;
    assert.is(port, benchBareListenerPort(topology));
    assert.is(port, topology.portBase + 962, "derived from the port base");
    for (const base of ["24000", "30000", "64000"]) {
      const t = loadTopology({
        KURT_PORT_BASE: base,
        KURT_RESOLVER_REPLICAS: "9",
        KURT_SHORTENER_REPLICAS: "9",
        KURT_CLICKLOG_REPLICAS: "9",
      });
      assert.not.ok(allPorts(t).includes(benchBareListenerPort(t)), `no port of the topology at base ${base}`);
      assert.not.ok(
        [t.portBase + 961, t.portBase + 997, t.portBase + 998, t.portBase + 999].includes(benchBareListenerPort(t)),
      );
    }
    assert.is(listener.address.socket_address.address, topology.host);
    const hcm = listener.filter_chains[0].filters[0].typed_config;
    assert.equal(
      hcm.http_filters.map((f: Loose) => f.name),
      ["envoy.filters.http.router"],
    );
    assert.is(hcm.access_log, undefined, "no access log");
    assert.is(hcm.local_reply_config, undefined, "no local reply rewriting");
    const routes = hcm.route_config.virtual_hosts[0].routes;
    assert.is(routes.length, 1);
    assert.equal(routes[0].match, { prefix: "/" });
    assert.equal(routes[0].direct_response, { status: 302 });
    assert.equal(routes[0].response_headers_to_add, [
      { header: { key: "location", value: "https://x.test/c" }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" },
    ]);
    assert.is(routes[0].typed_per_filter_config, undefined);
  }
});

test.run();
