import { adminUrl } from "./stack.js";

/** One upstream host of an Envoy cluster as its admin `/clusters` page reports it. */
export interface UpstreamHost {
  readonly port: number;
  readonly rqTotal: number;
  readonly rqError: number;
  /** e.g. "healthy", "/failed_active_hc", "/failed_outlier_check". */
  readonly healthFlags: string;
}

export async function upstreamHosts(cluster: string): Promise<UpstreamHost[]> {
  const text = await (await fetch(`${adminUrl}/clusters`, { signal: AbortSignal.timeout(2_000) })).text();
  const hosts = new Map<number, Record<string, string>>();
  for (const line of text.split("\n")) {
    const match = /^([^:]+)::[^:]+:(\d+)::([a-z_]+)::(.*)$/.exec(line);
    if (!match || match[1] !== cluster) continue;
    const port = Number(match[2]);
    const fields = hosts.get(port) ?? {};
    fields[match[3] as string] = match[4] as string;
    hosts.set(port, fields);
  }
  return [...hosts].map(([port, fields]) => ({
    port,
    rqTotal: Number(fields.rq_total ?? 0),
    rqError: Number(fields.rq_error ?? 0),
    healthFlags: fields.health_flags ?? "",
  }));
}

export async function isHealthyInEnvoy(cluster: string, port: number): Promise<boolean> {
  const host = (await upstreamHosts(cluster)).find((h) => h.port === port);
  return host?.healthFlags === "healthy";
}

/** Counters of one cluster from Envoy's `/stats` (e.g. upstream_rq_retry), by their name without the cluster prefix. */
export async function clusterCounters(cluster: string, names: readonly string[]): Promise<Record<string, number>> {
  const text = await (await fetch(`${adminUrl}/stats?usedonly`, { signal: AbortSignal.timeout(2_000) })).text();
  const counters: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  for (const line of text.split("\n")) {
    const match = /^cluster\.([^.]+)\.(.+): (\d+)$/.exec(line);
    if (match && match[1] === cluster && (match[2] as string) in counters)
      counters[match[2] as string] = Number(match[3]);
  }
  return counters;
}
