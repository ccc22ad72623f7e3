import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { createRedirectTargets } from "../support/links-api.js";
import { assertEachStoredOnce, healthyCluster, patroniStatus, startCreates } from "../support/postgres-cluster.js";
import { startRedirectLoad } from "../support/redirect-load.js";
import { markLogs, rawLinesSince } from "../support/service-logs.js";
import { createStack, resolvePaths, runCommand } from "../support/tool.js";

// etcd, Patroni's only store, lost under load (issue 14): it is killed with
// SIGKILL while creates and redirects run, and left down for 25 s, past
// twice the leader key's ttl (10 s). With failsafe_mode the leader keeps
// leading as long as every member's REST API confirms it, instead of
// demoting itself when it cannot renew its key: the same member answers
// GET /primary with 200 all along (and logs that failsafe mode keeps it
// leading), no create fails, no redirect fails, every acknowledged create is
// stored once. Then `./kurt up` starts etcd again and the cluster is whole
// with the same leader: losing etcd caused no failover.

const ETCD = "etcd";
const CREATE_CLIENTS = 4;
/** 4 clients × 20 creates a second: below the key's write rate limit (100 a second), so no 429 is the test's own doing. */
const CREATE_INTERVAL_MS = 50;
/** More than 2 × PATRONI_TIMING.ttl (10 s): without failsafe mode the leader would have demoted itself by then. */
const OUTAGE_MS = 25_000;
const FAILSAFE_LINE = "continue to run as a leader because failsafe mode is enabled";

const stack = createStack(() => {});
const { supervisor } = stack.context;

let key = "";

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read"])).secret;
});

test("etcd killed under load: the leader keeps leading and writes go on; etcd restarted: the cluster is whole with the same leader", async () => {
  const before = await healthyCluster();
  const leader = before.find((m) => m.role === "leader")?.name as string;
  const others = before.filter((m) => m.role !== "leader").map((m) => m.name);
  assert.ok(leader, `a leader: ${JSON.stringify(before)}`);
  const etcdPid = supervisor.pidOf(ETCD);
  assert.ok(etcdPid, "etcd is running");

  const targets = await createRedirectTargets(key, "etcd-loss/redirect", 20);
  const redirects = startRedirectLoad(targets, { clients: 4, maxMs: 300_000 });
  const creates = startCreates(key, `etcd-loss/run-${Date.now().toString(36)}`, CREATE_CLIENTS, {
    minIntervalMs: CREATE_INTERVAL_MS,
  });
  const mark = markLogs([leader]);
  /** Every second of the outage: what the leader and the others answer to GET /primary. */
  const samples: { at: number; leader: number; others: number[] }[] = [];
  let killedAt = 0;
  let upMs = 0;
  let up: { code: number; stderr: string } | undefined;
  try {
    const since = Date.now();
    await sleep(2_000);
    assert.ok(
      creates.outcomes.some((o) => o.status === 200 && o.sentAt > since),
      "creates succeed before the kill",
    );
    killedAt = Date.now();
    process.kill(etcdPid, "SIGKILL");
    while (Date.now() - killedAt < OUTAGE_MS) {
      const [own, ...rest] = await Promise.all([leader, ...others].map((name) => patroniStatus(name, "/primary")));
      samples.push({ at: Date.now() - killedAt, leader: own as number, others: rest });
      await sleep(1_000);
    }
    assert.is(supervisor.pidOf(ETCD), undefined, "etcd stayed down all along");
  } finally {
    await creates.stop();
    await redirects.stop();
    const upFrom = Date.now();
    up = await runCommand("./kurt", ["up"], { cwd: resolvePaths().root, timeoutMs: 300_000 });
    upMs = Date.now() - upFrom;
  }

  const acknowledged = creates.outcomes.filter((o) => o.status === 200);
  const failed = creates.outcomes.filter((o) => o.status !== 200);
  const duringOutage = acknowledged.filter((o) => o.sentAt > killedAt && o.doneAt < killedAt + OUTAGE_MS);
  const inOutage = creates.outcomes.filter((o) => o.doneAt > killedAt && o.sentAt < killedAt + OUTAGE_MS);
  const slowest = Math.max(...inOutage.map((o) => o.doneAt - o.sentAt));
  const failsafeLines = rawLinesSince(mark).filter(({ line }) => line.includes(FAILSAFE_LINE));
  const notPrimary = samples.filter((s) => s.leader !== 200);
  const otherPrimary = samples.filter((s) => s.others.includes(200));
  console.log(
    `etcd (pid ${etcdPid}) down ${OUTAGE_MS} ms with ${leader} leading: ${samples.length} samples of GET /primary, ` +
      `${leader} answered ${[...new Set(samples.map((s) => s.leader))].join("/")} ` +
      `(${notPrimary.length} samples not 200), the others ${[...new Set(samples.flatMap((s) => s.others))].join("/")}; ` +
      `${failsafeLines.length} "${FAILSAFE_LINE}" lines in ${leader}'s log`,
  );
  console.log(
    `creates: ${acknowledged.length} acknowledged (${duringOutage.length} during the outage, slowest then ${slowest} ms), ` +
      `${failed.length} failed; ${redirects.ok()} redirects answered, ${redirects.failures.length} failed; ./kurt up took ${upMs} ms`,
  );
  assert.is(up?.code, 0, `./kurt up: ${up?.stderr.slice(-1_000)}`);
  assert.equal(notPrimary, [], `${leader} stopped answering GET /primary with 200 while etcd was down`);
  assert.equal(otherPrimary, [], "no other member claimed to be the primary");
  assert.ok(failsafeLines.length > 0, `${leader} logged that failsafe mode kept it leading`);
  assert.equal(failed.map((o) => o.detail).slice(0, 3), [], `${failed.length} creates failed while etcd was down`);
  assert.ok(duringOutage.length >= 50, `writes went on while etcd was down (${duringOutage.length} creates)`);
  assert.is(redirects.failures.length, 0, `failed redirects: ${JSON.stringify(redirects.failures.slice(0, 3))}`);
  await assertEachStoredOnce(acknowledged);
  console.log(`${acknowledged.length} acknowledged creates checked: each present exactly once`);

  const after = await healthyCluster();
  console.log(
    `after etcd's restart: ${after.map((m) => `${m.name} ${m.role} ${m.state} tl ${m.timeline}`).join(", ")}`,
  );
  assert.ok(supervisor.pidOf(ETCD), "etcd runs again");
  assert.is(after.find((m) => m.role === "leader")?.name, leader, "the same member leads: no failover happened");
  assert.is(await patroniStatus(leader, "/primary"), 200, `${leader} answers GET /primary`);
  assert.equal(
    after.map((m) => m.timeline),
    before.map((m) => m.timeline),
    "no member changed timeline (no promotion happened)",
  );
  assert.ok(
    after.every((m) => m.state === "running" || m.state === "streaming"),
    "every member runs",
  );
});

test.run();
