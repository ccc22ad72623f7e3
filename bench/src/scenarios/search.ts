import { performance } from "node:perf_hooks";
import { primaryConnectionString, withPgClient } from "@kurt/tool";
import { latencySummary } from "../client-latency.js";
import { type LoadOutcome, measureRun } from "../measure.js";
import type { BenchContext, ScenarioRow } from "./bench-context.js";

/** The tag the scenario puts on 1 % of the bench links (those whose hex index is a multiple of 100). */
const BENCH_TAG = "bench-1pct";

/** The listings measured: DESIGN.md §2's `query` and `tag`, selective and not, and the unfiltered reference. */
const SEARCHES = [
  { name: "plain", label: "no filter (reference)", query: "" },
  { name: "query-one", label: "query matching 1 link", query: "?query=articles/123457/" },
  { name: "query-many", label: "query matching every link", query: "?query=fairly-typical" },
  { name: "query-none", label: "query matching no link", query: "?query=no-such-text-anywhere" },
  { name: "tag", label: "tag on 1 % of links", query: `?tag=${BENCH_TAG}` },
  { name: "tag-query", label: "tag and query", query: `?tag=${BENCH_TAG}&query=articles/12` },
] as const;

/** One client sending ListLinks calls back to back for `durationS`: each call's latency, in milliseconds. */
async function listLoad(ctx: BenchContext, query: string, durationS: number): Promise<LoadOutcome> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + durationS * 1000;
  while (performance.now() < until) {
    const sent = performance.now();
    try {
      const response = await fetch(`${ctx.gatewayUrl}/v1/links${query}`, {
        headers: { authorization: `Bearer ${ctx.adminKey}` },
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      if (response.status !== 200) errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - sent);
  }
  return {
    requests: latencies.length,
    durationS: (performance.now() - started) / 1000,
    latency: latencySummary(latencies),
    transportErrors: errors,
  };
}

/**
 * Scenario 9: search and filter in ListLinks at the largest scale size
 * (1,000,000 links by default): one client, calls back to back, so the rate
 * is the inverse of the latency. The shortener reads the primary; query is
 * served by the trigram index, tag by the GIN index on tags (migration 0007).
 */
export async function runSearch(ctx: BenchContext): Promise<ScenarioRow[]> {
  const links = Math.max(...ctx.options.scaleLinks);
  await ctx.seeder.seed(links);
  const tagged = await withPgClient(primaryConnectionString(ctx.stack.topology), async (client) => {
    const result = await client.query(
      `update links set tags = array[$1::text] where code like 'bench-%'
         and ('x' || right(code, 6))::bit(24)::int % 100 = 0 and not tags @> array[$1::text]`,
      [BENCH_TAG],
    );
    await client.query("analyze links");
    return result.rowCount ?? 0;
  });
  ctx.say(`search: ${links} links, ${tagged} newly tagged ${BENCH_TAG}`);
  const rows: ScenarioRow[] = [];
  for (const search of SEARCHES) {
    await listLoad(ctx, search.query, Math.min(ctx.options.warmupS, 3));
    const runs = [];
    for (let run = 1; run <= ctx.options.runs; run++) {
      await ctx.ensureBenchGateway();
      runs.push(
        await measureRun(ctx.stack.topology, ctx.stack.daemons(), () =>
          listLoad(ctx, search.query, ctx.options.durationS),
        ),
      );
      const last = runs.at(-1);
      ctx.say(
        `search ${search.name}: run ${run}: ${Math.round(last?.requestsPerSecond ?? 0)} calls/s, ` +
          `p50 ${(last?.latency.p50 ?? 0).toFixed(1)} ms, p99 ${(last?.latency.p99 ?? 0).toFixed(1)} ms`,
      );
    }
    rows.push({
      scenario: `search-${search.name}`,
      label: `9 search, ${links.toLocaleString("en-US")} links: ${search.label}`,
      runs,
      extra: { links, query: search.query },
    });
  }
  return rows;
}
