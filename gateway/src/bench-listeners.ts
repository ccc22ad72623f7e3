import type { Topology } from "@kurt/topology";
import type { EnvoyObject } from "./envoy-clusters.js";
import { renderHttpListener, renderRouterFilter } from "./http-listener.js";

/**
 * What only `npm run bench` adds to Envoy: a second HTTP listener in the
 * same Envoy process, the "bare ceiling" (BENCHMARKS.md, row 4). Its HTTP
 * connection manager has the router and nothing else: no CORS, Lua, rate
 * limit or transcoder filter, no access log, no local reply rewriting
 * (everything else as Envoy's defaults). Every request, whatever its path,
 * is answered with one fixed 302, so it measures
 * the most this Envoy, on this machine, can answer at all: the honest limit
 * every redirect row is divided by. It is rendered only with the bench
 * option (EnvoyConfigOptions.benchFloor), never in a production
 * configuration.
 */

/** The listener's name and its stats prefix (`http.bench_bare.downstream_rq_3xx`…). */
export const BENCH_BARE_LISTENER = "bench_bare";

/**
 * Offset of KURT_PORT_BASE the topology leaves free (packages/topology ends
 * at +716; the bench's floor stub takes +961, the startup tests +997 to +999).
 */
const BARE_LISTENER_OFFSET = 962;

/** Where the bare listener accepts connections: derived from the port base, like every port of Kurt. */
export function benchBareListenerPort(topology: Topology): number {
  return topology.portBase + BARE_LISTENER_OFFSET;
}

export function renderBenchBareListener(topology: Topology, listenAddress: string, location: string): EnvoyObject {
  return renderHttpListener(BENCH_BARE_LISTENER, listenAddress, benchBareListenerPort(topology), {
    codec_type: "AUTO",
    route_config: {
      name: BENCH_BARE_LISTENER,
      virtual_hosts: [
        {
          name: BENCH_BARE_LISTENER,
          domains: ["*"],
          routes: [
            {
              name: "bare-ceiling",
              match: { prefix: "/" },
              direct_response: { status: 302 },
              // As the public listener's ceiling: Envoy would otherwise derive a Location from the request.
              response_headers_to_add: [
                { header: { key: "location", value: location }, append_action: "OVERWRITE_IF_EXISTS_OR_ADD" },
              ],
            },
          ],
        },
      ],
    },
    http_filters: [renderRouterFilter()],
  });
}
