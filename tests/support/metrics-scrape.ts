import { parsePrometheusText, type Sample, sumOf } from "@kurt/tool";
import type { ServiceName } from "@kurt/topology";
import { adminUrl, topology } from "./stack.js";

export interface MetricsPage {
  readonly contentType: string;
  readonly samples: Sample[];
}

async function scrape(url: string): Promise<MetricsPage> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return {
    contentType: response.headers.get("content-type") ?? "",
    samples: parsePrometheusText(await response.text()),
  };
}

/** Every replica's /metrics page, in replica order. */
export function scrapeService(name: ServiceName): Promise<MetricsPage[]> {
  return Promise.all(
    topology.services[name].metricsPorts.map((port) => scrape(`http://${topology.host}:${port}/metrics`)),
  );
}

/** Envoy's own stats in the Prometheus format, from its admin listener. */
export function scrapeEnvoy(): Promise<MetricsPage> {
  return scrape(`${adminUrl}/stats/prometheus`);
}

/** A series summed over all the replicas' pages. */
export function total(pages: readonly MetricsPage[], name: string, where: Record<string, string> = {}): number {
  return pages.reduce((sum, page) => sum + sumOf(page.samples, name, where), 0);
}
