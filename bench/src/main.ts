/**
 * `npm run bench`: brings Kurt up with ./kurt up, seeds links, measures the
 * scenarios of issues 5 and 11 with wrk (and a fixed-rate generator for
 * latency), prints the tables and writes bench/results/<timestamp>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { benchBareListenerPort } from "@kurt/gateway";
import { readAdminKey, readRedisPassword, resolvePaths } from "@kurt/tool";
import { createCpuPinning } from "./cpu-pinning.js";
import { type FloorStubs, startFloorStubs } from "./floor/floor-stubs.js";
import { describeMachine } from "./machine.js";
import { measureAtRest } from "./measure.js";
import { type BenchOptions, parseOptions, USAGE, UsageError } from "./options.js";
import { loadAverage } from "./process-stats.js";
import { fullReport } from "./report.js";
import { type RequestList, uniformList, zipfList } from "./request-lists.js";
import { runBatchCreate } from "./scenarios/batch-create.js";
import type { BenchContext, ScenarioRow } from "./scenarios/bench-context.js";
import { startPositions } from "./scenarios/bench-context.js";
import { runClicks } from "./scenarios/clicks.js";
import { runCold } from "./scenarios/cold.js";
import { runCreate } from "./scenarios/create.js";
import { runFixedRateLatency, runLatency } from "./scenarios/latency.js";
import { runRedirectThroughput } from "./scenarios/redirect-throughput.js";
import { runScale } from "./scenarios/scale.js";
import { runSearch } from "./scenarios/search.js";
import {
  BENCH_RULES,
  benchRedis,
  createLinkSeeder,
  RULES_DOMAIN,
  type SeedReport,
  seedRuledLinks,
} from "./seed-links.js";
import { openStack } from "./stack-control.js";
import { summarize } from "./summary.js";
import { checkTargets } from "./targets.js";

const started = Date.now();
const say = (line: string) => {
  const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  console.error(`[bench ${seconds} s] ${line}`);
};

function settingsLine(options: BenchOptions, listLength: number): string {
  return (
    `${options.quick ? "--quick, " : ""}${options.runs} measured runs ` +
    `${options.heavyRuns === options.runs ? "" : `(${options.heavyRuns} for cold, clicks and scale) `}` +
    `of ${options.durationS} s after a ${options.warmupS} s warm-up; wrk ${options.threads} thread(s), ${options.connections} connections; ` +
    `${options.links.toLocaleString("en-US")} links seeded; request lists of ${listLength.toLocaleString("en-US")} codes; ` +
    `clicks watched for ${options.clicksDurationS} s; Envoy access log ${options.accessLog ? "on" : "off"}, ` +
    `write rate limit lifted; ${options.pin ? "wrk on core 0, Kurt on the others" : "no CPU pinning"}`
  );
}

/** Every redirect row that has no ratio of its own gets one against the ceiling's median. */
function withCeilingRatios(rows: readonly ScenarioRow[], ceilingRate: number | undefined): ScenarioRow[] {
  if (ceilingRate === undefined) return [...rows];
  return rows.map((row) =>
    row.ratiosToCeiling !== undefined || !/^(cold|scale)/.test(row.scenario)
      ? row
      : { ...row, ratiosToCeiling: row.runs.map((m) => m.requestsPerSecond / ceilingRate) },
  );
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions | undefined;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench: ${error.message}`);
    return 2;
  }
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  const opts = options;
  const loadAtStart = loadAverage();
  const pinning = createCpuPinning(opts.pin);
  const stack = await openStack(say);
  // Read after openStack: a first `kurt up` makes the password.
  const redis = benchRedis(stack.topology, readRedisPassword(resolvePaths()));
  let stubs: FloorStubs | undefined;
  let cleaned = false;
  const cleanUp = async () => {
    if (cleaned) return;
    cleaned = true;
    pinning.restore();
    redis.disconnect();
    try {
      if (stack.startedByBench && !opts.keepStack) {
        say("stopping the stack the bench started (./kurt down)");
        await stack.down();
      } else {
        say("putting Envoy's ordinary configuration back");
        await pinning.onAllCores(() => stack.restoreGateway());
      }
    } finally {
      if (stubs !== undefined) {
        say(`stopping the floor stub (pid ${[...stubs.processes.values()].join(", ")})`);
        await stubs.stop();
        for (const name of stubs.processes.keys()) stack.detach(name);
      }
    }
  };
  process.once("SIGINT", () => {
    say("interrupted: cleaning up");
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    const adminKey = readAdminKey(resolvePaths());
    if (adminKey === undefined) throw new Error("no admin API key in the state dir: the create scenario needs one");
    const wants = (name: BenchOptions["scenarios"][number]) => opts.scenarios.includes(name);
    if (wants("floor")) {
      stubs = await startFloorStubs(stack.topology);
      for (const [name, pid] of stubs.processes) stack.attach(name, pid);
      say(`floor stub: node:http 302 on ${stubs.ports.httpPort} (pid ${[...stubs.processes.values()].join(", ")})`);
    }
    const barePort = benchBareListenerPort(stack.topology);
    say(
      `gateway profile: access log ${opts.accessLog ? "on" : "off"}, write rate limit lifted, ` +
        `bare listener on ${barePort}${stubs === undefined ? "" : ", route to the floor stub"}`,
    );
    const benchFloor = stubs === undefined ? {} : { httpPort: stubs.ports.httpPort };
    const applyProfile = () =>
      pinning.onAllCores(() => stack.applyBenchGateway({ accessLog: opts.accessLog, benchFloor }));
    await applyProfile();
    const repin = () => pinning.pinStack([...stack.daemons().values()]);
    repin();
    const bareUrl = `http://${stack.topology.host}:${barePort}/`;
    const ensureBenchGateway = async () => {
      const answered = await fetch(bareUrl, { redirect: "manual", signal: AbortSignal.timeout(5000) })
        .then(async (response) => {
          await response.arrayBuffer();
          return response.status === 302;
        })
        .catch(() => false);
      if (answered) return;
      say("Envoy no longer runs the bench's profile (restarted by someone else on this stack?): applying it again");
      await applyProfile();
      repin();
    };
    const seeder = createLinkSeeder(stack.topology, redis, say);
    const ctx: BenchContext = {
      options: opts,
      stack,
      pinning,
      redis,
      seeder,
      listsDir: path.join(stack.stateDir, "bench"),
      gatewayUrl: `http://${stack.topology.host}:${stack.topology.envoy.httpPort}`,
      bareCeiling: { port: barePort, url: `http://${stack.topology.host}:${barePort}` },
      adminKey,
      say,
      repin,
      ensureBenchGateway,
      nextStart: startPositions(0xbe9c),
    };
    const machine = await describeMachine(stack.topology, redis, stack.daemons(), loadAtStart);
    say(`load average at start ${loadAtStart.join(" ")}`);
    const atRestSeconds = opts.quick ? 3 : 10;
    say(`measuring Kurt at rest for ${atRestSeconds} s`);
    const atRest = await measureAtRest(stack.daemons(), atRestSeconds);

    const seeds: SeedReport[] = [await seeder.seed(opts.links)];
    const listLength = opts.quick ? 200_000 : 500_000;
    const zipf: RequestList = zipfList(ctx.listsDir, opts.links, listLength, 0.05);
    const uniform: RequestList = uniformList(ctx.listsDir, opts.links, listLength);

    let rows: ScenarioRow[] = [];
    if (wants("hot-rules")) {
      await seedRuledLinks(stack.topology, redis, opts.links);
      // Resolvers read the domains every 2 s; until then the Host would select the default domain.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      say(`hot-rules: ${opts.links} links on ${RULES_DOMAIN}, each with ${BENCH_RULES.length} rules`);
    }
    if (wants("ceiling") || wants("floor") || wants("hot") || wants("hot-rules") || wants("uniform")) {
      rows.push(
        ...(await runRedirectThroughput(ctx, {
          ceiling: wants("ceiling"),
          floor: wants("floor"),
          hot: wants("hot"),
          hotRules: wants("hot-rules"),
          uniform: wants("uniform"),
          zipf,
          uniformList: uniform,
        })),
      );
    }
    const rateOf = (scenario: string) => {
      const row = rows.find((r) => r.scenario === scenario);
      return row === undefined ? undefined : summarize(row.runs.map((m) => m.requestsPerSecond)).median;
    };
    const hotRate = rateOf("hot");
    if (wants("latency") && hotRate !== undefined) rows.push(...(await runLatency(ctx, zipf, hotRate)));
    if (wants("latency-fixed")) rows.push(...(await runFixedRateLatency(ctx, zipf)));
    if (wants("create")) rows.push(await runCreate(ctx));
    if (wants("clicks")) rows.push(await runClicks(ctx, zipf));
    if (wants("cold")) {
      rows.push(...(await runCold(ctx, zipf)));
      // The flush emptied Redis: the later scenarios expect every link in it.
      seeds.push(await seeder.seed(opts.links));
    }
    if (wants("scale")) rows.push(...(await runScale(ctx, listLength)));
    if (wants("search")) rows.push(...(await runSearch(ctx)));
    if (wants("batch-create")) rows.push(await runBatchCreate(ctx));
    rows = withCeilingRatios(rows, rateOf("ceiling"));

    const checks = checkTargets(rows);
    const settings = settingsLine(opts, listLength);
    const report = fullReport(rows, checks, machine, settings, atRest);
    const outDir = path.resolve(stack.root, opts.outDir);
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${new Date(started).toISOString().replace(/[:.]/g, "-")}.json`);
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          startedAt: new Date(started).toISOString(),
          finishedAt: new Date().toISOString(),
          options: opts,
          settings,
          machine,
          kurtAtRestCores: atRest,
          loadAverageAtEnd: loadAverage(),
          seeds,
          requestLists: { zipf, uniform },
          rows,
          targets: checks,
          report,
        },
        null,
        2,
      )}\n`,
    );
    console.log(report);
    say(`results written to ${path.relative(process.cwd(), file) || file}`);
    return 0;
  } finally {
    await cleanUp();
  }
}

process.exitCode = await main(process.argv.slice(2));
