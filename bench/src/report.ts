import type { MachineInfo } from "./machine.js";
import type { RunMeasurement } from "./measure.js";
import type { ScenarioRow } from "./scenarios/bench-context.js";
import type { ClicksRunFacts } from "./scenarios/clicks.js";
import type { ResolverMemory } from "./scenarios/scale.js";
import { type Summary, summarize } from "./summary.js";
import { kurtCpuMs, redirectPathCpuMs, type TargetCheck } from "./targets.js";

/** The results as Markdown tables: printed at the end of a run, and pasted into BENCHMARKS.md. */

const CPU_GROUPS = ["envoy", "resolver", "redis", "postgres", "pgbouncer", "kafka", "clicklog", "shortener"] as const;
const STUB_GROUP = "stub";

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function formatRange(summary: Summary, digits: number): string {
  const f = (n: number) => (digits === 0 ? Math.round(n).toLocaleString("en-US") : n.toFixed(digits));
  if (Number.isNaN(summary.median)) return "–";
  return summary.min === summary.max ? f(summary.median) : `${f(summary.median)} (${f(summary.min)}–${f(summary.max)})`;
}

const med = (values: readonly number[]) => summarize(values).median;

function classShare(m: RunMeasurement, klass: string): number {
  const total = Object.values(m.statusClasses).reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : (m.statusClasses[klass] ?? 0) / total;
}

/**
 * For a row whose answers should all be of one class (the ceilings, the
 * floor): the other classes any run got, with their largest share in a run,
 * e.g. " !! 2xx 100.0 %"; empty when every run got only the expected class.
 */
function unexpectedClasses(row: ScenarioRow): string {
  const expected = row.expectedStatusClass;
  if (expected === undefined) return "";
  const seen = [...new Set(row.runs.flatMap((m) => Object.keys(m.statusClasses)))].sort();
  const others = seen
    .filter((klass) => klass !== expected)
    .map((klass) => [klass, Math.max(...row.runs.map((m) => classShare(m, klass)))] as const)
    .filter(([, share]) => share > 0);
  const noAnswers = row.runs.some((m) => m.requests > 0 && Object.values(m.statusClasses).every((n) => n === 0));
  const parts = others.map(([klass, share]) => `${klass} ${(share * 100).toFixed(1)} %`);
  if (noAnswers) parts.push("a run without status counters");
  return parts.length === 0 ? "" : ` !! not ${expected}: ${parts.join(", ")}`;
}

function errorShare(row: ScenarioRow): string {
  const { runs } = row;
  const share = (klass: string) => med(runs.map((m) => classShare(m, klass)));
  const transport = med(runs.map((m) => m.transportErrors));
  return (
    `${(share("4xx") * 100).toFixed(1)} / ${(share("5xx") * 100).toFixed(1)}` +
    `${transport > 0 ? ` +${transport} io` : ""}${unexpectedClasses(row)}`
  );
}

export function resultsTable(rows: readonly ScenarioRow[]): string {
  return table(
    ["scenario", "req/s: median (range)", "× ceiling (4)", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "4xx / 5xx %"],
    rows.map((row) => {
      const maxima = row.runs.map((m) => m.latency.max).filter((max): max is number => max !== undefined);
      return [
        row.label,
        formatRange(summarize(row.runs.map((m) => m.requestsPerSecond)), 0),
        row.ratiosToCeiling === undefined ? "–" : formatRange(summarize(row.ratiosToCeiling), 2),
        med(row.runs.map((m) => m.latency.p50)).toFixed(2),
        med(row.runs.map((m) => m.latency.p99)).toFixed(2),
        med(row.runs.map((m) => m.latency.p999)).toFixed(2),
        // The worst request of any run, not a median.
        maxima.length === 0 ? "–" : Math.max(...maxima).toFixed(2),
        errorShare(row),
      ];
    }),
  );
}

/** The floor's stub (bench/src/floor/) gets a column, after Envoy's, only in a bench that ran it. */
function cpuGroups(rows: readonly ScenarioRow[]): readonly string[] {
  const stub = rows.some((row) => row.runs.some((m) => STUB_GROUP in m.cpuPer1k));
  return stub ? [CPU_GROUPS[0], STUB_GROUP, ...CPU_GROUPS.slice(1)] : CPU_GROUPS;
}

export function cpuTable(rows: readonly ScenarioRow[]): string {
  const groups = cpuGroups(rows);
  return table(
    ["scenario", ...groups, "envoy+upstream", "all Kurt", "busy cores", "other CPU s"],
    rows.map((row) => {
      const perGroup = groups.map((group) => med(row.runs.map((m) => m.cpuPer1k[group] ?? 0)));
      return [
        row.label,
        ...perGroup.map((value) => value.toFixed(3)),
        med(row.runs.map(redirectPathCpuMs)).toFixed(3),
        med(row.runs.map(kurtCpuMs)).toFixed(3),
        med(row.runs.map((m) => m.machineBusyCores)).toFixed(2),
        med(row.runs.map((m) => m.otherCpuSeconds)).toFixed(1),
      ];
    }),
  );
}

export function clicksTable(rows: readonly ScenarioRow[]): string | undefined {
  const facts = rows.find((row) => row.scenario === "clicks")?.extra?.runs as ClicksRunFacts[] | undefined;
  if (facts === undefined) return undefined;
  return table(
    [
      "run",
      "redirects/s",
      "stored/s",
      "lag at start",
      "max lag",
      "lag at end",
      "lag slope /s",
      "drained in s",
      "dropped",
      "delay p50 s",
      "delay p99 s",
      "delay max s",
    ],
    facts.map((f, i) => [
      String(i + 1),
      Math.round(f.redirectsPerSecond).toLocaleString("en-US"),
      Math.round(f.storedPerSecond).toLocaleString("en-US"),
      String(f.lagAtStart),
      String(f.maxLag),
      String(f.lagAtEndOfLoad),
      f.lagSlopePerSecond.toFixed(0),
      f.drainSeconds === null ? "not drained" : f.drainSeconds.toFixed(1),
      String(f.dropped),
      f.delaySeconds?.p50.toFixed(2) ?? "–",
      f.delaySeconds?.p99.toFixed(2) ?? "–",
      f.delaySeconds?.max.toFixed(2) ?? "–",
    ]),
  );
}

export function scaleTable(rows: readonly ScenarioRow[]): string | undefined {
  const scale = rows.filter((row) => row.scenario.startsWith("scale-"));
  if (scale.length === 0) return undefined;
  return table(
    ["links", "hot req/s", "resolver RSS MiB (each, last run)", "peak RSS MiB", "distinct codes asked"],
    scale.map((row) => {
      const memory = ((row.extra?.resolverMemory ?? []) as ResolverMemory[][]).at(-1) ?? [];
      return [
        ((row.extra?.links ?? 0) as number).toLocaleString("en-US"),
        formatRange(summarize(row.runs.map((m) => m.requestsPerSecond)), 0),
        memory.map((m) => (m.rssBytes / 2 ** 20).toFixed(0)).join(", "),
        memory.map((m) => (m.peakRssBytes / 2 ** 20).toFixed(0)).join(", "),
        ((row.extra?.distinctCodes ?? 0) as number).toLocaleString("en-US"),
      ];
    }),
  );
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  return table(
    ["target", "measured (median)", "met", "bound measured in this run"],
    checks.map((check) => [
      check.target,
      check.measured,
      check.met === undefined ? "–" : check.met ? "yes" : "**no**",
      check.designBound ?? "–",
    ]),
  );
}

export function machineLine(machine: MachineInfo): string {
  const v = machine.versions;
  return (
    `${machine.cores} cores (${machine.cpuModel}), ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, ` +
    `Linux ${machine.kernel}; Node ${v.node}, Envoy ${v.envoy}, Kafka ${v.kafka}, PostgreSQL ${v.postgres}, ` +
    `Redis ${v.redis}, PgBouncer ${v.pgbouncer}, wrk ${v.wrk}; load average at start ` +
    `${machine.loadAverageAtStart.map((n) => n.toFixed(2)).join(" ")}` +
    (machine.cpuPressureAtStart === undefined ? "" : `, CPU pressure ${machine.cpuPressureAtStart.toFixed(0)} %`)
  );
}

export function fullReport(
  rows: readonly ScenarioRow[],
  checks: readonly TargetCheck[],
  machine: MachineInfo,
  settings: string,
  atRest: Readonly<Record<string, number>>,
): string {
  const restTotal = Object.values(atRest).reduce((a, b) => a + b, 0);
  const restParts = Object.entries(atRest)
    .sort(([, a], [, b]) => b - a)
    .map(([group, cores]) => `${group} ${cores.toFixed(3)}`)
    .join(", ");
  const parts = [
    `Machine: ${machineLine(machine)}`,
    `Settings: ${settings}`,
    `Kurt at rest (no load): ${restTotal.toFixed(3)} cores (${restParts}); it is part of every CPU figure below.`,
    "",
    resultsTable(rows),
    "",
    "CPU seconds per 1,000 requests (= CPU ms per request; median of the runs), by process group of Kurt;",
    "envoy+upstream: Envoy and what answers behind it (resolvers, or the floor's stub), summed per run; all Kurt: every",
    "group but the stub; busy cores: the whole machine; other CPU s: machine CPU not used by Kurt during a run",
    "(the load generator and anything else running).",
    ...(cpuGroups(rows).includes(STUB_GROUP)
      ? ["stub: the floor's trivial upstream (row 4b), not counted in all Kurt."]
      : []),
    "",
    cpuTable(rows),
  ];
  const clicks = clicksTable(rows);
  if (clicks !== undefined) parts.push("", "Clicks (scenario 7), each run:", "", clicks);
  const scale = scaleTable(rows);
  if (scale !== undefined) parts.push("", "Scale (scenario 8):", "", scale);
  parts.push("", "Targets of issue 11:", "", targetsTable(checks));
  return parts.join("\n");
}
