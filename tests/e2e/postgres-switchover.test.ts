import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { createRedirectTargets } from "../support/links-api.js";
import { assertEachStoredOnce, healthyCluster, startCreates } from "../support/postgres-cluster.js";
import { startRedirectLoad } from "../support/redirect-load.js";
import { type RunResult, resolvePaths, runCommand, waitFor } from "../support/tool.js";

// `./kurt switchover` (issue 14): a planned change of leader, run the way an
// operator runs it, while creates and redirects flow. PgBouncer holds the
// writes while Patroni switches over, so not one request may fail, and every
// acknowledged create is stored exactly once.

const CREATE_CLIENTS = 4;

let key = "";

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read"])).secret;
});

function kurtSwitchover(args: readonly string[]): Promise<RunResult> {
  return runCommand("./kurt", ["switchover", ...args], { cwd: resolvePaths().root });
}

const leaderOf = async () => (await healthyCluster()).find((m) => m.role === "leader")?.name;

test("bad arguments and impossible targets are refused with a message, and the leader stays", async () => {
  const members = await healthyCluster();
  const leader = members.find((m) => m.role === "leader")?.name;
  const asynchronous = members.find((m) => m.role === "replica")?.name as string;
  const unknown = await kurtSwitchover(["--to", "postgres-9"]);
  assert.is.not(unknown.code, 0, "an unknown member is refused");
  assert.match(unknown.stderr, /postgres-9.*not a member/);
  const self = await kurtSwitchover(["--to", leader as string]);
  assert.is.not(self.code, 0, "the leader itself is refused");
  assert.match(self.stderr, /already leads/);
  const notSync = await kurtSwitchover(["--to", asynchronous]);
  assert.is.not(notSync.code, 0, "an asynchronous replica is refused");
  assert.match(notSync.stderr, new RegExp(`${asynchronous} is not the synchronous standby`));
  assert.not.match(notSync.stderr, /pausing/, "refused before PgBouncer pauses anything");
  const junk = await kurtSwitchover(["--bogus"]);
  assert.is(junk.code, 2, "an unknown flag is a usage error");
  assert.match(junk.stderr, /usage: \.\/kurt switchover/);
  assert.is(await leaderOf(), leader, "nothing changed");
});

test("two switchovers under load (to the synchronous standby, then --to it by name): no request fails", async () => {
  const targets = await createRedirectTargets(key, "switchover/redirect", 20);
  const redirects = startRedirectLoad(targets, { clients: 4, maxMs: 300_000 });
  const creates = startCreates(key, `switchover/run-${Date.now().toString(36)}`, CREATE_CLIENTS, { minIntervalMs: 50 });
  const held: string[] = [];
  try {
    for (const round of ["sync standby", "named"] as const) {
      const before = await healthyCluster();
      const leader = before.find((m) => m.role === "leader")?.name;
      const wanted = before.find((m) => m.role === "sync_standby")?.name;
      assert.ok(leader && wanted, `a leader and a target in ${JSON.stringify(before)}`);
      const since = Date.now();
      await waitFor("creates before the switchover", async () =>
        creates.outcomes.filter((o) => o.status === 200 && o.sentAt > since).length >= 5 ? true : undefined,
      );
      const run = await kurtSwitchover(round === "named" ? ["--to", wanted as string] : []);
      assert.is(run.code, 0, `./kurt switchover: ${run.stderr}`);
      const line = /writes were held (\d+) ms/.exec(run.stderr);
      assert.ok(line, `the held time is reported: ${run.stderr}`);
      held.push(line?.[1] as string);
      const after = await healthyCluster();
      assert.is(after.find((m) => m.role === "leader")?.name, wanted, `${round}: the leader is now ${wanted}`);
      const resumed = Date.now();
      await waitFor("creates after the switchover", async () =>
        creates.outcomes.filter((o) => o.status === 200 && o.sentAt > resumed).length >= 5 ? true : undefined,
      );
      console.log(`switchover (${round}): ${leader} → ${wanted}, writes held ${line?.[1]} ms`);
    }
  } finally {
    await creates.stop();
    await redirects.stop();
  }
  const failed = creates.outcomes.filter((o) => o.status !== 200);
  const acknowledged = creates.outcomes.filter((o) => o.status === 200);
  const slowest = Math.max(...creates.outcomes.map((o) => o.doneAt - o.sentAt));
  console.log(
    `switchovers held writes ${held.join(", ")} ms; ${acknowledged.length} creates acknowledged (slowest ${slowest} ms), ` +
      `${failed.length} failed; ${redirects.ok()} redirects answered, ${redirects.failures.length} failed`,
  );
  assert.equal(
    failed.map((o) => o.detail).slice(0, 3),
    [],
    `${failed.length} creates failed during a planned switchover`,
  );
  assert.is(redirects.failures.length, 0, `failed redirects: ${JSON.stringify(redirects.failures.slice(0, 3))}`);
  await assertEachStoredOnce(acknowledged);
});

test.run();
