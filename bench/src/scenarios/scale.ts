import type { RunMeasurement } from "../measure.js";
import { memoryOf } from "../process-stats.js";
import { zipfList } from "../request-lists.js";
import { type BenchContext, measureWrk, type ScenarioRow, warmUp, wrkLoad } from "./bench-context.js";

/**
 * Scenario 8: the hot redirect rate and each resolver's memory with more
 * links seeded. The resolvers restart before each size, so their memory
 * is that of this size only; it is read (VmRSS, and the peak VmHWM) after
 * every measured run.
 */
export interface ResolverMemory {
  readonly daemon: string;
  readonly rssBytes: number;
  readonly peakRssBytes: number;
}

export async function runScale(ctx: BenchContext, listLength: number): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = [];
  for (const links of ctx.options.scaleLinks) {
    await ctx.seeder.seed(links);
    const zipf = zipfList(ctx.listsDir, links, listLength, 0.05);
    ctx.say(`scale ${links}: restarting the resolvers`);
    await ctx.stack.restartResolvers();
    ctx.repin();
    const load = (durationS: number) =>
      wrkLoad(ctx, "replay.lua", [zipf.file, "/", String(ctx.nextStart(zipf.length))], durationS);
    await warmUp(ctx, load(ctx.options.warmupS));
    const runs: RunMeasurement[] = [];
    const memory: ResolverMemory[][] = [];
    for (let run = 1; run <= ctx.options.heavyRuns; run++) {
      runs.push(await measureWrk(ctx, load(ctx.options.durationS)));
      const resolvers = [...ctx.stack.daemons()].filter(([name]) => name.startsWith("resolver-"));
      memory.push(resolvers.map(([daemon, pid]) => ({ daemon, ...memoryOf(pid) })));
      const largest = Math.max(...(memory.at(-1) ?? []).map((m) => m.rssBytes));
      ctx.say(
        `scale ${links}: run ${run}: ${Math.round((runs.at(-1) as RunMeasurement).requestsPerSecond)} req/s, ` +
          `largest resolver RSS ${(largest / 2 ** 20).toFixed(0)} MiB`,
      );
    }
    rows.push({
      scenario: `scale-${links}`,
      label: `8 scale: ${links.toLocaleString("en-US")} links (hot)`,
      runs,
      extra: { links, resolverMemory: memory, distinctCodes: zipf.distinct },
    });
  }
  return rows;
}
