import { upstreamHosts as launcherUpstreamHosts, type UpstreamHost } from "@kurt/tool";
import { adminUrl, topology } from "./stack.js";

/** The hosts of one Envoy cluster as its admin `/clusters` page reports them. */
export async function upstreamHosts(cluster: string): Promise<UpstreamHost[]> {
  return (await launcherUpstreamHosts(topology)).filter((host) => host.cluster === cluster);
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
