import type { RunMeasurement } from "../measure.js";
import type { RequestList } from "../request-lists.js";
import { type BenchContext, measureWrk, type ScenarioRow, wrkLoad } from "./bench-context.js";

/**
 * Scenario 2: hot redirects right after every resolver restarted (empty
 * in-process caches) and every Redis master was flushed (empty shared
 * cache): the first lookups go to the Postgres replica. The first 10 s are
 * one wrk run and the rest another, so the two are reported apart. There is
 * no warm-up: each run starts cold again.
 */
export const COLD_FIRST_SECONDS = 10;

export async function runCold(ctx: BenchContext, zipf: RequestList): Promise<ScenarioRow[]> {
  const first: RunMeasurement[] = [];
  const after: RunMeasurement[] = [];
  const load = (durationS: number) =>
    wrkLoad(ctx, "replay.lua", [zipf.file, "/", String(ctx.nextStart(zipf.length))], durationS);
  for (let run = 1; run <= ctx.options.heavyRuns; run++) {
    ctx.say(`cold: run ${run}: restarting the resolvers, flushing Redis`);
    await ctx.stack.restartResolvers();
    ctx.repin();
    await ctx.seeder.flushRedis();
    first.push(await measureWrk(ctx, load(COLD_FIRST_SECONDS)));
    after.push(await measureWrk(ctx, load(ctx.options.durationS)));
    ctx.say(
      `cold: run ${run}: ${Math.round((first.at(-1) as RunMeasurement).requestsPerSecond)} req/s in the first ` +
        `${COLD_FIRST_SECONDS} s, ${Math.round((after.at(-1) as RunMeasurement).requestsPerSecond)} after`,
    );
  }
  return [
    { scenario: "cold-first", label: `2 redirect, cold: first ${COLD_FIRST_SECONDS} s`, runs: first },
    { scenario: "cold-after", label: `2 redirect, cold: after ${COLD_FIRST_SECONDS} s`, runs: after },
  ];
}
