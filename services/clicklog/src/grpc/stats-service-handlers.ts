import {
  type ApiKeyScope,
  type DimensionCount,
  type GetLinkStatsRequest,
  type Stats,
  StatsInterval,
  type StatsServiceServer,
  StatsServiceService,
} from "@kurt/contract";
import { type CallContext, invalidArgument, type Logger, unary, withCheckedTimestamps } from "@kurt/platform";
import type { GetLinkStats, LinkStats, ValueCount } from "../domain/link-stats.js";
import type { StatsInterval as Interval } from "../domain/stats-range.js";

/**
 * kurt.v1.StatsService as served: `from` and `to` (fields 2 and 3) are
 * checked as sent, so that a Timestamp no Date can hold (a transcoded
 * `?from.seconds=` of any int64, nanos out of range) is refused with
 * INVALID_ARGUMENT naming it instead of failing the decoding (INTERNAL).
 */
export const STATS_SERVICE_DEFINITION = withCheckedTimestamps(StatsServiceService, {
  getLinkStats: { 2: "from", 3: "to" },
});

/**
 * Checks the caller's API key for a scope: resolves when it grants it,
 * throws UNAUTHENTICATED or PERMISSION_DENIED (KurtError) otherwise.
 */
export type Authorize = (context: CallContext, scope: ApiKeyScope) => Promise<void>;

const UINT32_MAX = 4_294_967_295;
/** The proto carries counts as uint32 (see Stats in stats_service.proto): a larger count shows as the maximum. */
const count = (value: number) => Math.min(value, UINT32_MAX);

function interval(value: StatsInterval): Interval | undefined {
  switch (value) {
    case StatsInterval.STATS_INTERVAL_UNSPECIFIED:
      return undefined;
    case StatsInterval.HOUR:
      return "hour";
    case StatsInterval.DAY:
      return "day";
    default:
      throw invalidArgument("interval", "must be hour or day");
  }
}

const dimension = (values: readonly ValueCount[]): DimensionCount[] =>
  values.map((v) => ({ value: v.value, clicks: count(v.clicks) }));

function toMessage(stats: LinkStats): Stats {
  return {
    code: stats.code,
    domain: stats.domain,
    total: count(stats.total),
    humanTotal: count(stats.humanTotal),
    botTotal: count(stats.botTotal),
    prefetchTotal: count(stats.prefetchTotal),
    uniqueVisitors: count(stats.uniqueVisitors),
    series: stats.series.map((point) => ({ start: point.start, clicks: count(point.clicks) })),
    referrers: dimension(stats.referrers),
    browsers: dimension(stats.browsers),
    os: dimension(stats.os),
    devices: dimension(stats.devices),
    countries: dimension(stats.countries),
  };
}

/** kurt.v1.StatsService: the caller's key is checked before anything else, so a stranger learns nothing. */
export function createStatsServiceHandlers(deps: {
  readonly getLinkStats: GetLinkStats;
  readonly authorize: Authorize;
  readonly logger: Logger;
}): StatsServiceServer {
  return {
    getLinkStats: unary(deps.logger, async (request: GetLinkStatsRequest, context) => {
      await deps.authorize(context, "stats:read");
      const stats = await deps.getLinkStats({
        code: request.code,
        domain: request.domain,
        from: request.from,
        to: request.to,
        interval: interval(request.interval),
      });
      return toMessage(stats);
    }),
  };
}
