import { isWellFormedCode } from "@kurt/core/link-code";
import { DEFAULT_DOMAIN, publicDomainName } from "@kurt/core/link-domain";
import { invalidArgument, notFound } from "@kurt/platform/errors";
import { statsDomain } from "./domain-name.js";
import { resolveStatsRange, type StatsRangeRequest } from "./stats-range.js";

export const DIMENSIONS = ["referrer", "browser", "os", "device", "country"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The breakdowns list this many values each, most clicks first. */
export const TOP_VALUES = 10;

export interface HourCount {
  readonly hour: Date;
  readonly clicks: number;
  readonly human: number;
  readonly bot: number;
  /** Prefetches and link previews: clicks = human + bot + prefetch. */
  readonly prefetch: number;
}

export interface ValueCount {
  readonly value: string;
  readonly clicks: number;
}

/** What the rollups hold for one link (one domain's code) over [start, end), read at one instant. */
export interface StatsSnapshot {
  readonly hours: readonly HourCount[];
  readonly top: Readonly<Record<Dimension, readonly ValueCount[]>>;
  /** Distinct (day, visitor hash) pairs: the sum of each day's unique visitors. */
  readonly uniqueVisitors: number;
}

export interface StatsStore {
  /**
   * Counts only the clicks on this domain's link ("" is the default domain).
   * undefined when the domain has no live link of this code (never created, or deleted).
   */
  read(domain: string, code: string, start: Date, end: Date, topValues: number): Promise<StatsSnapshot | undefined>;
}

export interface LinkStats {
  readonly code: string;
  /** As the contract shows it: the default domain by the public host. */
  readonly domain: string;
  readonly total: number;
  readonly humanTotal: number;
  readonly botTotal: number;
  readonly prefetchTotal: number;
  /**
   * Visitors are told apart by a hash whose key changes every UTC day, so
   * over several days this is the sum of each day's unique visitors: a person
   * who came back on three days counts three times.
   */
  readonly uniqueVisitors: number;
  /** Every interval of the range, oldest first, zeros included; the clicks add up to total. */
  readonly series: readonly { readonly start: Date; readonly clicks: number }[];
  readonly referrers: readonly ValueCount[];
  readonly browsers: readonly ValueCount[];
  readonly os: readonly ValueCount[];
  readonly devices: readonly ValueCount[];
  /** ISO 3166-1 alpha-2 codes, "unknown" for addresses of no known country. */
  readonly countries: readonly ValueCount[];
}

export interface StatsRequest extends StatsRangeRequest {
  readonly code: string;
  /** As the caller wrote it; unset, "" or the public host mean the default domain. */
  readonly domain?: string | undefined;
}

export type GetLinkStats = (request: StatsRequest) => Promise<LinkStats>;

/** How NOT_FOUND names the link: by its code alone on the default domain, as before domains existed. */
function linkName(domain: string, code: string): string {
  return domain === DEFAULT_DOMAIN ? `link "${code}"` : `link "${code}" on domain "${domain}"`;
}

export function createLinkStats(deps: {
  readonly store: StatsStore;
  /** The public URL's host (with its port, if any): the default domain's public name. */
  readonly defaultHost: string;
  readonly now?: () => Date;
}): GetLinkStats {
  const now = deps.now ?? (() => new Date());
  return async (request) => {
    if (request.code === "") throw invalidArgument("code", "required");
    const domain = statsDomain(request.domain, deps.defaultHost);
    const range = resolveStatsRange(request, now());
    // A code of another shape cannot name a link: no need to ask the database.
    if (!isWellFormedCode(request.code)) throw notFound(linkName(domain, request.code.slice(0, 64)));
    const snapshot = await deps.store.read(domain, request.code, range.start, range.end, TOP_VALUES);
    if (snapshot === undefined) throw notFound(linkName(domain, request.code));

    const buckets = new Map<number, number>();
    for (let t = range.start.getTime(); t < range.end.getTime(); t += range.stepMs) buckets.set(t, 0);
    let total = 0;
    let humanTotal = 0;
    let botTotal = 0;
    let prefetchTotal = 0;
    for (const hour of snapshot.hours) {
      const bucket = Math.floor(hour.hour.getTime() / range.stepMs) * range.stepMs;
      const current = buckets.get(bucket);
      // The store reads [start, end) in whole hours, which lie inside whole buckets; anything else is a store bug.
      if (current === undefined) throw new Error(`hour ${hour.hour.toISOString()} lies outside the range`);
      buckets.set(bucket, current + hour.clicks);
      total += hour.clicks;
      humanTotal += hour.human;
      botTotal += hour.bot;
      prefetchTotal += hour.prefetch;
    }
    return {
      code: request.code,
      domain: publicDomainName(domain, deps.defaultHost),
      total,
      humanTotal,
      botTotal,
      prefetchTotal,
      uniqueVisitors: snapshot.uniqueVisitors,
      series: [...buckets].map(([start, clicks]) => ({ start: new Date(start), clicks })),
      referrers: snapshot.top.referrer,
      browsers: snapshot.top.browser,
      os: snapshot.top.os,
      devices: snapshot.top.device,
      countries: snapshot.top.country,
    };
  };
}
