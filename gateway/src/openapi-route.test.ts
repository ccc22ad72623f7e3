import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import {
  COMPOSE_ENVOY_DIR,
  COMPOSE_ENVOY_FILES,
  COMPOSE_ENVOY_MOUNTS,
  renderComposeEnvoyConfig,
} from "./compose-envoy.js";
import { renderEnvoyConfig } from "./envoy-config.js";
import { GATEWAY_PATHS } from "./gateway-routes.js";
import { MAX_DIRECT_RESPONSE_BYTES } from "./public-listener.js";
import { gatewayLuaFile, gatewayOpenApiFile, OPENAPI_DOCUMENT, openApiFileBesideLua } from "./runtime-files.js";

// `GET /v1/openapi.json` in the rendered configuration, read the way Envoy would.
// biome-ignore lint/suspicious/noExplicitAny: walking Envoy's untyped YAML shape
type Loose = any;

const root = fileURLToPath(new URL("../..", import.meta.url));
const topology = loadTopology({ KURT_PORT_BASE: "30000" });
const options = { descriptorFile: "/run/kurt.pb", luaFile: "/repo/envoy/lua/kurt-gateway.lua" };

const manager = (config: Loose): Loose =>
  config.static_resources.listeners.find((l: Loose) => l.name === "public_http").filter_chains[0].filters[0]
    .typed_config;
const routesOf = (config: Loose): Loose[] => manager(config).route_config.virtual_hosts[0].routes;
const openApiRoute = (config: Loose): Loose => routesOf(config).find((r: Loose) => r.name === "openapi-document");

const LUA = "envoy.filters.http.lua";
const TRANSCODER = "envoy.filters.http.grpc_json_transcoder";

/** The first route Envoy would pick for a request (path without its query, method), as far as these routes match. */
function firstRoute(routes: Loose[], requestPath: string, method: string): Loose {
  return routes.find((route: Loose) => {
    const { match } = route;
    const pathMatches =
      (match.path !== undefined && match.path === requestPath) ||
      (match.prefix !== undefined && requestPath.startsWith(match.prefix)) ||
      (match.safe_regex !== undefined && new RegExp(`^(?:${match.safe_regex.regex})$`).test(requestPath));
    const methodMatches = (match.headers ?? []).every((header: Loose) => {
      const wanted = header.string_match;
      return wanted.exact !== undefined
        ? wanted.exact === method
        : new RegExp(`^(?:${wanted.safe_regex.regex})$`).test(method);
    });
    return pathMatches && methodMatches;
  });
}

test("GET and HEAD /v1/openapi.json are answered by Envoy with the document's file, as JSON", () => {
  const route = openApiRoute(renderEnvoyConfig(topology, options));
  assert.equal(route.match.path, "/v1/openapi.json");
  assert.equal(route.match.headers, [{ name: ":method", string_match: { safe_regex: { regex: "GET|HEAD" } } }]);
  assert.equal(route.direct_response, { status: 200, body: { filename: "/repo/envoy/openapi/openapi.json" } });
  assert.equal(route.response_headers_to_add[0].header, { key: "content-type", value: "application/json" });
  assert.equal(route.response_headers_to_add[1].header, { key: "access-control-allow-origin", value: "*" });
  assert.is(route.route, undefined, "nothing is forwarded: no API key is asked for");
});

test("the document's route is no call for the transcoder, but Lua's usual steps run (no query parameter)", () => {
  const route = openApiRoute(renderEnvoyConfig(topology, options));
  assert.is(route.typed_per_filter_config[TRANSCODER].disabled, true);
  assert.is(route.typed_per_filter_config[LUA], undefined, "the Lua filter stays on");
  assert.equal(route.metadata.filter_metadata[LUA], { call: "GET /v1/openapi.json", query_fields: {} });
});

test("only GET|HEAD of the exact path are the document; other methods and a trailing slash are unknown calls", () => {
  const routes = routesOf(renderEnvoyConfig(topology, options));
  assert.is(firstRoute(routes, GATEWAY_PATHS.openapi, "GET").name, "openapi-document");
  assert.is(firstRoute(routes, GATEWAY_PATHS.openapi, "HEAD").name, "openapi-document");
  for (const method of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    assert.is(firstRoute(routes, GATEWAY_PATHS.openapi, method).name, "v1-unknown", method);
  assert.is(firstRoute(routes, `${GATEWAY_PATHS.openapi}/`, "GET").name, "v1-unknown");
  assert.is(firstRoute(routes, "/v1/openapi.jsonx", "GET").name, "v1-unknown");
});

test("the route table takes a direct answer as large as the committed document, with room to grow", () => {
  const config = renderEnvoyConfig(topology, options);
  assert.is(manager(config).route_config.max_direct_response_body_size_bytes, MAX_DIRECT_RESPONSE_BYTES);
  const size = statSync(gatewayOpenApiFile(root)).size;
  assert.ok(size * 4 < MAX_DIRECT_RESPONSE_BYTES, `${size} bytes`);
});

test("./kurt up reads the committed document in place, found beside the Lua filter's folder", () => {
  assert.is(openApiFileBesideLua(gatewayLuaFile(root)), gatewayOpenApiFile(root));
  assert.is(gatewayOpenApiFile(root), path.join(root, OPENAPI_DOCUMENT.dir, OPENAPI_DOCUMENT.file));
  assert.ok(statSync(gatewayOpenApiFile(root)).isFile());
  const explicit = renderEnvoyConfig(topology, { ...options, openapiFile: "/elsewhere/openapi.json" });
  assert.equal(openApiRoute(explicit).direct_response.body, { filename: "/elsewhere/openapi.json" });
});

test("under compose, the document is read from its own mount, in the committed configuration too", () => {
  const file = path.posix.join(COMPOSE_ENVOY_MOUNTS.openapiDir, OPENAPI_DOCUMENT.file);
  assert.equal(openApiRoute(renderComposeEnvoyConfig()).direct_response.body, { filename: file });
  const committed = parse(readFileSync(path.join(root, COMPOSE_ENVOY_DIR, COMPOSE_ENVOY_FILES.config), "utf8"));
  assert.equal(openApiRoute(committed).direct_response.body, { filename: file });
  const compose = parse(readFileSync(path.join(root, "compose.yaml"), "utf8"));
  const mount = compose.services.envoy.volumes.find((v: Loose) => v.target === COMPOSE_ENVOY_MOUNTS.openapiDir);
  assert.equal(mount, {
    type: "bind",
    source: `./${OPENAPI_DOCUMENT.dir}`,
    target: COMPOSE_ENVOY_MOUNTS.openapiDir,
    read_only: true,
  });
});

test.run();
