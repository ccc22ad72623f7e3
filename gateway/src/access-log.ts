import type { EnvoyObject } from "./envoy-clusters.js";

/**
 * One JSON line per request on stdout (the launcher's log file). The method
 * comes from the Lua filter because the transcoder turns every call into a
 * POST; on the gRPC listener, which has no Lua filter, it is null.
 */
export function renderAccessLog(): EnvoyObject[] {
  return [
    {
      name: "envoy.access_loggers.stdout",
      typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog",
        log_format: {
          json_format: {
            time: "%START_TIME%",
            requestId: "%REQ(X-REQUEST-ID)%",
            method: "%DYNAMIC_METADATA(kurt:method)%",
            // Never the query string: a client may put a secret there (`?access_token=…`).
            path: "%PATH(NQ:ORIG_OR_PATH)%",
            status: "%RESPONSE_CODE%",
            grpcStatus: "%GRPC_STATUS%",
            flags: "%RESPONSE_FLAGS%",
            durationMs: "%DURATION%",
            route: "%ROUTE_NAME%",
            upstream: "%UPSTREAM_HOST%",
            bytesSent: "%BYTES_SENT%",
          },
        },
      },
    },
  ];
}
