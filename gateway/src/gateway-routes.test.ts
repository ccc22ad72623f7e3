import { isReservedCode, isWellFormedCode, RESERVED_CODES } from "@kurt/core/link-code";
import { loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderEnvoyConfig } from "./envoy-config.js";
import { GATEWAY_PATHS, RESERVED_CODES as GATEWAY_RESERVED } from "./gateway-routes.js";

// The rendered configuration is plain data; this test reads its routes the way Envoy would.
// biome-ignore lint/suspicious/noExplicitAny: walking Envoy's untyped YAML shape
type Loose = any;

const topology = loadTopology({ KURT_PORT_BASE: "30000" });
const options = { descriptorFile: "/run/kurt.pb", luaFile: "/repo/envoy/lua/kurt-gateway.lua" };

/** Every route of the public listener, with the benchmark's routes too (they are reserved all the same). */
function publicRoutes(): Loose[] {
  const config: Loose = renderEnvoyConfig(topology, { ...options, benchFloor: { httpPort: topology.portBase + 961 } });
  const listener = config.static_resources.listeners.find((l: Loose) => l.name === "public_http");
  return listener.filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes;
}

/** The literal first path segment a route matches, or undefined when it matches any (the redirect, the 404). */
function firstSegment(match: Loose): string | undefined {
  const literal: string | undefined = match.path ?? match.prefix ?? match.safe_regex?.regex;
  const segment = /^\/([A-Za-z0-9_.-]+)(?:\/|$)/.exec(literal ?? "")?.[1];
  return segment;
}

test("every first path segment the gateway routes itself is a reserved code in @kurt/core", () => {
  const segments = new Set<string>();
  for (const route of publicRoutes()) {
    const segment = firstSegment(route.match);
    // Segments with a dot (the transcoder's /kurt.v1.Service/ paths) can never be codes.
    if (segment !== undefined && isWellFormedCode(segment)) segments.add(segment);
  }
  for (const path of Object.values(GATEWAY_PATHS)) segments.add(path.split("/")[1] ?? "");
  assert.ok(segments.has("v1") && segments.has("healthz") && segments.has("__ceiling"), [...segments].join(" "));
  for (const segment of segments) assert.ok(isReservedCode(segment), `${segment} is routed but not reserved`);
});

test("the gateway's RESERVED_CODES are core's, not a copy", () => {
  assert.is(GATEWAY_RESERVED, RESERVED_CODES);
});

test.run();
