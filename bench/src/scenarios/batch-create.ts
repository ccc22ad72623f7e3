import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { latencySummary } from "../client-latency.js";
import { type LoadOutcome, measureRun } from "../measure.js";
import type { BenchContext, ScenarioRow } from "./bench-context.js";

/** DESIGN.md §2's largest batch. */
const BATCH = 1_000;
/** Batches in flight at once, as `./kurt import` sends them. */
const CLIENTS = 4;

/**
 * CLIENTS clients sending `POST /v1/links:batchCreate` of BATCH new links
 * back to back for `durationS`; requests counts links created (each item
 * whose result is a link), latency is per batch.
 */
async function batchLoad(ctx: BenchContext, durationS: number): Promise<LoadOutcome> {
  const run = randomBytes(4).toString("hex");
  const latencies: number[] = [];
  let created = 0;
  let errors = 0;
  let sequence = 0;
  const started = performance.now();
  const until = started + durationS * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const batch = sequence++;
      const links = Array.from({ length: BATCH }, (_, i) => ({
        url: `https://example.com/bench/batch/${run}/${batch}/${i}?utm_source=bench`,
        tags: ["bench-batch"],
      }));
      const sent = performance.now();
      try {
        const response = await fetch(`${ctx.gatewayUrl}/v1/links:batchCreate`, {
          method: "POST",
          headers: { authorization: `Bearer ${ctx.adminKey}`, "content-type": "application/json" },
          body: JSON.stringify({ links }),
          signal: AbortSignal.timeout(60_000),
        });
        const body = (await response.json()) as { results?: Array<{ link?: unknown }> };
        if (response.status !== 200) errors++;
        created += (body.results ?? []).filter((result) => result.link !== undefined).length;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return {
    requests: created,
    durationS: (performance.now() - started) / 1000,
    latency: latencySummary(latencies),
    transportErrors: errors,
  };
}

/**
 * Scenario 10: bulk create (issue 15 item 7: at least 5,000 links/s end to
 * end): batches of 1,000 through Envoy's transcoder to the shortener, which
 * commits them on the primary and its synchronous standby, writes each to
 * Redis and publishes its link event. The rate is links created per second.
 */
export async function runBatchCreate(ctx: BenchContext): Promise<ScenarioRow> {
  await batchLoad(ctx, Math.min(ctx.options.warmupS, 3));
  const runs = [];
  for (let run = 1; run <= ctx.options.runs; run++) {
    await ctx.ensureBenchGateway();
    runs.push(await measureRun(ctx.stack.topology, ctx.stack.daemons(), () => batchLoad(ctx, ctx.options.durationS)));
    const last = runs.at(-1);
    ctx.say(
      `batch-create: run ${run}: ${Math.round(last?.requestsPerSecond ?? 0)} links/s, ` +
        `p50 ${(last?.latency.p50 ?? 0).toFixed(0)} ms per batch of ${BATCH}`,
    );
  }
  return {
    scenario: "batch-create",
    label: `10 batch create (POST /v1/links:batchCreate, ${BATCH} links a call, ${CLIENTS} at once), links/s`,
    runs,
    extra: { batch: BATCH, clients: CLIENTS },
  };
}
