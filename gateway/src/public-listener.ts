import type { Topology } from "@kurt/topology";
import { renderAccessLog } from "./access-log.js";
import type { EnvoyObject } from "./envoy-clusters.js";
import { BENCH_FLOOR_CLUSTERS } from "./envoy-clusters.js";
import { GATEWAY_PATHS, GRPC_SERVICE_CLUSTERS } from "./gateway-routes.js";
import { HTTP_CALLS, type HttpCall, luaCallMetadata, templateRegex } from "./http-bindings.js";
import { renderHttpListener, renderRouterFilter } from "./http-listener.js";
import { type BodyLimit, renderJsonLocalReplies } from "./local-replies.js";
import { renderPasswordFormRouteAction, renderRedirectRouteAction, renderUpstreamRoutes } from "./upstream-routes.js";

export interface PublicListenerOptions {
  readonly listenAddress: string;
  readonly descriptorFile: string;
  readonly luaFile: string;
  /** The OpenAPI document Envoy answers `GET /v1/openapi.json` with. */
  readonly openapiFile: string;
  readonly accessLog: boolean;
  /** Browser origins (`https://app.example`) allowed to call the REST API cross-origin; none by default. */
  readonly corsOrigins: readonly string[];
  /** Where the bench's `/__ceiling/…` redirects to. */
  readonly ceilingLocation: string;
  /**
   * How many proxies in front of Envoy append to X-Forwarded-For and can be
   * trusted to (docs/adr/0029-trusted-proxy-hops.md): Envoy then takes the
   * client's address from that header, not from the TCP peer. 0 (Envoy is
   * the edge) unless the gateway runs behind a load balancer.
   */
  readonly trustedProxyHops: number;
  /**
   * The benchmark's routes: `/__ceiling/…` and, with `floorRoute`,
   * `/__floor-http/…` (see benchFloorRoute); never in a production configuration.
   */
  readonly bench?: { readonly floorRoute: boolean };
}

const FILTER = {
  cors: "envoy.filters.http.cors",
  buffer: "envoy.filters.http.buffer",
  lua: "envoy.filters.http.lua",
  transcoder: "envoy.filters.http.grpc_json_transcoder",
} as const;

/** A link's body is at most ~8 KiB of URL plus a title and tags; anything far larger is refused before parsing. */
const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/**
 * Envoy refuses a configuration whose direct response body is larger than
 * the route table's limit (4 KiB by default); the OpenAPI document is about
 * 50 KiB, held in memory once.
 */
export const MAX_DIRECT_RESPONSE_BYTES = 1024 * 1024;

/** `POST /{code}`'s form is `password=…` (at most 128 characters, percent-encoded): a few hundred bytes. */
export const PASSWORD_FORM_MAX_BYTES = 4 * 1024;

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
  [FILTER.transcoder]: DISABLED,
};

/** The transcoder's settings; a route whose calls take larger bodies repeats them with its own limit. */
function transcoderConfig(descriptorFile: string, maxRequestBodyBytes: number): EnvoyObject {
  return {
    "@type": "type.googleapis.com/envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder",
    proto_descriptor: descriptorFile,
    services: GRPC_SERVICE_CLUSTERS.filter(({ transcoded }) => transcoded).map(({ service }) => service),
    print_options: { always_print_primitive_fields: true },
    convert_grpc_status: true,
    query_param_unescape_plus: true,
    // `?interval=hour` names the enum value HOUR (see proto/kurt/v1/stats_service.proto).
    case_insensitive_enum_parsing: true,
    request_validation_options: {
      reject_unknown_method: true,
      // The Lua filter refused every parameter the call does not name already; this is the second line.
      reject_unknown_query_parameters: true,
      // `PATCH /v1/links/abc {"code":"xyz"}` would otherwise update xyz.
      reject_binding_body_field_collisions: true,
    },
    max_request_body_size: maxRequestBodyBytes,
  };
}

function httpFilters(options: PublicListenerOptions): EnvoyObject[] {
  return [
    { name: FILTER.cors, typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors" } },
    {
      // Off but where a route turns it on (bufferedBody): it reads the whole
      // body before the filters after it run, within a limit of the route's,
      // and answers 413 beyond it.
      name: FILTER.buffer,
      disabled: true,
      typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.buffer.v3.Buffer",
        max_request_bytes: MAX_REQUEST_BODY_BYTES,
      },
    },
    {
      name: FILTER.lua,
      typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua",
        default_source_code: { filename: options.luaFile },
      },
    },
    { name: FILTER.transcoder, typed_config: transcoderConfig(options.descriptorFile, MAX_REQUEST_BODY_BYTES) },
    // No x-envoy-upstream-service-time and the like: nothing in an answer says how it was served.
    renderRouterFilter({ suppress_envoy_headers: true }),
  ];
}

/**
 * The buffer filter, on for one route: Envoy reads the whole body, at most
 * `maxBytes` (413 beyond), before any later filter or the upstream sees it.
 * Its limit is the stream's too, so the Lua filter may read as much.
 */
function bufferedBody(maxBytes: number): EnvoyObject {
  return {
    [FILTER.buffer]: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.buffer.v3.BufferPerRoute",
      buffer: { max_request_bytes: maxBytes },
    },
  };
}

/** What the public redirect route matches besides its path: `GET|HEAD` (see routes()). */
const REDIRECT_METHODS: EnvoyObject[] = [{ name: ":method", string_match: { safe_regex: { regex: "GET|HEAD" } } }];

/** The paths the resolvers answer: `/{code}` and `/` (a domain's root redirect). */
const REDIRECT_PATH = "/[^/]*";

/** The methods `/{code}` takes, for the 405 to every other one. */
const REDIRECT_ALLOW = "GET, HEAD, POST";

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

/** `/__ceiling/…`: a fixed redirect Envoy answers alone, through every filter of this listener (the bench's ceiling). */
function benchCeilingRoute(location: string): EnvoyObject {
  return {
    name: "bench-ceiling",
    match: { prefix: GATEWAY_PATHS.ceilingPrefix },
    direct_response: { status: 302 },
    // Envoy would otherwise append to the Location it derives from the request.
    response_headers_to_add: [
      { header: { key: "location", value: location }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" },
    ],
    typed_per_filter_config: WITHOUT_TRANSCODER,
  };
}

/**
 * `GET|HEAD /v1/openapi.json`: the document, answered by Envoy from the file
 * it read at start-up; no API key (DESIGN.md §2). The transcoder is off, but
 * the Lua filter's usual steps run as for any call: a query parameter is
 * refused (the call names none), HEAD gets the headers alone. Any origin may
 * read it. Any other
 * method, and `/v1/openapi.json/`, fall through to `v1-unknown`.
 */
function openApiRoute(file: string): EnvoyObject {
  return {
    name: "openapi-document",
    match: {
      path: GATEWAY_PATHS.openapi,
      headers: [{ name: ":method", string_match: { safe_regex: { regex: "GET|HEAD" } } }],
    },
    direct_response: { status: 200, body: { filename: file } },
    response_headers_to_add: [
      { header: { key: "content-type", value: "application/json" }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" },
      // Public and read-only: any origin may read it (an API tool in a browser). Envoy's CORS filter skips
      // routes that answer directly, so the header is set here.
      { header: { key: "access-control-allow-origin", value: "*" }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" },
    ],
    metadata: { filter_metadata: { [FILTER.lua]: { call: `GET ${GATEWAY_PATHS.openapi}`, query_fields: {} } } },
    typed_per_filter_config: WITHOUT_TRANSCODER,
  };
}

/**
 * A call that takes more than the default body (a batch) gets the buffer
 * filter with its own limit, which raises the stream's limit for the Lua
 * filter's read, and the transcoder's settings with that limit; the
 * transcoder reads its settings from this first match, before it re-routes
 * the call by its gRPC path.
 */
function largeBodyConfig(call: HttpCall, descriptorFile: string): EnvoyObject {
  if (call.maxBodyBytes === undefined) return {};
  return {
    typed_per_filter_config: {
      ...bufferedBody(call.maxBodyBytes),
      [FILTER.transcoder]: transcoderConfig(descriptorFile, call.maxBodyBytes),
    },
  };
}

function callRoute(call: HttpCall, descriptorFile: string): EnvoyObject {
  // The CORS filter has picked the route before the Lua filter turns HEAD into GET.
  const method = call.method === "GET" ? { safe_regex: { regex: "GET|HEAD" } } : { exact: call.method };
  return {
    name: call.name,
    match: {
      safe_regex: { regex: templateRegex(call.template) },
      headers: [{ name: ":method", string_match: method }],
    },
    route: API_PLACEHOLDER,
    metadata: luaCallMetadata(call),
    ...largeBodyConfig(call, descriptorFile),
  };
}

/**
 * `/{code}`: `GET|HEAD` (the redirect, retried on another replica when the
 * answer cannot have reached the client), `POST` (the password form: its
 * body read whole within PASSWORD_FORM_MAX_BYTES, and retried only when no
 * resolver was reached, since a wrong password counts against the visitor's
 * tries), and 405 to any other method, as the resolver would answer. All
 * proxied as is, Host included (it selects the domain), to a resolver's
 * HTTP listener, which answers the redirect, the form, 404 or 410 itself.
 */
function redirectRoutes(): EnvoyObject[] {
  return [
    {
      name: "redirect",
      match: { safe_regex: { regex: REDIRECT_PATH }, headers: REDIRECT_METHODS },
      route: renderRedirectRouteAction(),
      typed_per_filter_config: PLAIN_PROXY,
    },
    {
      name: "redirect-password",
      match: {
        safe_regex: { regex: REDIRECT_PATH },
        headers: [{ name: ":method", string_match: { exact: "POST" } }],
      },
      route: renderPasswordFormRouteAction(),
      typed_per_filter_config: { ...PLAIN_PROXY, ...bufferedBody(PASSWORD_FORM_MAX_BYTES) },
    },
    {
      name: "redirect-method-not-allowed",
      match: { safe_regex: { regex: REDIRECT_PATH } },
      direct_response: { status: 405, body: { inline_string: `method not allowed; use ${REDIRECT_ALLOW}` } },
      response_headers_to_add: [
        { header: { key: "allow", value: REDIRECT_ALLOW }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" },
      ],
      typed_per_filter_config: PLAIN_PROXY,
    },
  ];
}

/**
 * Routes are matched twice: once on the request as the client sent it, and
 * again after the transcoder rewrote the path to `/<package>.<Service>/<Method>`
 * (it clears the route cache). The first match decides the Lua filter's
 * checks (route metadata, see http-bindings.ts) and whether the transcoder
 * runs at all; the second picks the upstream. Under `/v1/`, only the calls of
 * the contract are routes; any other path or method is refused by the Lua
 * filter before the transcoder could take it for a near spelling.
 */
function routes(options: PublicListenerOptions): EnvoyObject[] {
  const bench = options.bench === undefined ? [] : [benchCeilingRoute(options.ceilingLocation)];
  if (options.bench?.floorRoute) bench.push(benchFloorRoute());
  return [
    {
      name: "healthz",
      match: { path: GATEWAY_PATHS.health },
      direct_response: { status: 200, body: { inline_string: '{"status":"SERVING"}' } },
      response_headers_to_add: [{ header: { key: "content-type", value: "application/json" } }],
      typed_per_filter_config: WITHOUT_TRANSCODER,
    },
    ...bench,
    openApiRoute(options.openapiFile),
    ...HTTP_CALLS.map((call) => callRoute(call, options.descriptorFile)),
    { name: "v1-unknown", match: { prefix: "/v1/" }, route: API_PLACEHOLDER, metadata: luaCallMetadata(undefined) },
    ...renderUpstreamRoutes(),
    ...redirectRoutes(),
    {
      name: "not-found",
      match: { prefix: "/" },
      direct_response: { status: 404, body: { inline_string: "no such route" } },
    },
  ];
}

/**
 * Cross-origin calls only from the configured origins (the dashboard is
 * served from the gateway itself and needs none); without any, no CORS
 * policy at all, so a browser refuses every cross-origin call.
 */
function corsPolicy(origins: readonly string[]): EnvoyObject {
  if (origins.length === 0) return {};
  return {
    [FILTER.cors]: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy",
      allow_origin_string_match: origins.map((origin) => ({ exact: origin })),
      allow_methods: "GET, HEAD, POST, PATCH, DELETE, OPTIONS",
      allow_headers: "authorization, content-type, x-request-id",
      expose_headers: "location, x-request-id",
      max_age: "86400",
    },
  };
}

/**
 * How long a client may take: the request's headers within 10 s (a client
 * that trickles them in, slowloris, is cut off), the whole request within
 * 60 s, and a keep-alive connection may idle 5 minutes.
 */
const CLIENT_TIMEOUTS: EnvoyObject = {
  request_headers_timeout: "10s",
  request_timeout: "60s",
  common_http_protocol_options: { idle_timeout: "300s" },
};

/** The routes whose body limit is not MAX_REQUEST_BODY_BYTES, for the 413's message. */
function routeBodyLimits(): BodyLimit[] {
  const calls = HTTP_CALLS.flatMap((call) =>
    call.maxBodyBytes === undefined
      ? []
      : [{ pathRegex: `${templateRegex(call.template)}(\\?.*)?`, method: call.method, maxBytes: call.maxBodyBytes }],
  );
  return [...calls, { pathRegex: "/[^/?]*(\\?.*)?", method: "POST", maxBytes: PASSWORD_FORM_MAX_BYTES }];
}

export function renderPublicListener(topology: Topology, options: PublicListenerOptions): EnvoyObject {
  if (!Number.isInteger(options.trustedProxyHops) || options.trustedProxyHops < 0)
    throw new Error(`trustedProxyHops must be a whole number ≥ 0, got ${options.trustedProxyHops}`);
  return renderHttpListener("public_http", options.listenAddress, topology.envoy.httpPort, {
    codec_type: "AUTO",
    server_name: "kurt",
    // This is the edge: a client's own x-request-id is not trusted, nor its
    // x-forwarded-for beyond what the trusted proxies in front appended.
    use_remote_address: true,
    xff_num_trusted_hops: options.trustedProxyHops,
    always_set_request_id_in_response: true,
    normalize_path: true,
    merge_slashes: true,
    ...CLIENT_TIMEOUTS,
    local_reply_config: renderJsonLocalReplies(MAX_REQUEST_BODY_BYTES, routeBodyLimits()),
    ...(options.accessLog ? { access_log: renderAccessLog() } : {}),
    route_config: {
      name: "public",
      max_direct_response_body_size_bytes: MAX_DIRECT_RESPONSE_BYTES,
      virtual_hosts: [
        {
          name: "kurt",
          domains: ["*"],
          routes: routes(options),
          typed_per_filter_config: corsPolicy(options.corsOrigins),
        },
      ],
    },
    http_filters: httpFilters(options),
  });
}
