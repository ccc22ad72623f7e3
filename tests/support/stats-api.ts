import { setTimeout as sleep } from "node:timers/promises";
import { describe, type HttpAnswer, request } from "./http-client.js";

export interface CountJson {
  readonly value: string;
  readonly clicks: number;
}

/** Stats as the REST API answers them (proto3 JSON, DESIGN.md §2). */
export interface StatsJson {
  readonly code: string;
  readonly domain: string;
  readonly total: number;
  readonly humanTotal: number;
  readonly botTotal: number;
  readonly prefetchTotal: number;
  readonly uniqueVisitors: number;
  readonly series: ReadonlyArray<{ readonly start: string; readonly clicks: number }>;
  readonly referrers: readonly CountJson[];
  readonly browsers: readonly CountJson[];
  readonly os: readonly CountJson[];
  readonly devices: readonly CountJson[];
  readonly countries: readonly CountJson[];
}

export interface StatsQuery {
  readonly from?: Date | string;
  readonly to?: Date | string;
  readonly interval?: "hour" | "day";
  /** Another domain's link of the same code (`?domain=`). */
  readonly domain?: string;
}

function queryString(query: StatsQuery): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** `GET /v1/links/{code}/stats`, with a key when given. */
export function getStats(key: string | undefined, code: string, query: StatsQuery = {}): Promise<HttpAnswer> {
  return request("GET", `/v1/links/${encodeURIComponent(code)}/stats${queryString(query)}`, {
    ...(key === undefined ? {} : { key }),
  });
}

/** A breakdown as a plain object, e.g. { Chrome: 600, Firefox: 600 }. */
export function countsOf(breakdown: readonly CountJson[]): Record<string, number> {
  return Object.fromEntries(breakdown.map(({ value, clicks }) => [value, clicks]));
}

/**
 * Polls the stats until their total reaches `expected` or `withinMs` has
 * passed; returns the last stats seen (their total may differ: the caller
 * asserts). Answers other than 200 (clicklog restarting) are retried.
 */
export async function statsWhenTotal(
  key: string,
  code: string,
  expected: number,
  { withinMs, query = {} }: { withinMs: number; query?: StatsQuery },
): Promise<{ stats: StatsJson | undefined; last: string; waitedMs: number }> {
  const started = Date.now();
  let stats: StatsJson | undefined;
  let last = "no answer yet";
  for (;;) {
    try {
      const answer = await getStats(key, code, query);
      last = describe(answer);
      if (answer.status === 200) {
        stats = answer.json as StatsJson;
        if (stats.total >= expected) break;
      }
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() - started > withinMs) break;
    await sleep(100);
  }
  return { stats, last, waitedMs: Date.now() - started };
}

const HOUR_MS = 3_600_000;

/** The range around this run, hour by hour: the series then has a point for every hour the clicks fell in. */
export function statsAroundNow(): Required<Omit<StatsQuery, "domain">> & { interval: "hour" } {
  return { from: new Date(Date.now() - HOUR_MS), to: new Date(Date.now() + HOUR_MS), interval: "hour" };
}

/** The clicks of a stats answer's series, added up. */
export const seriesSum = (stats: StatsJson): number => stats.series.reduce((sum, point) => sum + point.clicks, 0);

/**
 * The stats once `total` clicks, the markers of sendMarkerClicks last, are
 * counted: a copy of an earlier click would be counted by then too. Throws
 * (naming what it last saw) when they are not counted within `withinMs`.
 */
export async function settledStats(
  key: string,
  code: string,
  total: number,
  { withinMs, query }: { withinMs: number; query: StatsQuery },
): Promise<StatsJson> {
  const { stats, last, waitedMs } = await statsWhenTotal(key, code, total, { withinMs, query });
  if (stats === undefined) throw new Error(`no stats: ${last}`);
  if (stats.total < total) {
    throw new Error(`the markers not counted ${waitedMs} ms after they were sent: ${last.slice(0, 200)}`);
  }
  return stats;
}
