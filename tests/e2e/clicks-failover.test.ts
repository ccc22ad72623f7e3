import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { type ClickTraffic, sendMarkerClicks, startClickTraffic } from "../support/click-traffic.js";
import { createTestLink } from "../support/links-api.js";
import { type MetricsPage, scrapeService, total } from "../support/metrics-scrape.js";
import { healthyCluster, patroniStatus, postmasterPid } from "../support/postgres-cluster.js";
import { jsonLinesSince, markLogs, replicasOf } from "../support/service-logs.js";
import { topology } from "../support/stack.js";
import { seriesSum, settledStats, statsAroundNow, statsWhenTotal } from "../support/stats-api.js";
import { createStack, primaryConnectionString, waitFor, withPgClient } from "../support/tool.js";

// clicklog's exactly-once counting across a Postgres failover (issue 14):
// redirects of a few links run through the gateway while the leader's
// postmaster is killed with SIGKILL, at the moment one of clicklog's batch
// inserts waits on it for the synchronous standby (watched in
// pg_stat_activity): the kill lands in the middle of a batch, whose commit
// may be cut off with its answer lost, and the next batches fail while
// PgBouncer reaches no leader. clicklog must survive that, retry each chunk
// on the new leader and count each click exactly once: once the cluster is
// whole, every link's stats total equals the redirects the gateway answered
// for it, no click lost and none counted twice (the markers of
// sendMarkerClicks, sent last, prove no earlier click is still coming).

const LINKS = 3;
const CLIENTS_PER_LINK = 2;
/** Redirects keep coming this long after the new leader answers. */
const AFTER_FAILOVER_MS = 5_000;
/** The retry backoff of clicklog tops out at 5 s; the failover itself takes about 3 s. */
const COUNTED_WITHIN_MS = 60_000;
/** How long to watch for a click insert in flight before killing the leader anyway. */
const WATCH_MS = 10_000;
/** At most this many leaders killed until one failover makes a store fail. */
const KILLS = 3;

const stack = createStack(() => {});
const { supervisor } = stack.context;

/**
 * Kills the leader's postmaster the moment one of clicklog's batch inserts
 * (pg-click-store's statement) waits on it for the synchronous standby, or
 * after WATCH_MS; says whether one did. The window is a few milliseconds:
 * the insert may still complete, or be cut off with its answer lost.
 */
async function killDuringClickInsert(leader: string): Promise<{ inFlight: boolean; killedAt: number }> {
  const pid = postmasterPid(leader);
  return withPgClient(primaryConnectionString(topology), async (client) => {
    const until = Date.now() + WATCH_MS;
    let inFlight = false;
    while (!inFlight && Date.now() < until) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where state = 'active' and wait_event = 'SyncRep' and query like '%insert into clicks %'`,
      );
      inFlight = (rows[0]?.n ?? 0) > 0;
    }
    const killedAt = Date.now();
    process.kill(pid, "SIGKILL");
    return { inFlight, killedAt };
  });
}

let writeKey = "";
let statsKey = "";

const storeFailuresSince = (mark: ReturnType<typeof markLogs>) =>
  jsonLinesSince(mark).filter((line) => line.msg === "storing clicks failed; retrying");

test.before(async () => {
  writeKey = (await createApiKey(["links:write", "links:read"])).secret;
  statsKey = (await createApiKey(["stats:read"])).secret;
});

test("the leader's postmaster killed while clicks are being stored: each link's stats count every redirect answered, exactly once", async () => {
  const before = await healthyCluster();
  const leader = before.find((m) => m.role === "leader")?.name as string;
  assert.ok(leader, `a leader: ${JSON.stringify(before)}`);
  const query = statsAroundNow();
  const links = await Promise.all(
    Array.from({ length: LINKS }, (_, i) => createTestLink(writeKey, "clicks-failover", `link-${i}`)),
  );
  const clicklogs = replicasOf("clicklog");
  const mark = markLogs(clicklogs);
  const metricsBefore = await scrapeService("clicklog");
  const pids = clicklogs.map((name) => supervisor.pidOf(name));
  assert.ok(pids.every(Boolean), `every clicklog replica runs: ${pids.join(", ")}`);
  const traffic: (ClickTraffic & { done: Promise<void> })[] = links.map(({ code, location }) =>
    startClickTraffic(code, location, { clients: CLIENTS_PER_LINK, maxMs: 180_000 }),
  );
  const answered = () => traffic.reduce((sum, t) => sum + t.redirected.length, 0);
  let killedAt = 0;
  let inFlight = false;
  let atKill = 0;
  let newLeader = "";
  let failoverMs = 0;
  const killed: string[] = [];
  try {
    // clicklog is storing every link's clicks before the kill: its transactions are in flight when it comes.
    for (const { code } of links) {
      const started = await statsWhenTotal(statsKey, code, 1, { withinMs: 30_000, query });
      assert.ok((started.stats?.total ?? 0) > 0, `${code}'s clicks are being stored before the kill: ${started.last}`);
    }
    await waitFor("300 redirects before the kill", async () => (answered() >= 300 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    // The kill must cut into clicklog's work (a store failing and retried): when a failover was so quick that
    // every store waited it out in PgBouncer's queue, the leader is killed again, up to KILLS times.
    for (let kill = 1; kill <= KILLS; kill += 1) {
      const current = kill === 1 ? before : await healthyCluster();
      const victim = current.find((m) => m.role === "leader")?.name as string;
      atKill = answered();
      ({ inFlight, killedAt } = await killDuringClickInsert(victim));
      killed.push(victim);
      newLeader = await waitFor(
        "another member to answer GET /primary",
        async () => {
          const others = current.filter((m) => m.name !== victim).map((m) => m.name);
          const answers = await Promise.all(others.map((name) => patroniStatus(name, "/primary")));
          return others.find((_, i) => answers[i] === 200);
        },
        { timeoutMs: 60_000, intervalMs: 50 },
      );
      failoverMs = Date.now() - killedAt;
      const from = Date.now();
      await waitFor(
        `${AFTER_FAILOVER_MS} ms of redirects after the failover`,
        async () => (Date.now() - from >= AFTER_FAILOVER_MS ? true : undefined),
        { timeoutMs: AFTER_FAILOVER_MS + 5_000, intervalMs: 100 },
      );
      if (storeFailuresSince(mark).length > 0) break;
    }
  } finally {
    await Promise.all(traffic.map((t) => t.stop()));
  }
  const after = await healthyCluster();
  // A replica that died on the failover is started again (for the stats below and for later suites), but fails the test.
  const survived = clicklogs.map((name, i) => supervisor.pidOf(name) === pids[i]);
  if (!survived.every(Boolean)) await stack.services.start(stack.context);
  const failures = traffic.flatMap((t) => t.failures);
  const storeFailures = storeFailuresSince(mark);
  const errors = new Set(storeFailures.map((line) => (line.error as { message?: string } | undefined)?.message));
  console.log(
    `killed ${killed.join(", then ")}'s postmaster (the last after ${atKill} redirects), ${inFlight ? "with" : "without"} a click insert in flight; ${newLeader} answered GET /primary ${failoverMs} ms later; ` +
      `${answered()} redirects answered in all, ${failures.length} failed; cluster now ` +
      `${after.map((m) => `${m.name} ${m.role} tl ${m.timeline}`).join(", ")}`,
  );
  console.log(`clicklog: ${storeFailures.length} failed transactions retried (${[...errors].slice(0, 4).join(" | ")})`);
  const grown = (pages: readonly MetricsPage[], name: string) => total(pages, name) - total(metricsBefore, name);
  assert.equal(failures.slice(0, 5), [], `${failures.length} redirects failed`);
  assert.equal(
    clicklogs.filter((_, i) => !survived[i]),
    [],
    "every clicklog replica survived the failover (see its log for how one died)",
  );
  assert.ok(storeFailures.length > 0, "the failover interrupted clicklog's transactions (else this proves nothing)");

  const counted: string[] = [];
  for (const [i, { code, location }] of links.entries()) {
    const N = traffic[i]?.redirected.length as number;
    const { stats, last, waitedMs } = await statsWhenTotal(statsKey, code, N, { withinMs: COUNTED_WITHIN_MS, query });
    assert.ok(stats, `no stats for ${code}: ${last}`);
    assert.is(stats.total, N, `${code}: ${stats.total} counted of ${N} redirects, ${waitedMs} ms after the traffic`);
    // A click stored twice (a chunk retried after a commit whose answer was lost) would be counted before these.
    const markers = await sendMarkerClicks(code, location, N);
    const settled = await settledStats(statsKey, code, N + markers.length, { withinMs: 10_000, query });
    counted.push(`${code} ${N} redirects → ${settled.total - markers.length} counted (${waitedMs} ms)`);
    assert.is(settled.total, N + markers.length, `${code}: no click counted twice`);
    assert.is(seriesSum(settled), N + markers.length, `${code}: the series adds up to the total`);
  }
  const metricsAfter = await scrapeService("clicklog");
  console.log(
    `stats: ${counted.join("; ")}; clicklog metrics meanwhile: ${grown(metricsAfter, "clicklog_events_stored_total")} stored, ` +
      `${grown(metricsAfter, "clicklog_events_duplicate_total")} redelivered and skipped as duplicates, ` +
      `${grown(metricsAfter, "clicklog_store_failures_total")} store failures`,
  );
});

test.run();
