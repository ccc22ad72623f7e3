import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createSupervisor } from "./supervisor.js";
import { waitFor } from "./wait.js";

const dir = mkdtempSync(path.join(tmpdir(), "kurt-supervisor-"));
const supervisor = createSupervisor(path.join(dir, "run"), path.join(dir, "logs"));

test.after(() => rmSync(dir, { recursive: true, force: true }));

test("a started daemon outlives its start call, logs to its file and stops by pid", async () => {
  const pid = await supervisor.start({ name: "sleeper", command: "sh", args: ["-c", "echo hello; exec sleep 60"] });
  assert.is(supervisor.pidOf("sleeper"), pid);
  assert.equal(supervisor.known(), ["sleeper"]);
  assert.is(await supervisor.start({ name: "sleeper", command: "false", args: [] }), pid, "a second start is a no-op");
  // On a busy machine the shell may not have run its echo yet: a stop now would cut it off.
  await waitFor("the daemon's first line in its log", async () =>
    /hello/.test(readFileSync(supervisor.logFileOf("sleeper"), "utf8")) ? true : undefined,
  );
  await supervisor.stop("sleeper");
  assert.is(supervisor.pidOf("sleeper"), undefined);
  assert.equal(supervisor.known(), []);
});

test("a pid file whose process was replaced by another is not taken for ours", async () => {
  await supervisor.start({ name: "victim", command: "sleep", args: ["60"] });
  const file = path.join(dir, "run", "pids", "victim.json");
  const record = JSON.parse(readFileSync(file, "utf8"));
  // The same pid number with another start time is some other process: never signal it.
  writeFileSync(file, JSON.stringify({ ...record, startTicks: "1" }));
  assert.is(supervisor.pidOf("victim"), undefined);
  process.kill(record.pid, "SIGKILL");
});

test.run();
