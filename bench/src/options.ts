/**
 * The command line of `npm run bench`. Every duration is in seconds; --quick
 * shortens all of them so that the whole run fits in about five minutes.
 */

export const SCENARIOS = [
  "ceiling",
  "floor",
  "hot",
  "hot-rules",
  "cold",
  "uniform",
  "latency",
  "latency-fixed",
  "create",
  "clicks",
  "scale",
  "search",
  "batch-create",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  readonly quick: boolean;
  /** One measured run. */
  readonly durationS: number;
  /** The discarded run before the measured ones. */
  readonly warmupS: number;
  readonly runs: number;
  /** Measured runs of the scenarios that restart or reseed (cold, clicks, scale): one with --quick. */
  readonly heavyRuns: number;
  readonly connections: number;
  /** wrk threads; one core is one thread. */
  readonly threads: number;
  /** Links seeded for every scenario but scale. */
  readonly links: number;
  /** The link counts of the scale scenario, ascending. */
  readonly scaleLinks: readonly number[];
  /** Length of the load under which clicklog is watched. */
  readonly clicksDurationS: number;
  /** Scenarios to run, in the order of SCENARIOS (dependencies added). */
  readonly scenarios: readonly ScenarioName[];
  /** Envoy's access log during the bench (it is on in production). */
  readonly accessLog: boolean;
  /** Pin the load generator to core 0 and Kurt to the other cores. */
  readonly pin: boolean;
  /** Leave a stack the bench started running at the end. */
  readonly keepStack: boolean;
  readonly outDir: string;
}

export const USAGE = `usage: npm run bench -- [options]

Starts Kurt with ./kurt up (or reuses a running stack), seeds links, drives the
gateway with wrk and a fixed-rate generator, prints a table and writes
bench/results/<timestamp>.json.

  --quick               short runs: the whole bench in about five minutes
  --duration S          seconds per measured run (default 30; quick 5)
  --warmup S            seconds of the discarded warm-up run (default 10; quick 3)
  --runs N              measured runs per scenario, median reported (default 3; with --quick,
                        cold, clicks and scale make one run each unless --runs is given)
  --connections N       wrk connections (default 64)
  --threads N           wrk threads (default 1: wrk has one core)
  --links N             links seeded for the redirect scenarios (default 100000)
  --scale-links A,B     link counts of the scale scenario (default 100000,1000000)
  --clicks-duration S   seconds of load while clicklog is watched (default 60; quick 15)
  --scenario NAME       run only these (repeat or comma-separate): ${SCENARIOS.join(", ")}
                        (ceiling, the bare and the filtered one, always runs with a redirect scenario:
                        ratios come from the same run; latency needs hot; latency-fixed is 1,000 redirects/s)
  --access-log on|off   Envoy's access log while measuring (default on, as in production)
  --no-pin              do not pin wrk to core 0 and Kurt's processes to the other cores
  --keep-stack          leave running a stack that the bench started
  --out DIR             where the JSON results go (default bench/results)
  -h, --help            this text

Environment: KURT_PORT_BASE, KURT_STATE_DIR, KURT_CACHE_DIR and the replica counts,
as for ./kurt.`;

export class UsageError extends Error {}

function positiveInteger(name: string, text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`${name} needs a whole number above 0, got ${JSON.stringify(text ?? "")}`);
  }
  return Number(text);
}

function scenarioList(text: string): ScenarioName[] {
  return text.split(",").map((name) => {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new UsageError(`unknown scenario ${JSON.stringify(name)}; one of ${SCENARIOS.join(", ")}`);
    }
    return name as ScenarioName;
  });
}

/** What the chosen scenarios need besides themselves. */
function withDependencies(chosen: readonly ScenarioName[]): ScenarioName[] {
  const wanted = new Set(chosen);
  if (wanted.has("latency")) wanted.add("hot");
  // Its target is a ratio to the plain hot rate, measured interleaved in the same run.
  if (wanted.has("hot-rules")) wanted.add("hot");
  const redirects: ScenarioName[] = [
    "floor",
    "hot",
    "hot-rules",
    "cold",
    "uniform",
    "latency",
    "latency-fixed",
    "clicks",
    "scale",
  ];
  if (redirects.some((name) => wanted.has(name))) wanted.add("ceiling");
  return SCENARIOS.filter((name) => wanted.has(name));
}

/** Undefined when help was asked for. */
export function parseOptions(argv: readonly string[]): BenchOptions | undefined {
  const given = new Map<string, string>();
  const chosen: ScenarioName[] = [];
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-h" || arg === "--help") return undefined;
    if (["--quick", "--no-pin", "--keep-stack"].includes(arg)) {
      flags.add(arg);
      continue;
    }
    const [name, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg];
    const known = [
      "--duration",
      "--warmup",
      "--runs",
      "--connections",
      "--threads",
      "--links",
      "--scale-links",
      "--clicks-duration",
      "--scenario",
      "--access-log",
      "--out",
    ];
    if (name === undefined || !known.includes(name)) throw new UsageError(`unknown option ${arg}; see --help`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    if (name === "--scenario") chosen.push(...scenarioList(value));
    else given.set(name, value);
  }
  const quick = flags.has("--quick");
  const number = (name: string, fallback: number) =>
    given.has(name) ? positiveInteger(name, given.get(name)) : fallback;
  const accessLog = given.get("--access-log") ?? "on";
  if (accessLog !== "on" && accessLog !== "off") throw new UsageError("--access-log is on or off");
  const scaleLinks = (given.get("--scale-links") ?? "100000,1000000")
    .split(",")
    .map((text) => positiveInteger("--scale-links", text))
    .sort((a, b) => a - b);
  return {
    quick,
    durationS: number("--duration", quick ? 5 : 30),
    warmupS: number("--warmup", quick ? 3 : 10),
    runs: number("--runs", 3),
    heavyRuns: number("--runs", quick ? 1 : 3),
    connections: number("--connections", 64),
    threads: number("--threads", 1),
    links: number("--links", 100_000),
    scaleLinks,
    clicksDurationS: number("--clicks-duration", quick ? 15 : 60),
    scenarios: withDependencies(chosen.length === 0 ? SCENARIOS : chosen),
    accessLog: accessLog === "on",
    pin: !flags.has("--no-pin"),
    keepStack: flags.has("--keep-stack"),
    outDir: given.get("--out") ?? "bench/results",
  };
}
