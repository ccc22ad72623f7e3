import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { createRedirectTargets } from "../support/links-api.js";
import {
  assertEachStoredOnce,
  countStoredUrls,
  healthyCluster,
  postmasterPid,
  startCreates,
} from "../support/postgres-cluster.js";
import { startRedirectLoad } from "../support/redirect-load.js";
import { waitFor } from "../support/tool.js";

// The Patroni cluster losing its leader under load (issue 14): the leader's
// postmaster is killed with SIGKILL while creates and redirects run, five
// times over. Redirects must never fail; a create may fail only with 503
// (UNAVAILABLE, retryable) during the failover; every create that answered
// success must be in the table exactly once afterwards. Each failover time
// (kill → first create sent after the kill that succeeds) is printed.

const KILLS = 5;
const CREATE_CLIENTS = 4;

let key = "";

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read"])).secret;
});

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

test("the leader's postmaster killed five times under load: no redirect fails, creates fail only with 503, no acknowledged create is lost or doubled", async () => {
  const targets = await createRedirectTargets(key, "failover/redirect", 20);
  const redirects = startRedirectLoad(targets, { clients: 4, maxMs: 600_000 });
  const creates = startCreates(key, `failover/run-${Date.now().toString(36)}`, CREATE_CLIENTS, { minIntervalMs: 50 });
  const failoverMs: number[] = [];
  try {
    for (let kill = 1; kill <= KILLS; kill += 1) {
      const members = await healthyCluster();
      const leader = members.find((m) => m.role === "leader");
      assert.ok(leader, "a leader");
      await waitFor("a create after the cluster is whole", async () =>
        creates.outcomes.some((o) => o.status === 200 && o.sentAt > Date.now() - 1_000) ? true : undefined,
      );
      const killedAt = Date.now();
      process.kill(postmasterPid(leader.name), "SIGKILL");
      const first = await waitFor(
        "a create sent after the kill to succeed",
        async () => creates.outcomes.find((o) => o.status === 200 && o.sentAt > killedAt),
        { timeoutMs: 60_000, intervalMs: 20 },
      );
      failoverMs.push(first.doneAt - killedAt);
      const after = await healthyCluster();
      const newLeader = after.find((m) => m.role === "leader")?.name;
      console.log(
        `kill ${kill}: ${leader.name}'s postmaster; first create sent after it succeeded ${first.doneAt - killedAt} ms later; leader now ${newLeader}, ${after.map((m) => `${m.name} ${m.role} tl ${m.timeline}`).join(", ")}`,
      );
    }
  } finally {
    await creates.stop();
    await redirects.stop();
  }

  const acknowledged = creates.outcomes.filter((o) => o.status === 200);
  const failed = creates.outcomes.filter((o) => o.status !== 200);
  console.log(
    `failover times: ${failoverMs.join(", ")} ms; median ${median(failoverMs)} ms over ${KILLS} kills; ` +
      `${acknowledged.length} creates acknowledged, ${failed.length} failed (${[...new Set(failed.map((o) => o.status))].join(", ") || "none"}); ` +
      `${redirects.ok()} redirects answered, ${redirects.failures.length} failed`,
  );
  assert.is(redirects.failures.length, 0, `failed redirects: ${JSON.stringify(redirects.failures.slice(0, 3))}`);
  for (const outcome of failed) assert.is(outcome.status, 503, `a create failed otherwise than 503: ${outcome.detail}`);

  await assertEachStoredOnce(acknowledged);
  // Not a promise, a fact to know: a create whose commit reached the standby just before the leader died is
  // stored although its client was told 503 (the answer was lost with the leader).
  const storedAnyway = await countStoredUrls(failed);
  console.log(
    `${acknowledged.length} acknowledged creates checked: each present exactly once; ${storedAnyway} of the ${failed.length} failed creates were stored nonetheless`,
  );
});

test.run();
