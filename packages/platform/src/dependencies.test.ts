import { test } from "uvu";
import * as assert from "uvu/assert";
import { awaitDependencies } from "./dependencies.js";
import { createLogger } from "./logger.js";

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
    { timeoutMs: 2_000, retryMs: 5, logger },
  );
  assert.is(calls, 3);
  assert.is(outcomes[0]?.ready, true);
  assert.equal(warnings, []);
});

test("a dependency still down at the deadline is reported, by name and reason, and does not stop the start", async () => {
  const { logger, warnings } = recordingLogger();
  const outcomes = await awaitDependencies(
    [
      { name: "redis", check: () => Promise.reject(new Error("Cluster isn't ready")) },
      { name: "postgres", check: () => Promise.resolve() },
    ],
    { timeoutMs: 50, retryMs: 5, logger },
  );
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
