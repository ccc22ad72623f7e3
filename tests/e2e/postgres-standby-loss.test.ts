import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { createRedirectTargets } from "../support/links-api.js";
import {
  assertEachStoredOnce,
  type CreateOutcome,
  healthyCluster,
  postmasterPid,
  startCreates,
} from "../support/postgres-cluster.js";
import { startRedirectLoad } from "../support/redirect-load.js";
import { createStack, readClusterState, waitFor } from "../support/tool.js";

// The synchronous standby lost under load (issue 14): its postmaster and its
// Patroni are both killed with SIGKILL while creates and redirects run, so
// the member stays down. synchronous_mode is not strict: the leader must not
// stop writing for want of a standby. Patroni makes the remaining replica
// the synchronous standby, and the commits waiting on the dead one go
// through once it has. So: no redirect fails, no create fails at all (a
// commit waits, it is not refused), every acknowledged create is stored
// exactly once, and the member rejoins once started again. The longest
// create around the kill and the time until the new synchronous standby are
// printed.

const CREATE_CLIENTS = 4;
/** 4 clients × 20 creates a second: below the key's write rate limit (100 a second), so no 429 is the test's own doing. */
const CREATE_INTERVAL_MS = 50;
/** The dead member's key in etcd outlives it by up to ttl (10 s); creates run until well past that. */
const RUN_AFTER_KILL_MS = 15_000;

const stack = createStack(() => {});
const { supervisor } = stack.context;

let key = "";

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read"])).secret;
});

const slowest = (outcomes: readonly CreateOutcome[]) =>
  outcomes.reduce((worst, o) => (o.doneAt - o.sentAt > worst.doneAt - worst.sentAt ? o : worst));

test("the synchronous standby's postmaster and Patroni killed under load: writes go on, none fails, the remaining replica becomes the synchronous standby, and the member rejoins", async () => {
  const before = await healthyCluster();
  const leader = before.find((m) => m.role === "leader")?.name;
  const victim = before.find((m) => m.role === "sync_standby")?.name;
  const survivor = before.find((m) => m.role === "replica")?.name;
  assert.ok(leader && victim && survivor, `a leader, a synchronous standby and a replica: ${JSON.stringify(before)}`);
  const patroni = supervisor.pidOf(victim);
  assert.ok(patroni, `${victim}'s Patroni is running`);
  const postmaster = postmasterPid(victim);

  const targets = await createRedirectTargets(key, "standby-loss/redirect", 20);
  const redirects = startRedirectLoad(targets, { clients: 4, maxMs: 300_000 });
  const creates = startCreates(key, `standby-loss/run-${Date.now().toString(36)}`, CREATE_CLIENTS, {
    minIntervalMs: CREATE_INTERVAL_MS,
  });
  let killedAt = 0;
  let newSyncMs = 0;
  let during: readonly { name: string; role: string; state: string }[] = [];
  let restartMs = 0;
  try {
    // A baseline: creates for a few seconds with the cluster whole.
    const since = Date.now();
    await waitFor("3 s of creates before the kill", async () =>
      Date.now() - since >= 3_000 && creates.outcomes.filter((o) => o.status === 200).length >= 20 ? true : undefined,
    );
    // Patroni first, so that it cannot restart its Postgres; then the postmaster, a moment later.
    killedAt = Date.now();
    process.kill(patroni, "SIGKILL");
    process.kill(postmaster, "SIGKILL");
    await waitFor(
      `${survivor} to become the synchronous standby`,
      async () => {
        const members = await readClusterState(stack.context.topology);
        return members?.find((m) => m.name === survivor)?.role === "sync_standby" ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    newSyncMs = Date.now() - killedAt;
    await waitFor(
      `creates for ${RUN_AFTER_KILL_MS} ms after the kill`,
      async () => (Date.now() - killedAt >= RUN_AFTER_KILL_MS ? true : undefined),
      { timeoutMs: RUN_AFTER_KILL_MS + 5_000, intervalMs: 200 },
    );
    during = (await readClusterState(stack.context.topology)) ?? [];
  } finally {
    await creates.stop();
    await redirects.stop();
    const restartFrom = Date.now();
    await stack.postgres.start(stack.context);
    restartMs = Date.now() - restartFrom;
  }

  const acknowledged = creates.outcomes.filter((o) => o.status === 200);
  const failed = creates.outcomes.filter((o) => o.status !== 200);
  // Around the kill: still in flight when it came, or sent before the new synchronous standby showed.
  const around = creates.outcomes.filter((o) => o.doneAt >= killedAt && o.sentAt <= killedAt + newSyncMs);
  const worst = slowest(around);
  const worstBefore = slowest(creates.outcomes.filter((o) => o.doneAt < killedAt));
  const afterKill = acknowledged.filter((o) => o.sentAt > killedAt);
  console.log(
    `killed ${victim} (Patroni ${patroni}, postmaster ${postmaster}) with ${leader} leading; ` +
      `${survivor} the synchronous standby ${newSyncMs} ms later; ` +
      `cluster ${RUN_AFTER_KILL_MS} ms after the kill: ${during.map((m) => `${m.name} ${m.role} ${m.state}`).join(", ")}`,
  );
  console.log(
    `creates: ${acknowledged.length} acknowledged (${afterKill.length} sent after the kill), ${failed.length} failed ` +
      `(${failed.filter((o) => o.status === 503).length} with 503); ` +
      `longest around the kill ${worst.doneAt - worst.sentAt} ms (sent ${worst.sentAt - killedAt} ms from the kill), ` +
      `longest in the 3 s before it ${worstBefore.doneAt - worstBefore.sentAt} ms; ` +
      `${redirects.ok()} redirects answered, ${redirects.failures.length} failed; member restarted in ${restartMs} ms`,
  );
  assert.is(redirects.failures.length, 0, `failed redirects: ${JSON.stringify(redirects.failures.slice(0, 3))}`);
  for (const outcome of failed) assert.is(outcome.status, 503, `a create failed otherwise than 503: ${outcome.detail}`);
  // With synchronous_mode_strict off, losing the standby only delays commits: none is refused.
  assert.equal(
    failed.map((o) => o.detail).slice(0, 3),
    [],
    `${failed.length} creates failed when the synchronous standby died`,
  );
  assert.ok(afterKill.length >= 20, `writes went on after the kill (${afterKill.length} creates)`);
  assert.ok(
    during.some((m) => m.name === survivor && m.role === "sync_standby"),
    `${survivor} is the synchronous standby while ${victim} is down`,
  );
  await assertEachStoredOnce(acknowledged);
  console.log(`${acknowledged.length} acknowledged creates checked: each present exactly once`);

  const after = await healthyCluster();
  const back = after.find((m) => m.name === victim);
  console.log(`after the restart: ${after.map((m) => `${m.name} ${m.role} ${m.state} tl ${m.timeline}`).join(", ")}`);
  assert.ok(supervisor.pidOf(victim), `${victim}'s Patroni is running again`);
  assert.ok(
    back && (back.state === "running" || back.state === "streaming"),
    `${victim} rejoined: ${JSON.stringify(back)}`,
  );
  assert.is(after.find((m) => m.role === "leader")?.name, leader, "the leader did not change");
});

test.run();
