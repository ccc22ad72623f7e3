import { setTimeout as sleep } from "node:timers/promises";
import type { ComponentContext } from "../components/component.js";
import { type ReplicationState, readReplicationState } from "../components/postgres.js";
import { parsePrometheusText, type Sample, sumOf } from "./prometheus-text.js";

/**
 * The one-screen summary below `./kurt status`: a few key numbers read from
 * Envoy's admin stats, the services' metrics endpoints and the Postgres
 * primary. Every part that cannot be read says "n/a" and why; nothing here
 * throws.
 */

/** One metrics page, or why it could not be read. */
export interface Scrape {
  /** e.g. "envoy", "resolver-2". */
  readonly target: string;
  readonly samples?: readonly Sample[];
  readonly error?: string;
}

export interface SummaryInput {
  /** Time between the two rounds of scrapes. */
  readonly seconds: number;
  readonly envoy: readonly [Scrape, Scrape];
  /** Each resolver replica's two scrapes. */
  readonly resolvers: ReadonlyArray<readonly [Scrape, Scrape]>;
  readonly shorteners: readonly Scrape[];
  readonly clicklogs: readonly Scrape[];
  readonly replication: { readonly state?: ReplicationState; readonly error?: string };
}

export interface SummaryLine {
  readonly key: string;
  readonly value: string;
}

const RESOLVE = "/kurt.v1.ResolverService/Resolve";
/** The resolvers' public redirect listener counts its answers by status; these are the redirects. */
const REDIRECT_STATUSES = ["301", "302", "307", "308"] as const;
/** Envoy's stats of the public listener's 3xx answers: the redirects (HEAD included). */
const ENVOY_FILTER = String.raw`^http\.public_http\.downstream_rq_3xx$`;
const ENVOY_REDIRECTS = ["envoy_http_downstream_rq_xx", { envoy_response_code_class: "3" }] as const;

async function scrape(target: string, url: string, timeoutMs: number): Promise<Scrape> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { target, error: `${target} answered HTTP ${response.status}` };
    return { target, samples: parsePrometheusText(await response.text()) };
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return { target, error: `${target} not answering (${cause ?? (error as Error).message})` };
  }
}

/** Scrapes Envoy and the resolvers twice, `sampleMs` apart, and everything else once. */
export async function collectMetricsSummary(
  ctx: ComponentContext,
  {
    sampleMs = 1_000,
    timeoutMs = 2_000,
    wait = sleep,
  }: {
    sampleMs?: number;
    timeoutMs?: number;
    /** The wait between the two rounds: the real one, or a test's that returns at once. */
    wait?: (ms: number) => Promise<unknown>;
  } = {},
): Promise<SummaryInput> {
  const { host, envoy, services } = ctx.topology;
  const envoyUrl = `http://${host}:${envoy.adminPort}/stats/prometheus?filter=${encodeURIComponent(ENVOY_FILTER)}`;
  const targets = (name: keyof typeof services) =>
    services[name].metricsPorts.map((port, i) => ({
      target: `${name}-${i + 1}`,
      url: `http://${host}:${port}/metrics`,
    }));
  const resolverTargets = targets("resolver");
  const firstRound = () =>
    Promise.all([
      scrape("envoy", envoyUrl, timeoutMs),
      Promise.all(resolverTargets.map((t) => scrape(t.target, t.url, timeoutMs))),
    ]);

  const started = performance.now();
  const [envoyBefore, resolversBefore] = await firstRound();
  await wait(Math.max(0, sampleMs - (performance.now() - started)));
  const secondStarted = performance.now();
  const [[envoyAfter, resolversAfter], shorteners, clicklogs, replication] = await Promise.all([
    firstRound(),
    Promise.all(targets("shortener").map((t) => scrape(t.target, t.url, timeoutMs))),
    Promise.all(targets("clicklog").map((t) => scrape(t.target, t.url, timeoutMs))),
    readReplicationState(ctx).then(
      (state) => ({ state }),
      (error: unknown) => ({ error: (error as Error).message }),
    ),
  ]);
  return {
    seconds: (secondStarted - started) / 1000,
    envoy: [envoyBefore, envoyAfter],
    resolvers: resolversBefore.map((before, i) => [before, resolversAfter[i] as Scrape] as const),
    shorteners,
    clicklogs,
    replication,
  };
}

const na = (reason: string) => `n/a (${reason})`;
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;
const count = (n: number) => Math.round(n).toLocaleString("en-US");

function answered(scrapes: readonly Scrape[], what: string): Sample[][] | string {
  const ok = scrapes.filter((s) => s.samples !== undefined).map((s) => s.samples as Sample[]);
  if (ok.length === 0)
    return scrapes.length === 0 ? `no ${what} in the topology` : (scrapes[0]?.error ?? `no ${what} answered`);
  return ok;
}

function partial(answering: number, total: number, what: string): string {
  return answering === total ? "" : `; only ${answering} of ${total} ${what} answering`;
}

/** A counter's growth between two scrapes of one process; undefined if it restarted meanwhile. */
function growth(before: readonly Sample[], after: readonly Sample[], name: string, where: Record<string, string>) {
  const delta = sumOf(after, name, where) - sumOf(before, name, where);
  return delta < 0 ? undefined : delta;
}

function bothRounds(pairs: ReadonlyArray<readonly [Scrape, Scrape]>) {
  return pairs.flatMap(([before, after]) =>
    before.samples !== undefined && after.samples !== undefined ? [[before.samples, after.samples] as const] : [],
  );
}

function redirectsLine(input: SummaryInput): string {
  const [before, after] = input.envoy;
  let envoyPart: string;
  if (before.samples === undefined || after.samples === undefined)
    envoyPart = na(`Envoy admin: ${(before.error ?? after.error) as string}`);
  else {
    const delta = growth(before.samples, after.samples, ...ENVOY_REDIRECTS);
    envoyPart =
      delta === undefined
        ? na("Envoy restarted during the sample")
        : `${(delta / input.seconds).toFixed(1)} (Envoy: 3xx answers of the public listener)`;
  }
  const pairs = bothRounds(input.resolvers);
  if (pairs.length === 0) return `${envoyPart}; resolvers: ${na("no resolver answered twice")}`;
  let redirected = 0;
  let resolved = 0;
  for (const [b, a] of pairs) {
    for (const status of REDIRECT_STATUSES) redirected += growth(b, a, "resolver_http_answers_total", { status }) ?? 0;
    resolved += growth(b, a, "grpc_server_handled_total", { method: RESOLVE, code: "OK" }) ?? 0;
  }
  const rate = (n: number) => (n / input.seconds).toFixed(1);
  return `${envoyPart}; resolvers: ${rate(redirected)} redirects/s over HTTP, ${rate(resolved)} Resolve OK/s over gRPC${partial(pairs.length, input.resolvers.length, "resolvers")}`;
}

interface LayerCounts {
  hits: number;
  total: number;
}

function layerCounts(samples: readonly Sample[]): Record<"memory" | "redis", LayerCounts> {
  const n = (layer: string, result: string) => sumOf(samples, "resolver_lookups_total", { layer, result });
  return {
    // A remembered unknown code is answered from memory too.
    memory: {
      hits: n("memory", "hit") + n("memory", "negative"),
      total: n("memory", "hit") + n("memory", "negative") + n("memory", "miss"),
    },
    redis: { hits: n("redis", "hit"), total: n("redis", "hit") + n("redis", "miss") + n("redis", "error") },
  };
}

function ratios(counts: Record<"memory" | "redis", LayerCounts>): string {
  return (["memory", "redis"] as const)
    .map((layer) => {
      const { hits, total } = counts[layer];
      return `${layer} ${total === 0 ? "-" : percent(hits, total)}`;
    })
    .join(", ");
}

function cacheLine(input: SummaryInput): string {
  const afters = answered(
    input.resolvers.map(([, after]) => after),
    "resolver",
  );
  if (typeof afters === "string") return na(afters);
  const sinceStart = { memory: { hits: 0, total: 0 }, redis: { hits: 0, total: 0 } };
  for (const samples of afters) {
    const counts = layerCounts(samples);
    for (const layer of ["memory", "redis"] as const) {
      sinceStart[layer].hits += counts[layer].hits;
      sinceStart[layer].total += counts[layer].total;
    }
  }
  if (sinceStart.memory.total === 0) return na("no lookups since the resolvers started");
  const window = { memory: { hits: 0, total: 0 }, redis: { hits: 0, total: 0 } };
  for (const [b, a] of bothRounds(input.resolvers)) {
    const [before, after] = [layerCounts(b), layerCounts(a)];
    for (const layer of ["memory", "redis"] as const) {
      // A resolver restarted within the sample counts from zero: leave it out.
      if (after[layer].total < before[layer].total) continue;
      window[layer].hits += after[layer].hits - before[layer].hits;
      window[layer].total += after[layer].total - before[layer].total;
    }
  }
  const recent =
    window.memory.total === 0
      ? `no lookups in the last ${input.seconds.toFixed(1)} s`
      : `${ratios(window)} hits over the last ${input.seconds.toFixed(1)} s (${count(window.memory.total)} lookups)`;
  return `${recent}; since start ${ratios(sinceStart)} (${count(sinceStart.memory.total)} lookups)${partial(afters.length, input.resolvers.length, "resolvers")}`;
}

function consumerLagLine(input: SummaryInput): string {
  const pages = answered(input.clicklogs, "clicklog");
  if (typeof pages === "string") return na(pages);
  // Every replica measures the whole group; the largest is the cautious reading.
  const measured = pages.filter((samples) => samples.some((s) => s.name === "clicklog_consumer_lag"));
  if (measured.length === 0) return na("not measured yet: clicklog refreshes it every few seconds once Kafka answers");
  const lag = Math.max(...measured.map((samples) => sumOf(samples, "clicklog_consumer_lag")));
  return `${count(lag)} click events not yet stored (kurt.clicks.v1, all partitions)${partial(pages.length, input.clicklogs.length, "clicklogs")}`;
}

function replicaLagLine(input: SummaryInput): string {
  const { state, error } = input.replication;
  if (error !== undefined) return na(error);
  if (state === undefined) return na("the replica's replication slot is not on the primary");
  if (state.state !== "streaming")
    return na(`the replica is not streaming (walsender state: ${state.state ?? "none"})`);
  const replay = state.replayLagMs === null ? "idle, nothing recent to time" : `${state.replayLagMs.toFixed(1)} ms`;
  return `${count(Number(state.bytesBehind ?? 0))} bytes of WAL not yet replayed; replay_lag ${replay}`;
}

function clickQueueLine(input: SummaryInput): string {
  const pages = answered(
    input.resolvers.map(([, after]) => after),
    "resolver",
  );
  if (typeof pages === "string") return na(pages);
  const depth = pages.reduce((n, s) => n + sumOf(s, "resolver_click_queue_depth"), 0);
  const dropped = pages.reduce((n, s) => n + sumOf(s, "resolver_click_events_dropped_total"), 0);
  return `${count(depth)} click events waiting for Kafka, ${count(dropped)} dropped since start${partial(pages.length, input.resolvers.length, "resolvers")}`;
}

function linkEventsLine(input: SummaryInput): string {
  const pages = answered(input.shorteners, "shortener");
  if (typeof pages === "string") return na(pages);
  const depth = pages.reduce((n, s) => n + sumOf(s, "kurt_shortener_link_events_queue_depth"), 0);
  const failed = pages.reduce((n, s) => n + sumOf(s, "kurt_shortener_link_events_failed_total"), 0);
  return `${count(depth)} link events waiting for Kafka, ${count(failed)} not published since start${partial(pages.length, input.shorteners.length, "shorteners")}`;
}

function poolsLine(input: SummaryInput): string {
  const scrapes = [...input.shorteners, ...input.resolvers.map(([, after]) => after), ...input.clicklogs];
  const pages = answered(scrapes, "service");
  if (typeof pages === "string") return na(pages);
  const total = (name: string, where: Record<string, string> = {}) =>
    pages.reduce((n, s) => n + sumOf(s, name, where), 0);
  const redisClients = pages.filter((s) => s.some((sample) => sample.name === "redis_client_ready")).length;
  return (
    [
      `Postgres ${count(total("pg_pool_connections", { state: "busy" }))} busy + ${count(total("pg_pool_connections", { state: "idle" }))} idle of ${count(total("pg_pool_max_connections"))}, ${count(total("pg_pool_waiting_clients"))} waiting`,
      `Redis ${count(total("redis_client_ready"))} of ${redisClients} clients ready, ${count(total("redis_client_pending_commands"))} commands pending`,
    ].join("; ") + partial(pages.length, scrapes.length, "services")
  );
}

/** Each line computed on its own, so that one odd page cannot take the others with it. */
export function summarize(input: SummaryInput): SummaryLine[] {
  const lines: Array<[string, (input: SummaryInput) => string]> = [
    ["redirects/s", redirectsLine],
    ["cache hits", cacheLine],
    ["consumer lag", consumerLagLine],
    ["replica lag", replicaLagLine],
    ["click queue", clickQueueLine],
    ["link events", linkEventsLine],
    ["pools", poolsLine],
  ];
  return lines.map(([key, line]) => {
    try {
      return { key, value: line(input) };
    } catch (error) {
      return { key, value: na(`could not be computed: ${(error as Error).message}`) };
    }
  });
}

export function formatSummary(lines: readonly SummaryLine[], seconds: number): string {
  const width = Math.max(...lines.map((line) => line.key.length));
  return [
    `KEY METRICS (sampled over ${seconds.toFixed(1)} s; all series: docs/metrics.md)`,
    ...lines.map((line) => `  ${line.key.padEnd(width)}  ${line.value}`),
  ].join("\n");
}
