import { Agent, request as httpRequest } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { createLink, uniqueCode } from "../support/links-api.js";
import { scrapeEnvoy, total } from "../support/metrics-scrape.js";
import { topology } from "../support/stack.js";
import { getStats, statsWhenTotal } from "../support/stats-api.js";

// DESIGN.md §2: "A redirect that answered success is counted exactly once."
// Here at full load: many keep-alive connections keep every resolver busy,
// each request is awaited, and the stats must end at exactly the number of
// redirects answered, no more (a retried or doubled click) and no fewer.

const N = 20_000;
const CONNECTIONS = 64;
/** The click pipeline drains a backlog of N clicks well within this on a busy machine. */
const COUNTED_WITHIN_MS = 60_000;

function get(agent: Agent, path: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: topology.host, port: topology.envoy.httpPort, path, agent, headers: { "user-agent": "kurt-load/1" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", reject);
    req.end();
  });
}

test(`${N} redirects over ${CONNECTIONS} connections at full load are each answered and counted exactly once`, async () => {
  const writeKey = (await createApiKey(["links:write", "links:read"])).secret;
  const statsKey = (await createApiKey(["stats:read"])).secret;
  const location = "https://example.com/under-load";
  const { code } = await createLink(writeKey, { url: location, code: uniqueCode("load") });
  const from = new Date(Date.now() - 3_600_000);

  const envoyBefore = await scrapeEnvoy();
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let sent = 0;
  let redirected = 0;
  const failures: string[] = [];
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (sent < N) {
        sent += 1;
        // A query string is the visitor's: it changes neither the answer nor the count.
        const answer = await get(agent, `/${code}?n=${sent}`).catch((error: Error) => ({
          status: 0,
          location: error.message,
        }));
        if (answer.status === 302 && answer.location === location) redirected += 1;
        else if (failures.length < 5) failures.push(`${answer.status} ${answer.location}`);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  agent.destroy();
  assert.equal(failures, [], "every request was answered with the redirect");
  assert.is(redirected, N);
  const upstream = { envoy_cluster_name: "resolver_http" };
  const retried =
    total([await scrapeEnvoy()], "envoy_cluster_upstream_rq_retry", upstream) -
    total([envoyBefore], "envoy_cluster_upstream_rq_retry", upstream);
  console.log(
    `redirects under load: ${N} in ${seconds.toFixed(1)} s (${Math.round(N / seconds)}/s), ${retried} retried`,
  );

  const query = { from, to: new Date(Date.now() + 3_600_000), interval: "hour" as const };
  const { stats, last } = await statsWhenTotal(statsKey, code, N, { withinMs: COUNTED_WITHIN_MS, query });
  assert.ok(stats, `no stats: ${last}`);
  assert.is(stats.total, N, `every redirect counted (last answer: ${last.slice(0, 200)})`);
  // A click sent twice would arrive later still.
  await sleep(2_000);
  assert.is((await getStats(statsKey, code, query)).json.total, N, "and none counted twice");
});

test.run();
