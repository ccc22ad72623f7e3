import { Gauge, type Registry } from "prom-client";

/** What node-postgres's Pool reports about itself (its public counters), so any pool-like object fits. */
export interface PostgresPoolState {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly options: { readonly max?: number };
}

/**
 * pg_pool_* gauges for the named pools, read when Prometheus scrapes: the
 * request path pays nothing for them.
 */
export function exposePostgresPoolMetrics(
  registry: Registry,
  pools: Readonly<Record<string, PostgresPoolState>>,
): void {
  const entries = Object.entries(pools);
  const registers = [registry];
  new Gauge({
    name: "pg_pool_connections",
    help: "Connections a Postgres pool holds, by pool and state (busy: lent to a query or transaction, idle: ready to lend)",
    labelNames: ["pool", "state"],
    registers,
    collect() {
      for (const [pool, state] of entries) {
        this.set({ pool, state: "busy" }, state.totalCount - state.idleCount);
        this.set({ pool, state: "idle" }, state.idleCount);
      }
    },
  });
  new Gauge({
    name: "pg_pool_waiting_clients",
    help: "Queries waiting for a connection because the pool is at its maximum",
    labelNames: ["pool"],
    registers,
    collect() {
      for (const [pool, state] of entries) this.set({ pool }, state.waitingCount);
    },
  });
  new Gauge({
    name: "pg_pool_max_connections",
    help: "Most connections the pool may open",
    labelNames: ["pool"],
    registers,
    collect() {
      // node-postgres's own default when no max was given.
      for (const [pool, state] of entries) this.set({ pool }, state.options.max ?? 10);
    },
  });
}
