import { orUnavailable } from "@kurt/platform";
import type pg from "pg";
import { DIMENSIONS, type Dimension, type StatsStore, type ValueCount } from "../domain/link-stats.js";
import { inTransaction } from "./pg-transaction.js";

/**
 * Reads the rollups of one domain's link, by their (domain, code, hour) key;
 * whether the link exists is the links table's (domain, code) row. All
 * queries run in one REPEATABLE READ snapshot so that the totals, the series,
 * the breakdowns and the visitors describe the same moment even while clicks
 * are being stored. Read on the primary, where the rollups are written:
 * stats include every click stored so far.
 */
export function createPgStatsStore(pool: pg.Pool): StatsStore {
  return {
    read(domain, code, start, end, topValues) {
      return orUnavailable(() =>
        inTransaction(
          pool,
          async (client) => {
            const link = await client.query<{ live: boolean }>(
              "select deleted_at is null as live from links where domain = $1 and code = $2",
              [domain, code],
            );
            if (link.rows[0]?.live !== true) return undefined;

            const hours = await client.query<{
              hour: Date;
              clicks: string;
              human: string;
              bot: string;
              prefetch: string;
            }>(
              `select hour, clicks, human, bot, prefetch from click_hourly
               where domain = $1 and code = $2 and hour >= $3 and hour < $4 order by hour`,
              [domain, code, start, end],
            );
            const top = await client.query<{ dimension: Dimension; value: string; clicks: string }>(
              `select dimension, value, clicks from (
                 select dimension, value, sum(clicks) as clicks,
                        row_number() over (partition by dimension order by sum(clicks) desc, value collate "C") as rank
                 from click_hourly_dimensions
                 where domain = $1 and code = $2 and hour >= $3 and hour < $4
                 group by dimension, value
               ) ranked
               where rank <= $5
               order by dimension, rank`,
              [domain, code, start, end, topValues],
            );
            const visitors = await client.query<{ visitors: string }>(
              `select count(*) as visitors from (
                 select distinct date_trunc('day', hour, 'UTC'), visitor_hash from click_hourly_visitors
                 where domain = $1 and code = $2 and hour >= $3 and hour < $4
               ) daily`,
              [domain, code, start, end],
            );

            const byDimension = Object.fromEntries(DIMENSIONS.map((d) => [d, [] as ValueCount[]])) as Record<
              Dimension,
              ValueCount[]
            >;
            for (const row of top.rows)
              byDimension[row.dimension].push({ value: row.value, clicks: Number(row.clicks) });
            return {
              hours: hours.rows.map((row) => ({
                hour: row.hour,
                clicks: Number(row.clicks),
                human: Number(row.human),
                bot: Number(row.bot),
                prefetch: Number(row.prefetch),
              })),
              top: byDimension,
              uniqueVisitors: Number(visitors.rows[0]?.visitors ?? 0),
            };
          },
          "begin isolation level repeatable read read only",
        ),
      );
    },
  };
}
