import type { Topology } from "@kurt/topology";
import { renderBenchBareListener } from "./bench-listeners.js";
import type { BenchFloor, EnvoyObject, ServiceDiscovery } from "./envoy-clusters.js";
import { renderBenchFloorClusters, renderClusters } from "./envoy-clusters.js";
import { renderGrpcListener } from "./grpc-listener.js";
import { renderPublicListener } from "./public-listener.js";
import { openApiFileBesideLua } from "./runtime-files.js";

export interface EnvoyConfigOptions {
  /** The binary FileDescriptorSet of proto/ (see buildDescriptorSet), as a path Envoy can read. */
  readonly descriptorFile: string;
  /** envoy/lua/kurt-gateway.lua, as a path Envoy can read. */
  readonly luaFile: string;
  /**
   * envoy/openapi/openapi.json, as a path Envoy can read (at start-up: it
   * answers `GET /v1/openapi.json` from memory). Default: beside the Lua
   * filter's folder, where a checkout and the compose container have it.
   */
  readonly openapiFile?: string;
  /** Listeners bind here; compose binds 0.0.0.0. Default: topology.host. */
  readonly listenAddress?: string;
  /** Replicas are reached at this host (an IP, or a DNS name under compose). Default: topology.host. */
  readonly upstreamHost?: string;
  /** Replicas by their own ports (default), or by the service's DNS name as under compose (see ServiceDiscovery). */
  readonly serviceDiscovery?: ServiceDiscovery;
  /** One JSON line per request on stdout. Default: true. */
  readonly accessLog?: boolean;
  /** Browser origins allowed to call the REST API cross-origin (exact `scheme://host[:port]`). Default: none. */
  readonly corsOrigins?: readonly string[];
  /**
   * Proxies in front of the public listener whose X-Forwarded-For entries
   * are trusted (see parseTrustedProxyHops). Default: 0, Envoy is the edge.
   */
  readonly trustedProxyHops?: number;
  /** Where the benchmark's fixed redirects (`/__ceiling/…` and the bare listener's) point. */
  readonly ceilingLocation?: string;
  /**
   * The benchmark's profile: adds the ceiling route `/__ceiling/…`, the bare
   * listener (bench-listeners.ts, its own port) and, with `httpPort`, the
   * HTTP floor's cluster floor_http and the route that reaches it. Off by
   * default; only `npm run bench` sets it.
   */
  readonly benchFloor?: BenchFloor;
}

/** Envoy's bootstrap configuration for a topology: a pure function, so it can be tested without Envoy. */
export function renderEnvoyConfig(topology: Topology, options: EnvoyConfigOptions): EnvoyObject {
  const listenAddress = options.listenAddress ?? topology.host;
  const accessLog = options.accessLog ?? true;
  const upstreamHost = options.upstreamHost ?? topology.host;
  const ceilingLocation = options.ceilingLocation ?? "https://example.com/";
  const bench = options.benchFloor;
  return {
    node: { id: `kurt-gateway-${topology.portBase}`, cluster: "kurt-gateway" },
    admin: {
      address: { socket_address: { address: listenAddress, port_value: topology.envoy.adminPort } },
    },
    static_resources: {
      listeners: [
        renderPublicListener(topology, {
          listenAddress,
          descriptorFile: options.descriptorFile,
          luaFile: options.luaFile,
          openapiFile: options.openapiFile ?? openApiFileBesideLua(options.luaFile),
          accessLog,
          corsOrigins: options.corsOrigins ?? [],
          trustedProxyHops: options.trustedProxyHops ?? 0,
          ceilingLocation,
          ...(bench === undefined ? {} : { bench: { floorRoute: bench.httpPort !== undefined } }),
        }),
        renderGrpcListener(topology, listenAddress, accessLog),
        ...(bench === undefined ? [] : [renderBenchBareListener(topology, listenAddress, ceilingLocation)]),
      ],
      clusters: [
        ...renderClusters(topology, upstreamHost, options.serviceDiscovery),
        ...(bench === undefined ? [] : renderBenchFloorClusters(bench, upstreamHost)),
      ],
    },
    // Envoy warns at start-up, and accepts unbounded connections, without a limit.
    overload_manager: {
      resource_monitors: [
        {
          name: "envoy.resource_monitors.global_downstream_max_connections",
          typed_config: {
            "@type":
              "type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig",
            max_active_downstream_connections: 50000,
          },
        },
      ],
    },
  };
}
