import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { expectedStats, sendMarkerClicks, startClickTraffic } from "../support/click-traffic.js";
import { describe, request } from "../support/http-client.js";
import { createTestLink, uniqueCode, updateLink, visit } from "../support/links-api.js";
import {
  countsOf,
  getStats,
  type StatsJson,
  type StatsQuery,
  seriesSum,
  settledStats as settledStatsOf,
  statsAroundNow,
  statsWhenTotal,
} from "../support/stats-api.js";
import { createStack, waitFor } from "../support/tool.js";

// Clicks end to end: redirects through Envoy, the resolvers' click producer,
// Kafka, clicklog, and the stats API back through Envoy. Every figure is
// compared with what the test itself sent, exactly: a lost or doubled click
// fails it.

const stack = createStack(() => {});
/** DESIGN.md's promise: a redirect shows in the stats within seconds. */
const VISIBLE_WITHIN_MS = 10_000;

let writeKey = "";
let statsKey = "";
let readOnlyKey = "";

test.before(async () => {
  writeKey = (await createApiKey(["links:write", "links:read"])).secret;
  statsKey = (await createApiKey(["stats:read"])).secret;
  readOnlyKey = (await createApiKey(["links:read"])).secret;
});

const newLink = (prefix: string) => createTestLink(writeKey, "clicks", prefix);
const settledStats = (code: string, total: number, query: StatsQuery) =>
  settledStatsOf(statsKey, code, total, { withinMs: VISIBLE_WITHIN_MS, query });

test("thousands of redirects from concurrent clients are each counted once, with browser, OS, device and referrer, bots apart", async () => {
  const N = 2_400;
  const query = statsAroundNow();
  const { code, location } = await newLink("burst");
  // Disabled before anyone visits it, so no resolver holds it as active.
  const gone = await newLink("gone");
  const disabled = await updateLink(writeKey, gone.code, { disabled: true });
  assert.is(disabled.status, 200, describe(disabled));
  const unknown = uniqueCode("never-created");
  const dayAtStart = new Date().toISOString().slice(0, 10);

  const traffic = startClickTraffic(code, location, { clients: 8, count: N });
  // Answers that count nothing, sent while the redirects run.
  const others = (async () => {
    const wrong: string[] = [];
    for (let i = 0; i < 100; i++) {
      const head = await request("HEAD", `/${code}`);
      if (head.status !== 302 || head.text !== "") wrong.push(`HEAD: ${describe(head)}`);
      const off = await visit(gone.code);
      if (off.status !== 410) wrong.push(`disabled: ${describe(off)}`);
      const none = await visit(unknown);
      if (none.status !== 404) wrong.push(`unknown: ${describe(none)}`);
    }
    return wrong;
  })();
  await traffic.done;
  const wrong = await others;
  const lastRedirectAt = Date.now();
  assert.equal(traffic.failures.slice(0, 5), [], `${traffic.failures.length} redirects failed`);
  assert.equal(wrong.slice(0, 5), [], `${wrong.length} HEAD, 410 or 404 answers were not as expected`);
  assert.is(traffic.redirected.length, N);

  const { stats, last, waitedMs } = await statsWhenTotal(statsKey, code, N, {
    withinMs: VISIBLE_WITHIN_MS - (Date.now() - lastRedirectAt),
    query,
  });
  assert.ok(stats, `no stats: ${last}`);
  assert.is(stats.total, N, `total ${waitedMs} ms after the last redirect (last answer: ${last.slice(0, 200)})`);
  // A click sent twice, or a HEAD counted, would arrive later still: before the markers sent after them.
  const markers = await sendMarkerClicks(code, location, N);
  const settled = await settledStats(code, N + markers.length, query);
  const expected = expectedStats([...traffic.redirected, ...markers]);
  assert.is(settled.total, N + markers.length, "no click is counted twice");
  assert.is(seriesSum(settled), N + markers.length, "the series adds up to the total");
  assert.is(settled.humanTotal, expected.humanTotal);
  assert.is(settled.botTotal, expected.botTotal);
  assert.equal(countsOf(settled.browsers), expected.browsers);
  assert.equal(countsOf(settled.os), expected.os);
  assert.equal(countsOf(settled.devices), expected.devices);
  assert.equal(countsOf(settled.referrers), expected.referrers);
  if (new Date().toISOString().slice(0, 10) === dayAtStart) {
    assert.is(settled.uniqueVisitors, 4, "one client address with four user agents is four visitors");
  }

  const goneStats = await getStats(statsKey, gone.code, query);
  assert.is(goneStats.status, 200, describe(goneStats));
  assert.is(goneStats.json.total, 0, "a 410 is no click");
  const unknownStats = await getStats(statsKey, unknown, query);
  assert.is(unknownStats.status, 404, describe(unknownStats));
});

test("clicklog killed with SIGKILL in the middle of a stream of redirects, then restarted: each redirect is still counted exactly once", async () => {
  const { supervisor } = stack.context;
  const { code, location } = await newLink("sigkill");
  const query = statsAroundNow();
  const traffic = startClickTraffic(code, location, { clients: 6, maxMs: 40_000 });
  let killedAt = 0;
  try {
    // clicklog is storing this link's clicks when it dies.
    const started = await statsWhenTotal(statsKey, code, 1, { withinMs: VISIBLE_WITHIN_MS, query });
    assert.ok((started.stats?.total ?? 0) > 0, `clicks are being stored before the kill: ${started.last}`);
    const pid = supervisor.pidOf("clicklog-1");
    assert.ok(pid, "clicklog-1 is running");
    process.kill(pid as number, "SIGKILL");
    killedAt = traffic.redirected.length;
    await waitFor(
      "2,000 redirects in all, the last thousand after the kill",
      async () => (traffic.redirected.length >= Math.max(2_000, killedAt + 1_000) ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 50 },
    );
  } finally {
    await traffic.stop();
    // The launcher's own idempotent start brings back what is not running.
    await stack.services.start(stack.context);
  }
  const N = traffic.redirected.length;
  assert.equal(traffic.failures.slice(0, 5), [], `${traffic.failures.length} redirects failed`);
  assert.ok(N >= 2_000, `${N} redirects`);

  // The dead member keeps its partitions until its Kafka session times out; only then is the group rebalanced.
  const { stats, last, waitedMs } = await statsWhenTotal(statsKey, code, N, { withinMs: 45_000, query });
  assert.ok(stats, `no stats: ${last}`);
  assert.is(stats.total, N, `total ${waitedMs} ms after the restart (${killedAt} redirects before the kill)`);
  const markers = await sendMarkerClicks(code, location, N);
  const settled = await settledStats(code, N + markers.length, query);
  assert.is(settled.total, N + markers.length, "nothing the dead clicklog had stored is counted again");
  assert.is(seriesSum(settled), N + markers.length);
  const expected = expectedStats([...traffic.redirected, ...markers]);
  assert.is(settled.botTotal, expected.botTotal);
  assert.equal(countsOf(settled.browsers), expected.browsers);
  assert.equal(countsOf(settled.referrers), expected.referrers);
});

test("Kafka frozen while redirects run: every redirect is still answered, and once Kafka resumes each is counted exactly once", async () => {
  // SIGSTOP rather than a shutdown: the broker stops answering at once, with its connections open, the way a
  // hung or partitioned broker fails (sends time out, they are not refused), and it resumes in no time where
  // a JVM restart would take tens of seconds. Clicks a frozen broker had already received arrive twice.
  const pid = stack.context.supervisor.pidOf("kafka");
  assert.ok(pid, "Kafka is running");
  const { code, location } = await newLink("kafka-frozen");
  const query = statsAroundNow();
  const traffic = startClickTraffic(code, location, { clients: 6, maxMs: 60_000 });
  let duringOutage = 0;
  try {
    await waitFor(
      "some redirects before the outage",
      async () => (traffic.redirected.length >= 300 ? true : undefined),
      {
        timeoutMs: 20_000,
        intervalMs: 50,
      },
    );
    process.kill(pid as number, "SIGSTOP");
    const before = traffic.redirected.length;
    // The resolvers queue the clicks meanwhile (far fewer than KURT_CLICK_QUEUE_MAX, so none is dropped).
    await waitFor(
      "1,000 redirects with Kafka frozen",
      async () => (traffic.redirected.length >= before + 1_000 ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    duringOutage = traffic.redirected.length - before;
  } finally {
    process.kill(pid as number, "SIGCONT");
    await traffic.stop();
  }
  const N = traffic.redirected.length;
  assert.equal(traffic.failures.slice(0, 5), [], `${traffic.failures.length} redirects failed`);
  assert.ok(duringOutage >= 1_000, `${duringOutage} redirects while Kafka was frozen`);

  const { stats, last, waitedMs } = await statsWhenTotal(statsKey, code, N, { withinMs: 30_000, query });
  assert.ok(stats, `no stats: ${last}`);
  assert.is(stats.total, N, `total ${waitedMs} ms after Kafka resumed (${duringOutage} redirects during the outage)`);
  const markers = await sendMarkerClicks(code, location, N);
  const settled = await settledStats(code, N + markers.length, query);
  assert.is(settled.total, N + markers.length, "clicks sent again after the outage are not counted twice");
  assert.is(seriesSum(settled), N + markers.length);
});

test("the stats call needs a key with stats:read, knows unknown codes, and refuses a reversed or too wide range", async () => {
  const { code } = await newLink("stats-access");
  const noKey = await getStats(undefined, code);
  assert.is(noKey.status, 401, describe(noKey));
  const wrongScope = await getStats(readOnlyKey, code);
  assert.is(wrongScope.status, 403, describe(wrongScope));
  const unknown = await getStats(statsKey, uniqueCode("no-such-link"));
  assert.is(unknown.status, 404, describe(unknown));
  const reversed = await getStats(statsKey, code, { from: "2025-03-02T00:00:00Z", to: "2025-03-01T00:00:00Z" });
  assert.is(reversed.status, 400, describe(reversed));
  assert.match(reversed.text, /from/);
  const tooWide = await getStats(statsKey, code, {
    from: "2024-01-01T00:00:00Z",
    to: "2025-06-01T00:00:00Z",
    interval: "hour",
  });
  assert.is(tooWide.status, 400, describe(tooWide));

  const empty = await getStats(statsKey, code, statsAroundNow());
  assert.is(empty.status, 200, describe(empty));
  const stats = empty.json as StatsJson;
  assert.is(stats.total, 0);
  assert.is(seriesSum(stats), 0);
  assert.ok(stats.series.length >= 2, "a link without clicks still has its (empty) series");
});

test.run();
