import type { ServiceName } from "@kurt/topology";

/**
 * Which upstream cluster serves each gRPC service of the public contract,
 * and whether the public listener transcodes it from the REST API. The
 * resolver's is reached over gRPC only: the public redirect is plain HTTP
 * to its own listener (docs/adr/0014).
 */
export const GRPC_SERVICE_CLUSTERS: ReadonlyArray<{
  readonly service: string;
  readonly cluster: ServiceName;
  readonly transcoded: boolean;
}> = [
  { service: "kurt.v1.LinkService", cluster: "shortener", transcoded: true },
  { service: "kurt.v1.ApiKeyService", cluster: "shortener", transcoded: true },
  { service: "kurt.v1.DomainService", cluster: "shortener", transcoded: true },
  { service: "kurt.v1.ResolverService", cluster: "resolver", transcoded: false },
  { service: "kurt.v1.StatsService", cluster: "clicklog", transcoded: true },
];

/**
 * Methods that change nothing, by the AIP naming the protos follow. Only
 * these are retried: a retried create could create twice.
 */
export const SAFE_METHOD_PATTERN = "(Get|List|Resolve)[A-Za-z0-9]*";

/**
 * Paths Envoy answers itself on the public listener. Their first segment can
 * never be a link code, since `GET /{code}` would otherwise shadow them.
 */
export const GATEWAY_PATHS = {
  health: "/healthz",
  /** The OpenAPI document of the contract (envoy/openapi/openapi.json), the one `/v1/` call without an API key. */
  openapi: "/v1/openapi.json",
  /** Fixed redirect answered by Envoy alone: the benchmark's ceiling; routed only in the bench's configuration. */
  ceilingPrefix: "/__ceiling/",
  /** Proxied like a redirect to the benchmark's trivial HTTP upstream; routed only with the benchFloor option (see public-listener.ts). */
  floorHttpPrefix: "/__floor-http/",
} as const;

/**
 * Words link codes must avoid: kept in @kurt/core/link-code so that the
 * shortener need not import the gateway. gateway-routes.test.ts checks that
 * every first path segment routed here is among them.
 */
export { GATEWAY_ROUTED_CODES, RESERVED_CODES } from "@kurt/core/link-code";
