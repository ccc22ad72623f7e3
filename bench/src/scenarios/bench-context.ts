import type { Cluster } from "ioredis";
import type { CpuPinning } from "../cpu-pinning.js";
import { type LoadOutcome, measureRun, type RunMeasurement } from "../measure.js";
import type { BenchOptions } from "../options.js";
import { seededRandom } from "../request-lists.js";
import type { LinkSeeder } from "../seed-links.js";
import type { StackControl } from "../stack-control.js";
import { runWrk, type WrkLoad, type WrkResult } from "../wrk.js";

/** What every scenario works with. */
export interface BenchContext {
  readonly options: BenchOptions;
  readonly stack: StackControl;
  readonly pinning: CpuPinning;
  readonly redis: Cluster;
  readonly seeder: LinkSeeder;
  /** Where request lists are written (under the stack's state dir). */
  readonly listsDir: string;
  /** Envoy's public listener. */
  readonly gatewayUrl: string;
  /** Envoy's bare listener (router only, a fixed 302 to anything): row 4's ceiling. */
  readonly bareCeiling: { readonly port: number; readonly url: string };
  readonly adminKey: string;
  readonly say: (line: string) => void;
  /** Moves every daemon of the stack (again, after a restart) to the stack's cores. */
  repin(): void;
  /**
   * Before every run: Envoy still runs the bench's profile (the bare listener
   * answers). A `./kurt up` or `./kurt restart envoy` by someone else on the
   * same stack puts the ordinary configuration back; the profile is then
   * applied again, and said so.
   */
  ensureBenchGateway(): Promise<void>;
  /** A start position in a request list, different for every run. */
  nextStart(length: number): number;
}

/** One row of the table: a scenario (or a part of one) with its measured runs. */
export interface ScenarioRow {
  readonly scenario: string;
  /** Short text for the table's first column. */
  readonly label: string;
  readonly runs: readonly RunMeasurement[];
  /** Each run's rate over the bare ceiling's (row 4), when it is a redirect figure. */
  readonly ratiosToCeiling?: readonly number[];
  /** Set when every answer should be of this class: the table then shows any run that got another. */
  readonly expectedStatusClass?: "3xx";
  /** Facts only this scenario has (clicks: lag, delay; scale: memory). */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly notes?: readonly string[];
}

export function wrkOutcome(result: WrkResult): LoadOutcome {
  const { errors, latencyUs } = result;
  return {
    requests: result.requests,
    durationS: result.durationUs / 1e6,
    latency: {
      p50: latencyUs.p50 / 1000,
      p90: latencyUs.p90 / 1000,
      p99: latencyUs.p99 / 1000,
      p999: latencyUs.p999 / 1000,
      max: latencyUs.max / 1000,
    },
    transportErrors: errors.connect + errors.read + errors.write + errors.timeout,
    detail: { wrk: result },
  };
}

/** A wrk run at full speed (the number of connections is the only limit) with the bench's settings. */
export function wrkLoad(
  ctx: BenchContext,
  script: WrkLoad["script"],
  scriptArgs: readonly string[],
  durationS: number,
  url: string = ctx.gatewayUrl,
): WrkLoad {
  return {
    url,
    script,
    scriptArgs,
    durationS,
    connections: ctx.options.connections,
    threads: ctx.options.threads,
  };
}

/** Runs wrk and measures around it. */
export async function measureWrk(ctx: BenchContext, load: WrkLoad): Promise<RunMeasurement> {
  await ctx.ensureBenchGateway();
  return measureRun(ctx.stack.topology, ctx.stack.daemons(), async () => wrkOutcome(await runWrk(load, ctx.pinning)));
}

/** Runs wrk without measuring: a warm-up. */
export async function warmUp(ctx: BenchContext, load: WrkLoad): Promise<void> {
  await ctx.ensureBenchGateway();
  if (ctx.options.warmupS > 0) await runWrk({ ...load, durationS: ctx.options.warmupS }, ctx.pinning);
}

export function startPositions(seed: number): (length: number) => number {
  const random = seededRandom(seed);
  return (length) => Math.floor(random() * length);
}
