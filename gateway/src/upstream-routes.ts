import type { EnvoyObject } from "./envoy-clusters.js";
import { REDIRECT_CLUSTER } from "./envoy-clusters.js";
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
const ON_ANOTHER_REPLICA = {
  retry_host_predicate: [
    {
      name: "envoy.retry_host_predicates.previous_hosts",
      typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate",
      },
    },
  ],
  host_selection_retry_max_attempts: 12,
} as const;

const SAFE_RETRY_POLICY: EnvoyObject = {
  retry_on: "unavailable,reset,connect-failure,refused-stream",
  num_retries: 3,
  per_try_timeout: "3s",
  ...ON_ANOTHER_REPLICA,
};

/**
 * Writes are retried only when the upstream cannot have seen them: the
 * connection was never made (a replica that has stopped listening while
 * Envoy's health checks have not yet noticed), or the stream was refused
 * (HTTP/2 REFUSED_STREAM, or above the last stream id of a GOAWAY from a
 * replica shutting down). Never on a reset or a timeout: the create may
 * have committed. No per-try timeout, for the same reason.
 */
const UNSENT_RETRY_POLICY: EnvoyObject = {
  retry_on: "connect-failure,refused-stream",
  num_retries: 3,
  ...ON_ANOTHER_REPLICA,
};

/**
 * A redirect changes nothing but the click count, and a click is recorded
 * only with an answer that was sent: retried on another replica whenever
 * the answer cannot have reached the client (no connection, a reset, or a
 * 503 from a replica whose databases could not tell).
 */
const REDIRECT_RETRY_POLICY: EnvoyObject = {
  retry_on: "connect-failure,reset,refused-stream,retriable-status-codes",
  retriable_status_codes: [503],
  num_retries: 3,
  per_try_timeout: "3s",
  ...ON_ANOTHER_REPLICA,
};

/**
 * A password sent in the form (`POST /{code}`) may use up one of the
 * visitor's tries or, when right, a visit: sent again only when no resolver
 * was reached, never after a reset, a timeout or a 503. The resolvers'
 * listener is HTTP/1.1, so there is no refused stream to retry on either.
 */
const PASSWORD_FORM_RETRY_POLICY: EnvoyObject = {
  retry_on: "connect-failure",
  num_retries: 3,
  ...ON_ANOTHER_REPLICA,
};

/** The route action of the public `GET|HEAD /{code}`: plain HTTP/1.1 to a resolver (DESIGN.md §1). */
export function renderRedirectRouteAction(): EnvoyObject {
  return { cluster: REDIRECT_CLUSTER, timeout: UPSTREAM_TIMEOUT, retry_policy: REDIRECT_RETRY_POLICY };
}

/** The route action of the public `POST /{code}` (the password form): the same resolvers, never sent twice. */
export function renderPasswordFormRouteAction(): EnvoyObject {
  return { cluster: REDIRECT_CLUSTER, timeout: UPSTREAM_TIMEOUT, retry_policy: PASSWORD_FORM_RETRY_POLICY };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function safeRoute(service: string, cluster: string, extra: EnvoyObject): EnvoyObject & { match: EnvoyObject } {
  return {
    name: `${service}.safe`,
    match: { safe_regex: { regex: `/${escapeRegex(service)}/${SAFE_METHOD_PATTERN}` } },
    route: { cluster, timeout: UPSTREAM_TIMEOUT, retry_policy: SAFE_RETRY_POLICY, ...extra },
  };
}

/**
 * Routes for gRPC paths (`/<package>.<Service>/<Method>`): what the internal
 * listener receives directly and what the transcoder rewrites REST calls to.
 * Safe methods get a route of their own, first, so that only they are
 * retried after the upstream may have received them; every other call is
 * retried only when it cannot have been received.
 */
export function renderUpstreamRoutes(extra: EnvoyObject = {}): EnvoyObject[] {
  return GRPC_SERVICE_CLUSTERS.flatMap(({ service, cluster }) => [
    safeRoute(service, cluster, extra),
    {
      name: service,
      match: { prefix: `/${service}/` },
      route: { cluster, timeout: UPSTREAM_TIMEOUT, retry_policy: UNSENT_RETRY_POLICY, ...extra },
    },
  ]);
}
