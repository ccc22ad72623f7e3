import { isIP } from "node:net";
import type { Topology } from "@kurt/topology";
import { HTTP_HEALTH_PATH, SERVICE_NAMES } from "@kurt/topology";

/** A fragment of Envoy's v3 configuration, as it appears in YAML. */
export type EnvoyObject = { readonly [key: string]: unknown };

function socketAddress(address: string, port: number): EnvoyObject {
  return { address: { socket_address: { address, port_value: port } } };
}

/**
 * How Envoy finds a service's replicas. `ports`: one endpoint per replica,
 * `upstreamHost` and the replica's own port (local processes share one host).
 * `dns`: compose, where every replica of a service listens on the service's
 * first port and the service's name resolves to all of their addresses
 * (`deploy.replicas`); one STRICT_DNS endpoint `<service>:<port>` becomes one
 * host per address, re-resolved as replicas come and go.
 */
export type ServiceDiscovery = "ports" | "dns";

/** Often enough that a scaled-up replica takes traffic within seconds. */
const DNS_REFRESH_RATE = "5s";

function serviceEndpoints(
  name: string,
  ports: readonly number[],
  upstreamHost: string,
  discovery: ServiceDiscovery,
  dnsName: string,
): EnvoyObject {
  if (discovery === "dns") {
    const [port] = ports;
    if (port === undefined) throw new Error(`the topology gives ${name} no port`);
    return {
      // A name needs resolving; compose's embedded DNS answers with every replica's address.
      type: "STRICT_DNS",
      dns_lookup_family: "V4_ONLY",
      dns_refresh_rate: DNS_REFRESH_RATE,
      load_assignment: {
        cluster_name: name,
        endpoints: [{ lb_endpoints: [{ endpoint: socketAddress(dnsName, port) }] }],
      },
    };
  }
  return {
    // A name needs resolving; an IP literal does not.
    type: isIP(upstreamHost) ? "STATIC" : "STRICT_DNS",
    load_assignment: {
      cluster_name: name,
      endpoints: [{ lb_endpoints: ports.map((port) => ({ endpoint: socketAddress(upstreamHost, port) })) }],
    },
  };
}

/**
 * How Envoy speaks to a service's listener: gRPC over HTTP/2, health-checked
 * by grpc.health.v1; or plain HTTP/1.1 with keep-alive (the resolver's
 * redirects), health-checked on the path that follows the same serving state.
 */
type UpstreamProtocol = "grpc" | "http1";

/**
 * Envoy closes an idle upstream connection before the service would (Node's
 * keep-alive timeout, HTTP_KEEP_ALIVE_TIMEOUT_MS in @kurt/platform, is longer):
 * the side that closes first would race the other's next request.
 */
const HTTP1_IDLE_TIMEOUT = "60s";

const PROTOCOL_OPTIONS: Record<UpstreamProtocol, EnvoyObject> = {
  grpc: { explicit_http_config: { http2_protocol_options: {} } },
  http1: {
    explicit_http_config: { http_protocol_options: {} },
    common_http_protocol_options: { idle_timeout: HTTP1_IDLE_TIMEOUT },
  },
};

const HEALTH_CHECK: Record<UpstreamProtocol, EnvoyObject> = {
  // "" asks for the whole server: a replica that is draining answers NOT_SERVING.
  grpc: { grpc_health_check: { service_name: "" } },
  // 503 while draining (startHttpServer in @kurt/platform).
  http1: { http_health_check: { path: HTTP_HEALTH_PATH } },
};

function serviceCluster(
  name: string,
  ports: readonly number[],
  upstreamHost: string,
  discovery: ServiceDiscovery,
  protocol: UpstreamProtocol = "grpc",
  dnsName: string = name,
): EnvoyObject {
  const { load_assignment, ...resolution } = serviceEndpoints(name, ports, upstreamHost, discovery, dnsName);
  return {
    name,
    ...resolution,
    connect_timeout: "1s",
    lb_policy: "LEAST_REQUEST",
    typed_extension_protocol_options: {
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
        "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
        ...PROTOCOL_OPTIONS[protocol],
      },
    },
    load_assignment,
    health_checks: [
      {
        timeout: "1s",
        // A replica told to stop answers NOT_SERVING and keeps serving for
        // KURT_DRAIN_MS (2 s): two checks a second apart take it out of
        // rotation within that drain, before it stops listening.
        interval: "1s",
        // Without these, a replica that was down at the first check (started
        // after Envoy) or a cluster without traffic is only re-checked every 60 s.
        no_traffic_interval: "1s",
        unhealthy_interval: "1s",
        healthy_threshold: 1,
        unhealthy_threshold: 2,
        ...HEALTH_CHECK[protocol],
      },
    ],
    outlier_detection: {
      // Eject a replica Envoy cannot reach (refused or reset connections,
      // timeouts), not one that answers: an UNAVAILABLE from a live replica
      // whose Postgres is slow is retried elsewhere. Ejecting on those
      // answers took out the only replica serving while the other restarted,
      // and Envoy's panic routing then sent calls to the stopped one.
      split_external_local_origin_errors: true,
      consecutive_local_origin_failure: 3,
      enforcing_consecutive_local_origin_failure: 100,
      enforcing_consecutive_5xx: 0,
      enforcing_consecutive_gateway_failure: 0,
      interval: "5s",
      base_ejection_time: "10s",
      // Never eject the last replicas: a brief error burst should slow, not stop, service.
      max_ejection_percent: 50,
    },
    // Envoy's defaults (1024) would turn a benchmark's concurrency into 503s
    // long before the replicas are saturated.
    circuit_breakers: {
      thresholds: [
        {
          priority: "DEFAULT",
          max_connections: 10000,
          max_pending_requests: 10000,
          max_requests: 10000,
          max_retries: 64,
        },
      ],
    },
  };
}

/**
 * What only `npm run bench` adds to Envoy's configuration (EnvoyConfigOptions.benchFloor):
 * always the bare listener (bench-listeners.ts), and the HTTP floor when its
 * trivial upstream runs.
 */
export interface BenchFloor {
  /**
   * The HTTP floor's upstream (bench/src/floor/http-redirect-stub.ts): a
   * node:http server answering every request with a fixed 302, as a resolver
   * that did no work would. Without it, no floor cluster or route.
   */
  readonly httpPort?: number;
}

export const BENCH_FLOOR_CLUSTERS = { http: "floor_http" } as const;

/**
 * The benchmark's floor upstream, on the topology's host: a cluster like
 * resolver_http in every respect (HTTP/1.1 keep-alive, LEAST_REQUEST, the same
 * health checks, outlier detection and circuit breakers), so that Envoy does
 * for it exactly what it does for a redirect; only its one endpoint differs.
 */
export function renderBenchFloorClusters(floor: BenchFloor, upstreamHost: string): EnvoyObject[] {
  if (floor.httpPort === undefined) return [];
  return [serviceCluster(BENCH_FLOOR_CLUSTERS.http, [floor.httpPort], upstreamHost, "ports", "http1")];
}

/** The resolvers' plain HTTP listeners, where the public listener sends `GET|HEAD /{code}`. */
export const REDIRECT_CLUSTER = "resolver_http";

export function renderClusters(
  topology: Topology,
  upstreamHost: string,
  discovery: ServiceDiscovery = "ports",
): EnvoyObject[] {
  return [
    ...SERVICE_NAMES.map((name) => serviceCluster(name, topology.services[name].grpcPorts, upstreamHost, discovery)),
    serviceCluster(
      REDIRECT_CLUSTER,
      topology.services.resolver.httpPorts,
      upstreamHost,
      discovery,
      "http1",
      "resolver",
    ),
  ];
}
