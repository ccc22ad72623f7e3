import { primaryConnectionString, withPgClient } from "@kurt/tool";
import type { Topology } from "@kurt/topology";
import { type ClickLagProbe, openClickLagProbe } from "../click-lag.js";
import type { RunMeasurement } from "../measure.js";
import { scrapeSum } from "../prometheus.js";
import type { RequestList } from "../request-lists.js";
import { type BenchContext, measureWrk, type ScenarioRow, wrkLoad } from "./bench-context.js";

/**
 * Scenario 7: hot redirects at full speed for a while (60 s by default), and
 * meanwhile, every second, clicklog's consumer lag (asked of Kafka) and the
 * clicks it has stored (its metrics). After the load, the bench waits until
 * every click the resolvers queued is stored, then asks Postgres how long
 * each click took from the redirect (occurred_at, set by the resolver when
 * it answered) to being counted (stored_at, the storing transaction's time,
 * which also updated the rollups the stats are read from).
 */

interface LagSample {
  /** Seconds since the load started. */
  readonly t: number;
  readonly lag: number;
  readonly stored: number;
}

export interface ClicksRunFacts {
  /** Events clicklog had not yet committed when the run began (earlier scenarios' clicks). */
  readonly lagAtStart: number;
  readonly redirectsPerSecond: number;
  readonly storedPerSecond: number;
  readonly enqueued: number;
  readonly dropped: number;
  readonly storedAfterDrain: number;
  readonly drainSeconds: number | null;
  readonly maxLag: number;
  readonly lagAtEndOfLoad: number;
  /** Least-squares slope of the lag over the second half of the load, events per second. */
  readonly lagSlopePerSecond: number;
  readonly delaySeconds: { p50: number; p99: number; p999: number; max: number; clicks: number } | null;
  readonly samples: readonly LagSample[];
}

const metricsUrls = (topology: Topology, service: "resolver" | "clicklog") =>
  topology.services[service].metricsPorts.map((port) => `http://${topology.host}:${port}/metrics`);

/** Waits until the lag is at most `target`; returns the last lag seen. */
async function waitForLag(probe: ClickLagProbe, target: number, limitMs: number): Promise<number> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const lag = await probe.lag().catch(() => Number.NaN);
    if (lag <= target || Date.now() > deadline) return lag;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function slope(samples: readonly LagSample[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const meanT = samples.reduce((s, p) => s + p.t, 0) / n;
  const meanLag = samples.reduce((s, p) => s + p.lag, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const p of samples) {
    numerator += (p.t - meanT) * (p.lag - meanLag);
    denominator += (p.t - meanT) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

async function clickDelays(topology: Topology, from: Date, to: Date): Promise<ClicksRunFacts["delaySeconds"]> {
  return withPgClient(primaryConnectionString(topology), async (client) => {
    const result = await client.query<{ p: number[] | null; max: number | null; n: string }>(
      `select percentile_cont(array[0.5, 0.99, 0.999]) within group (order by extract(epoch from stored_at - occurred_at)) as p,
              max(extract(epoch from stored_at - occurred_at))::float8 as max,
              count(*) as n
         from clicks where occurred_at >= $1 and occurred_at < $2`,
      [from, to],
    );
    const row = result.rows[0];
    if (row?.p == null) return null;
    const [p50, p99, p999] = row.p.map(Number) as [number, number, number];
    return { p50, p99, p999, max: Number(row.max), clicks: Number(row.n) };
  });
}

async function oneRun(ctx: BenchContext, zipf: RequestList, probe: ClickLagProbe) {
  const { topology } = ctx.stack;
  const durationS = ctx.options.clicksDurationS;
  const clicklog = metricsUrls(topology, "clicklog");
  const resolvers = metricsUrls(topology, "resolver");
  const stored = () => scrapeSum(clicklog, "clicklog_events_stored_total");
  const queued = async () =>
    (await scrapeSum(resolvers, "resolver_click_events_enqueued_total")) -
    (await scrapeSum(resolvers, "resolver_click_events_dropped_total"));
  // Clicks of the earlier scenarios may still be on their way: give clicklog a while to catch up first.
  const lagAtStart = await waitForLag(probe, 0, 120_000);
  const storedBefore = await stored();
  const enqueuedBefore = await scrapeSum(resolvers, "resolver_click_events_enqueued_total");
  const droppedBefore = await scrapeSum(resolvers, "resolver_click_events_dropped_total");
  const startedAt = new Date();
  const samples: LagSample[] = [];
  let loading = true;
  const sampler = (async () => {
    while (loading) {
      const t = (Date.now() - startedAt.getTime()) / 1000;
      const [lag, storedNow] = await Promise.all([probe.lag().catch(() => Number.NaN), stored()]);
      samples.push({ t, lag, stored: storedNow - storedBefore });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  const measured: RunMeasurement = await measureWrk(
    ctx,
    wrkLoad(ctx, "replay.lua", [zipf.file, "/", String(ctx.nextStart(zipf.length))], durationS),
  );
  loading = false;
  await sampler;
  const loadEndedAt = new Date();
  const storedAtEnd = (await stored()) - storedBefore;
  const lagAtEndOfLoad = await probe.lag().catch(() => Number.NaN);

  // Every click the resolvers queued (and did not drop) should end up stored.
  const drainLimitMs = Math.max(60_000, durationS * 2000);
  let drainSeconds: number | null = null;
  for (;;) {
    const waited = Date.now() - loadEndedAt.getTime();
    const target = (await queued()) - (enqueuedBefore - droppedBefore);
    if ((await stored()) - storedBefore >= target) {
      drainSeconds = waited / 1000;
      break;
    }
    if (waited > drainLimitMs) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const enqueued = (await scrapeSum(resolvers, "resolver_click_events_enqueued_total")) - enqueuedBefore;
  const dropped = (await scrapeSum(resolvers, "resolver_click_events_dropped_total")) - droppedBefore;
  const secondHalf = samples.filter((sample) => sample.t >= durationS / 2 && Number.isFinite(sample.lag));
  const facts: ClicksRunFacts = {
    lagAtStart,
    redirectsPerSecond: (measured.statusClasses["3xx"] ?? 0) / measured.durationS,
    storedPerSecond: storedAtEnd / measured.durationS,
    enqueued,
    dropped,
    storedAfterDrain: (await stored()) - storedBefore,
    drainSeconds,
    maxLag: Math.max(0, ...samples.map((sample) => sample.lag).filter(Number.isFinite), lagAtEndOfLoad || 0),
    lagAtEndOfLoad,
    lagSlopePerSecond: slope(secondHalf),
    delaySeconds: await clickDelays(topology, startedAt, loadEndedAt),
    samples,
  };
  return { measured, facts };
}

export async function runClicks(ctx: BenchContext, zipf: RequestList): Promise<ScenarioRow> {
  const probe = await openClickLagProbe(ctx.stack.topology);
  try {
    const runs: RunMeasurement[] = [];
    const facts: ClicksRunFacts[] = [];
    for (let run = 1; run <= ctx.options.heavyRuns; run++) {
      ctx.say(`clicks: run ${run}: ${ctx.options.clicksDurationS} s of hot redirects`);
      const result = await oneRun(ctx, zipf, probe);
      runs.push(result.measured);
      facts.push(result.facts);
      const f = result.facts;
      ctx.say(
        `clicks: run ${run}: ${Math.round(f.redirectsPerSecond)} redirects/s, ${Math.round(f.storedPerSecond)} stored/s, ` +
          `max lag ${f.maxLag}, drained in ${f.drainSeconds ?? "(not)"} s, delay p99 ${f.delaySeconds?.p99.toFixed(2) ?? "?"} s`,
      );
    }
    return { scenario: "clicks", label: "7 clicks (hot redirects at max)", runs, extra: { runs: facts } };
  } finally {
    await probe.close().catch(() => {});
  }
}
