import { test } from "uvu";
import * as assert from "uvu/assert";
import { awaitDependencies } from "./dependencies.js";
import { createLogger } from "./logger.js";

/** A clock that moves only by the waits between tries. */
function fakeClock() {
  let now = 0;
  return {
    now: () => now,
    wait: async (ms: number) => {
      now += ms;
    },
  };
}

function recordingLogger() {
  // biome-ignore lint/suspicious/noExplicitAny: log lines are read back as parsed JSON
  const warnings: any[] = [];
  const logger = createLogger({ level: "warn", base: {} }, (line) => warnings.push(JSON.parse(line)));
  return { warnings, logger };
}

test("a dependency that fails a few times is waited for until it answers", async () => {
  const { logger, warnings } = recordingLogger();
  let calls = 0;
  const outcomes = await awaitDependencies(
    [
      {
        name: "flaky",
        check: async () => {
          calls += 1;
          if (calls < 3) throw new Error("not yet");
        },
      },
    ],
    { timeoutMs: 2_000, retryMs: 200, logger, ...fakeClock() },
  );
  assert.is(calls, 3);
  assert.is(outcomes[0]?.ready, true);
  assert.is(outcomes[0]?.waitedMs, 400, "two waits between three tries");
  assert.equal(warnings, []);
});

test("a dependency still down at the deadline is reported, by name and reason, and does not stop the start", async () => {
  const { logger, warnings } = recordingLogger();
  let redisTries = 0;
  const outcomes = await awaitDependencies(
    [
      {
        name: "redis",
        check: () => {
          redisTries += 1;
          return Promise.reject(new Error("Cluster isn't ready"));
        },
      },
      { name: "postgres", check: () => Promise.resolve() },
    ],
    { timeoutMs: 1_000, retryMs: 200, logger, ...fakeClock() },
  );
  assert.is(redisTries, 6, "tried every 200 ms up to the deadline, and no wait past it");
  assert.is(outcomes[0]?.waitedMs, 1_000);
  assert.equal(
    outcomes.map(({ name, ready }) => [name, ready]),
    [
      ["redis", false],
      ["postgres", true],
    ],
  );
  assert.is(outcomes[0]?.error, "Cluster isn't ready");
  assert.is(warnings.length, 1);
  assert.equal(warnings[0]?.notReady, [{ name: "redis", error: "Cluster isn't ready" }]);
});

test.run();
