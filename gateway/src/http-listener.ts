import type { EnvoyObject } from "./envoy-clusters.js";

/** Envoy's router, the last filter of every HTTP filter chain. */
export function renderRouterFilter(options: EnvoyObject = {}): EnvoyObject {
  return {
    name: "envoy.filters.http.router",
    typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", ...options },
  };
}

/** A listener whose one network filter is an HTTP connection manager with these settings (its stat prefix: the name). */
export function renderHttpListener(
  name: string,
  listenAddress: string,
  port: number,
  manager: EnvoyObject,
): EnvoyObject {
  return {
    name,
    address: { socket_address: { address: listenAddress, port_value: port } },
    filter_chains: [
      {
        filters: [
          {
            name: "envoy.filters.network.http_connection_manager",
            typed_config: {
              "@type":
                "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
              stat_prefix: name,
              ...manager,
            },
          },
        ],
      },
    ],
  };
}
