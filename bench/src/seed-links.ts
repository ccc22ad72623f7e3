import { encodeLinkCacheEntry, LINK_CACHE_TTL_SECONDS, linkCacheKey } from "@kurt/contract";
import type { RedirectRule } from "@kurt/core/redirect-rule";
import { primaryConnectionString, replicaConnectionString, withPgClient } from "@kurt/tool";
import type { Topology } from "@kurt/topology";
import { Cluster, type Redis } from "ioredis";
import { keySlot, SLOT_COUNT } from "./redis-slots.js";

/**
 * Seeds the links the redirect scenarios read: one bulk INSERT on the
 * primary (generate_series, no API round trip per link) and the same links
 * written straight into the Redis Cluster in the shortener's cache format.
 * The create path is measured by its own scenario; seeding a million links
 * through it would take the whole bench's time.
 *
 * Bench links have their own codes (`bench-` and six hex digits), so seeding
 * again is a no-op and never touches anybody's own links.
 */

const CODE_PREFIX = "bench-";

export function benchCode(index: number): string {
  return `${CODE_PREFIX}${index.toString(16).padStart(6, "0")}`;
}

/** A code no seeded link has: a shape the resolver accepts, looked up in every layer. */
export function unknownCode(random: number): string {
  return `nolink-${random.toString(16).padStart(7, "0")}`;
}

function benchUrl(index: number): string {
  return `https://example.com/articles/${index}/a-fairly-typical-page-slug?utm_source=kurt-bench`;
}

/** Bench link `index`'s Redis entry, as the shortener's write-through would make it. */
function benchEntry(index: number, updatedAtMs: number, rules: readonly RedirectRule[]): string {
  return encodeLinkCacheEntry({
    url: benchUrl(index),
    redirectStatus: 302,
    cacheSeconds: 0,
    expiresAtMs: null,
    validSinceMs: null,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules,
    disabled: false,
    deleted: false,
    updatedAtMs,
  });
}

const SQL_CODE = `'${CODE_PREFIX}' || lpad(to_hex(i), 6, '0')`;
const SQL_URL = `'https://example.com/articles/' || i || '/a-fairly-typical-page-slug?utm_source=kurt-bench'`;

export interface SeedReport {
  readonly links: number;
  readonly insertedRows: number;
  readonly postgresSeconds: number;
  readonly redisSeconds: number;
}

async function seedPostgres(topology: Topology, count: number, say: (line: string) => void): Promise<number> {
  return withPgClient(primaryConnectionString(topology), async (client) => {
    const present = await client.query<{ n: string }>(
      `select count(*) as n from links where code like '${CODE_PREFIX}%' and code < $1`,
      [benchCode(count)],
    );
    if (Number(present.rows[0]?.n) >= count) return 0;
    let inserted = 0;
    const chunk = 100_000;
    for (let from = 0; from < count; from += chunk) {
      const to = Math.min(count, from + chunk) - 1;
      const result = await client.query(
        `insert into links (code, url) select ${SQL_CODE}, ${SQL_URL} from generate_series($1::int, $2::int) as i
         on conflict (domain, code) do nothing`,
        [from, to],
      );
      inserted += result.rowCount ?? 0;
      if (count > chunk) say(`seed: ${to + 1} of ${count} links in Postgres`);
    }
    return inserted;
  });
}

/** The replica has replayed everything the primary had written when this was called. */
async function waitForReplica(topology: Topology): Promise<void> {
  const target = await withPgClient(primaryConnectionString(topology), async (client) => {
    const result = await client.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn");
    return result.rows[0]?.lsn as string;
  });
  await withPgClient(replicaConnectionString(topology), async (client) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const result = await client.query<{ behind: boolean }>(
        "select pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()) > 0 as behind",
        [target],
      );
      if (result.rows[0]?.behind === false) return;
      if (Date.now() > deadline) throw new Error("the Postgres replica did not catch up with the seeded links");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
}

/** The bench's own client of the stack's Redis Cluster: seeding, flushing, versions (`password`: the stack's, from its state folder). */
export function benchRedis(topology: Topology, password: string | undefined): Cluster {
  return new Cluster(
    topology.redis.ports.map((port) => ({ host: topology.host, port })),
    { redisOptions: { connectTimeout: 2_000, ...(password === undefined ? {} : { password }) } },
  );
}

/**
 * Writes each master's keys with one EVAL per few thousand: a script may set
 * any key its node serves, so the per-command cost of the client disappears
 * (a million links take seconds, not minutes, on a busy machine).
 */
const SET_MANY = `for i = 1, #ARGV, 2 do redis.call('SET', ARGV[i], ARGV[i + 1], 'EX', ${LINK_CACHE_TTL_SECONDS}) end return #ARGV / 2`;

async function mastersBySlot(redis: Cluster): Promise<Redis[]> {
  if (redis.status !== "ready") await redis.ping();
  const ranges = await redis.cluster("SLOTS");
  const masters = redis.nodes("master");
  const bySlot: Redis[] = new Array(SLOT_COUNT);
  for (const [from, to, owner] of ranges) {
    const port = owner?.[1];
    const node = masters.find((master) => master.options.port === port);
    if (node === undefined) throw new Error(`no connection to the Redis master on port ${port}`);
    for (let slot = from; slot <= to; slot++) bySlot[slot] = node;
  }
  return bySlot;
}

async function seedRedis(redis: Cluster, from: number, count: number): Promise<void> {
  const bySlot = await mastersBySlot(redis);
  const updatedAtMs = Date.now();
  const batches = new Map<Redis, string[]>();
  const flush = async (node: Redis, args: string[]) => {
    batches.set(node, []);
    await node.eval(SET_MANY, 0, ...args);
  };
  const pending: Promise<void>[] = [];
  for (let i = from; i < count; i++) {
    const key = linkCacheKey(benchCode(i));
    const node = bySlot[keySlot(key)] as Redis;
    const entry = benchEntry(i, updatedAtMs, []);
    const batch = batches.get(node) ?? [];
    batch.push(key, entry);
    batches.set(node, batch);
    if (batch.length >= 4_000) pending.push(flush(node, batch));
    // A bounded number of scripts in flight keeps memory flat for a million links.
    if (pending.length >= 12) await Promise.all(pending.splice(0));
  }
  for (const [node, batch] of batches) if (batch.length > 0) pending.push(flush(node, batch));
  await Promise.all(pending);
}

/**
 * Seeds links and remembers how many of them this bench has put in Redis,
 * so that growing from 100,000 to 1,000,000 writes only the new ones, and a
 * flush (the cold scenario) is followed by a full write.
 */
export interface LinkSeeder {
  seed(count: number): Promise<SeedReport>;
  /** Every master of the cluster forgets everything (their replicas follow). */
  flushRedis(): Promise<void>;
}

export function createLinkSeeder(topology: Topology, redis: Cluster, say: (line: string) => void): LinkSeeder {
  let inRedis = 0;
  return {
    async seed(count) {
      const report = await seedLinks(topology, redis, inRedis, count, say);
      inRedis = Math.max(inRedis, count);
      return report;
    },
    async flushRedis() {
      if (redis.status !== "ready") await redis.ping();
      await Promise.all(redis.nodes("master").map((node) => node.flushall()));
      inRedis = 0;
    },
  };
}

async function seedLinks(
  topology: Topology,
  redis: Cluster,
  redisFrom: number,
  count: number,
  say: (line: string) => void,
): Promise<SeedReport> {
  const started = Date.now();
  const insertedRows = await seedPostgres(topology, count, say);
  await waitForReplica(topology);
  const postgresDone = Date.now();
  if (redisFrom < count) await seedRedis(redis, redisFrom, count);
  const report = {
    links: count,
    insertedRows,
    postgresSeconds: (postgresDone - started) / 1000,
    redisSeconds: (Date.now() - postgresDone) / 1000,
  };
  say(
    `seed: ${count} links (${insertedRows} new rows) in ${report.postgresSeconds.toFixed(1)} s (Postgres), ` +
      `${Math.max(0, count - redisFrom)} Redis entries in ${report.redisSeconds.toFixed(1)} s`,
  );
  return report;
}

/** The domain the `hot-rules` variant sends as Host: the same bench codes live there with redirect rules. */
export const RULES_DOMAIN = "rules.bench.example";

/**
 * Three rules a bench request never meets (wrk sends a Linux browser's user
 * agent, `Accept-Language: en-US` and no query, from a loopback address with
 * no country), so every redirect checks all three and then takes the link's
 * URL: the most work rules add to a redirect that needs no lookup.
 */
export const BENCH_RULES = [
  { device: "ios", url: "https://apps.apple.com/app/kurt-bench" },
  { country: "DE", url: "https://example.de/articles" },
  { language: "fr", query: { name: "src", value: "newsletter" }, url: "https://example.fr/articles" },
] as const;

/**
 * The first `count` bench links again under RULES_DOMAIN, with BENCH_RULES,
 * in Postgres and in Redis (the key @kurt/core's linkKey gives them: the
 * domain, a slash, the code), and the domain itself. Seeding again is a no-op.
 */
export async function seedRuledLinks(topology: Topology, redis: Cluster, count: number): Promise<void> {
  await withPgClient(primaryConnectionString(topology), async (client) => {
    await client.query("insert into domains (name) values ($1) on conflict do nothing", [RULES_DOMAIN]);
    for (let from = 0; from < count; from += 100_000) {
      await client.query(
        `insert into links (domain, code, url, rules)
         select $3, ${SQL_CODE}, ${SQL_URL}, $4::jsonb from generate_series($1::int, $2::int) as i
         on conflict (domain, code) do nothing`,
        [from, Math.min(count, from + 100_000) - 1, RULES_DOMAIN, JSON.stringify(BENCH_RULES)],
      );
    }
  });
  await waitForReplica(topology);
  const bySlot = await mastersBySlot(redis);
  const updatedAtMs = Date.now();
  const batches = new Map<Redis, string[]>();
  for (let i = 0; i < count; i++) {
    const key = linkCacheKey(`${RULES_DOMAIN}/${benchCode(i)}`);
    const node = bySlot[keySlot(key)] as Redis;
    const batch = batches.get(node) ?? [];
    batch.push(key, benchEntry(i, updatedAtMs, BENCH_RULES));
    batches.set(node, batch);
    if (batch.length >= 4_000) {
      batches.set(node, []);
      await node.eval(SET_MANY, 0, ...batch);
    }
  }
  for (const [node, batch] of batches) if (batch.length > 0) await node.eval(SET_MANY, 0, ...batch);
}
