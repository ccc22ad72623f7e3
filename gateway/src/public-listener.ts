import type { Topology } from "@kurt/topology";
import { renderAccessLog } from "./access-log.js";
import type { EnvoyObject } from "./envoy-clusters.js";
import { ADMIN_CLUSTER, BENCH_FLOOR_CLUSTERS } from "./envoy-clusters.js";
import { GATEWAY_PATHS, GRPC_SERVICE_CLUSTERS } from "./gateway-routes.js";
import { JSON_BODY_RULES, luaRouteMetadata, templateRegex } from "./http-bindings.js";
import { renderHttpListener, renderRouterFilter } from "./http-listener.js";
import { renderJsonLocalReplies } from "./local-replies.js";
import { renderRedirectRouteAction, renderUpstreamRoutes } from "./upstream-routes.js";

export interface WriteRateLimit {
  /** Writes allowed at once after a quiet period. */
  readonly burst: number;
  /** Sustained writes per second, shared by every client of this Envoy. */
  readonly perSecond: number;
}

export interface PublicListenerOptions {
  readonly listenAddress: string;
  readonly descriptorFile: string;
  readonly luaFile: string;
  readonly accessLog: boolean;
  readonly writeRateLimit: WriteRateLimit;
  /** Where `/__ceiling/…` redirects to. */
  readonly ceilingLocation: string;
  /** The benchmark's HTTP floor route (see benchFloorRoute); never in a production configuration. */
  readonly benchFloor: boolean;
}

const FILTER = {
  cors: "envoy.filters.http.cors",
  lua: "envoy.filters.http.lua",
  rateLimit: "envoy.filters.http.local_ratelimit",
  transcoder: "envoy.filters.http.grpc_json_transcoder",
} as const;

/** A link's body is at most ~8 KiB of URL plus a title and tags; anything far larger is refused before parsing. */
const MAX_REQUEST_BODY_BYTES = 64 * 1024;

const DISABLED: EnvoyObject = { "@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", disabled: true };

/**
 * The action of the `/v1/` routes, which only ever match before transcoding:
 * the transcoder then re-routes the call by its gRPC path, or rejects it as an
 * unknown method (raw gRPC, which it would pass through, is refused by the Lua
 * filter). They forward rather than answer directly because the CORS filter
 * ignores routes without a forwarding action, preflights included.
 */
const API_PLACEHOLDER: EnvoyObject = { cluster: "shortener" };

/** Routes Envoy answers itself must not be seen by the transcoder, which would take `/healthz` for a code. */
const WITHOUT_TRANSCODER: EnvoyObject = { [FILTER.transcoder]: DISABLED };

/**
 * The redirect path is Envoy's router and the resolver's HTTP listener,
 * nothing else (docs/adr/0014): none of the REST API's steps runs for it.
 */
const PLAIN_PROXY: EnvoyObject = {
  [FILTER.lua]: DISABLED,
  [FILTER.rateLimit]: DISABLED,
  [FILTER.transcoder]: DISABLED,
};

function rateLimitConfig(limit: WriteRateLimit | undefined): EnvoyObject {
  const base = {
    "@type": "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
    stat_prefix: "kurt_writes",
  };
  if (!limit) return base;
  const always = { default_value: { numerator: 100, denominator: "HUNDRED" }, runtime_key: "kurt_writes_unused" };
  return {
    ...base,
    token_bucket: { max_tokens: limit.burst, tokens_per_fill: limit.perSecond, fill_interval: "1s" },
    filter_enabled: always,
    filter_enforced: always,
    enable_x_ratelimit_headers: "DRAFT_VERSION_03",
  };
}

function httpFilters(options: PublicListenerOptions): EnvoyObject[] {
  return [
    { name: FILTER.cors, typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors" } },
    {
      name: FILTER.lua,
      typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua",
        default_source_code: { filename: options.luaFile },
      },
    },
    // No bucket here: only the write routes below set one.
    { name: FILTER.rateLimit, typed_config: rateLimitConfig(undefined) },
    {
      name: FILTER.transcoder,
      typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder",
        proto_descriptor: options.descriptorFile,
        services: GRPC_SERVICE_CLUSTERS.filter(({ transcoded }) => transcoded).map(({ service }) => service),
        print_options: { always_print_primitive_fields: true },
        convert_grpc_status: true,
        // A query parameter that no field binds is ignored rather than making the call an unknown method.
        ignore_unknown_query_parameters: true,
        query_param_unescape_plus: true,
        // `?interval=hour` names the enum value HOUR (see proto/kurt/v1/stats_service.proto).
        case_insensitive_enum_parsing: true,
        request_validation_options: {
          reject_unknown_method: true,
          reject_unknown_query_parameters: false,
          // `PATCH /v1/links/abc {"code":"xyz"}` would otherwise update xyz.
          reject_binding_body_field_collisions: true,
        },
        max_request_body_size: MAX_REQUEST_BODY_BYTES,
      },
    },
    // No x-envoy-upstream-service-time and the like: nothing in an answer says how it was served.
    renderRouterFilter({ suppress_envoy_headers: true }),
  ];
}

/** What the public redirect route matches besides its path: `GET|HEAD` (see routes()). */
const REDIRECT_METHODS: EnvoyObject[] = [{ name: ":method", string_match: { safe_regex: { regex: "GET|HEAD" } } }];

/**
 * The benchmark's HTTP floor: what Envoy costs in front of an upstream that
 * does no work. `/__floor-http/…` takes the redirect's path in every step
 * (the same filters off, the same route action: timeout, retries, an HTTP/1.1
 * keep-alive cluster like resolver_http) but reaches a trivial node:http
 * server answering a fixed 302 instead of the resolvers.
 */
function benchFloorRoute(): EnvoyObject {
  return {
    name: "bench-floor-http",
    match: { prefix: GATEWAY_PATHS.floorHttpPrefix, headers: REDIRECT_METHODS },
    route: { ...renderRedirectRouteAction(), cluster: BENCH_FLOOR_CLUSTERS.http },
    typed_per_filter_config: PLAIN_PROXY,
  };
}

/**
 * Routes are matched twice: once on the request as the client sent it, and
 * again after the transcoder rewrote the path to `/<package>.<Service>/<Method>`
 * (it clears the route cache). The first match decides the write rate limit,
 * the Lua filter's checks (route metadata, see http-bindings.ts) and whether
 * the transcoder runs at all; the second picks the upstream.
 */
function routes(options: PublicListenerOptions): EnvoyObject[] {
  const writeRateLimit = { [FILTER.rateLimit]: rateLimitConfig(options.writeRateLimit) };
  const floor = options.benchFloor ? [benchFloorRoute()] : [];
  return [
    {
      name: "healthz",
      match: { path: GATEWAY_PATHS.health },
      direct_response: { status: 200, body: { inline_string: '{"status":"SERVING"}' } },
      response_headers_to_add: [{ header: { key: "content-type", value: "application/json" } }],
      typed_per_filter_config: WITHOUT_TRANSCODER,
    },
    {
      name: "metrics",
      match: { path: GATEWAY_PATHS.metrics },
      route: { cluster: ADMIN_CLUSTER, prefix_rewrite: "/stats/prometheus" },
      typed_per_filter_config: WITHOUT_TRANSCODER,
    },
    {
      name: "ceiling",
      match: { prefix: GATEWAY_PATHS.ceilingPrefix },
      direct_response: { status: 302 },
      // Envoy would otherwise append to the Location it derives from the request.
      response_headers_to_add: [
        { header: { key: "location", value: options.ceilingLocation }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" },
      ],
      typed_per_filter_config: WITHOUT_TRANSCODER,
    },
    ...floor,
    // Calls with a JSON body: the Lua filter checks the body's members against these lists.
    ...JSON_BODY_RULES.map((rule) => ({
      name: rule.name,
      match: {
        safe_regex: { regex: templateRegex(rule.template) },
        headers: [{ name: ":method", string_match: { exact: rule.method } }],
      },
      route: API_PLACEHOLDER,
      metadata: luaRouteMetadata({ bodyRule: rule }),
      typed_per_filter_config: writeRateLimit,
    })),
    {
      name: "v1-writes",
      match: {
        prefix: "/v1/",
        headers: [{ name: ":method", string_match: { safe_regex: { regex: "POST|PUT|PATCH|DELETE" } } }],
      },
      route: API_PLACEHOLDER,
      metadata: luaRouteMetadata({}),
      typed_per_filter_config: writeRateLimit,
    },
    { name: "v1", match: { prefix: "/v1/" }, route: API_PLACEHOLDER, metadata: luaRouteMetadata({}) },
    ...renderUpstreamRoutes(),
    {
      // `GET|HEAD /{code}`, any query string: proxied as is to a resolver's
      // HTTP listener, which answers the redirect, 404 or 410 itself.
      name: "redirect",
      match: {
        safe_regex: { regex: "/[^/]+" },
        headers: [{ name: ":method", string_match: { safe_regex: { regex: "GET|HEAD" } } }],
      },
      route: renderRedirectRouteAction(),
      typed_per_filter_config: PLAIN_PROXY,
    },
    {
      name: "not-found",
      match: { prefix: "/" },
      direct_response: { status: 404, body: { inline_string: "no such route" } },
    },
  ];
}

export function renderPublicListener(topology: Topology, options: PublicListenerOptions): EnvoyObject {
  return renderHttpListener("public_http", options.listenAddress, topology.envoy.httpPort, {
    codec_type: "AUTO",
    server_name: "kurt",
    // This is the edge: a client's own x-request-id and x-forwarded-for are not trusted.
    use_remote_address: true,
    always_set_request_id_in_response: true,
    normalize_path: true,
    merge_slashes: true,
    local_reply_config: renderJsonLocalReplies(MAX_REQUEST_BODY_BYTES),
    ...(options.accessLog ? { access_log: renderAccessLog() } : {}),
    route_config: {
      name: "public",
      virtual_hosts: [
        {
          name: "kurt",
          domains: ["*"],
          routes: routes(options),
          typed_per_filter_config: {
            [FILTER.cors]: {
              "@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy",
              allow_origin_string_match: [{ safe_regex: { regex: ".*" } }],
              allow_methods: "GET, HEAD, POST, PATCH, DELETE, OPTIONS",
              allow_headers: "authorization, content-type, x-request-id",
              expose_headers: "location, x-request-id",
              max_age: "86400",
            },
          },
        },
      ],
    },
    http_filters: httpFilters(options),
  });
}
