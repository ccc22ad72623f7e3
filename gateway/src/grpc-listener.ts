import type { Topology } from "@kurt/topology";
import { renderAccessLog } from "./access-log.js";
import type { EnvoyObject } from "./envoy-clusters.js";
import { renderHttpListener, renderRouterFilter } from "./http-listener.js";
import { renderUpstreamRoutes } from "./upstream-routes.js";

/**
 * The internal gRPC listener (HTTP/2 cleartext): the same clusters, health
 * checks and retries as the public one, without transcoding. Unknown methods
 * get Envoy's own gRPC answer (UNIMPLEMENTED).
 */
export function renderGrpcListener(topology: Topology, listenAddress: string, accessLog: boolean): EnvoyObject {
  return renderHttpListener("internal_grpc", listenAddress, topology.envoy.grpcPort, {
    codec_type: "HTTP2",
    http2_protocol_options: {},
    // Internal callers may pass the request id of the call they serve.
    preserve_external_request_id: true,
    ...(accessLog ? { access_log: renderAccessLog() } : {}),
    route_config: {
      name: "internal_grpc",
      virtual_hosts: [
        {
          name: "kurt_grpc",
          domains: ["*"],
          // A client's grpc-timeout is honoured, up to this bound.
          routes: renderUpstreamRoutes({ max_stream_duration: { grpc_timeout_header_max: "30s" } }),
        },
      ],
    },
    http_filters: [renderRouterFilter()],
  });
}
