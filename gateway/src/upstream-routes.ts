import type { EnvoyObject } from "./envoy-clusters.js";
import { GRPC_SERVICE_CLUSTERS, SAFE_METHOD_PATTERN } from "./gateway-routes.js";

const UPSTREAM_TIMEOUT = "10s";

/**
 * Retries go to another replica. A replica that just died has no active
 * requests left, so LEAST_REQUEST prefers it (3 picks in 4 with two
 * replicas) until health checks or outlier detection take it out; with
 * only a few re-selections a retry often landed on it again and the
 * redirect failed (seen in tests/e2e/resilience.test.ts). Re-selecting is
 * a local computation, so it is cheap to allow many.
 */
const SAFE_RETRY_POLICY: EnvoyObject = {
  retry_on: "unavailable,reset,connect-failure,refused-stream",
  num_retries: 3,
  per_try_timeout: "3s",
  retry_host_predicate: [
    {
      name: "envoy.retry_host_predicates.previous_hosts",
      typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate",
      },
    },
  ],
  host_selection_retry_max_attempts: 12,
};

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Routes for gRPC paths (`/<package>.<Service>/<Method>`): what the internal
 * listener receives directly and what the transcoder rewrites REST calls to.
 * Safe methods get a route of their own, first, so that only they are retried.
 */
export function renderUpstreamRoutes(extra: EnvoyObject = {}): EnvoyObject[] {
  return GRPC_SERVICE_CLUSTERS.flatMap(({ service, cluster }) => [
    {
      name: `${service}.safe`,
      match: { safe_regex: { regex: `/${escapeRegex(service)}/${SAFE_METHOD_PATTERN}` } },
      route: { cluster, timeout: UPSTREAM_TIMEOUT, retry_policy: SAFE_RETRY_POLICY, ...extra },
    },
    {
      name: service,
      match: { prefix: `/${service}/` },
      route: { cluster, timeout: UPSTREAM_TIMEOUT, ...extra },
    },
  ]);
}
