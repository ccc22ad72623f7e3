/**
 * Reads a service's Prometheus endpoint: the sum of a metric over its label
 * sets, which is all the bench needs (e.g. clicks stored, clicks dropped).
 */
export type MetricSums = Map<string, number>;

export async function scrape(url: string): Promise<MetricSums> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  const sums: MetricSums = new Map();
  for (const line of (await response.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? ([^ ]+)/.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) sums.set(match[1] as string, (sums.get(match[1] as string) ?? 0) + value);
  }
  return sums;
}

/** Sums one metric over several endpoints (every replica of a service); an endpoint that fails counts as 0. */
export async function scrapeSum(urls: readonly string[], metric: string): Promise<number> {
  const values = await Promise.all(
    urls.map((url) =>
      scrape(url).then(
        (sums) => sums.get(metric) ?? 0,
        () => 0,
      ),
    ),
  );
  return values.reduce((total, value) => total + value, 0);
}
