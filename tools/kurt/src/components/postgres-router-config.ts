import type { Topology } from "@kurt/topology";

/**
 * The Postgres router: an Envoy that only proxies TCP, so that clients follow
 * the Patroni leader without being reconfigured (ADR 22). Each member is an
 * endpoint of every cluster; Envoy health-checks it on Patroni's REST port,
 * where GET /primary, /async and /replica answer 200 only in that role, so a
 * cluster's only healthy hosts are the members in its role. A host that fails
 * its check has its connections closed, so a client (PgBouncer, a pool) sees
 * the old leader go and reconnects to the new one.
 */

type EnvoyObject = Record<string, unknown>;

/** The router's clusters; `pg_read` tries the async replica, then any replica, then the leader. */
export const ROUTER_CLUSTERS = { leader: "pg_leader", async: "pg_async", replica: "pg_replica", read: "pg_read" };

/** How quickly a role change is seen: about one interval behind Patroni. */
const CHECK_INTERVAL = "1s";

function roleCluster(topology: Topology, name: string, path: string): EnvoyObject {
  return {
    name,
    type: "STATIC",
    connect_timeout: "1s",
    lb_policy: "ROUND_ROBIN",
    load_assignment: {
      cluster_name: name,
      endpoints: [
        {
          lb_endpoints: topology.postgres.members.map((member) => ({
            endpoint: {
              address: { socket_address: { address: topology.host, port_value: member.port } },
              health_check_config: { port_value: member.restPort },
            },
          })),
        },
      ],
    },
    health_checks: [
      {
        timeout: "1s",
        interval: CHECK_INTERVAL,
        // Checked as often with no traffic: the first connection after a failover must already go right.
        no_traffic_interval: CHECK_INTERVAL,
        unhealthy_threshold: 1,
        healthy_threshold: 1,
        http_health_check: { path },
      },
    ],
    close_connections_on_host_health_failure: true,
    // Never "panic" into sending writes to every member when none is healthy: refuse instead.
    common_lb_config: { healthy_panic_threshold: { value: 0 } },
  };
}

function tcpListener(topology: Topology, name: string, port: number, cluster: string): EnvoyObject {
  return {
    name,
    address: { socket_address: { address: topology.host, port_value: port } },
    filter_chains: [
      {
        filters: [
          {
            name: "envoy.filters.network.tcp_proxy",
            typed_config: {
              "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
              stat_prefix: name,
              cluster,
              // Database sessions live long and idle; the pools, not the router, decide when they end.
              idle_timeout: "0s",
            },
          },
        ],
      },
    ],
  };
}

export function renderPostgresRouterConfig(topology: Topology): EnvoyObject {
  const { primaryPort, replicaPort, routerAdminPort } = topology.postgres;
  return {
    admin: { address: { socket_address: { address: topology.host, port_value: routerAdminPort } } },
    static_resources: {
      listeners: [
        tcpListener(topology, "postgres_leader", primaryPort, ROUTER_CLUSTERS.leader),
        tcpListener(topology, "postgres_read", replicaPort, ROUTER_CLUSTERS.read),
      ],
      clusters: [
        roleCluster(topology, ROUTER_CLUSTERS.leader, "/primary"),
        roleCluster(topology, ROUTER_CLUSTERS.async, "/async"),
        roleCluster(topology, ROUTER_CLUSTERS.replica, "/replica"),
        {
          name: ROUTER_CLUSTERS.read,
          connect_timeout: "1s",
          lb_policy: "CLUSTER_PROVIDED",
          cluster_type: {
            name: "envoy.clusters.aggregate",
            typed_config: {
              "@type": "type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig",
              clusters: [ROUTER_CLUSTERS.async, ROUTER_CLUSTERS.replica, ROUTER_CLUSTERS.leader],
            },
          },
        },
      ],
    },
  };
}
