import { test } from "uvu";
import * as assert from "uvu/assert";
import { backoffMs, type RetryPolicy, type RetryTiming, withRetries } from "./retry.js";

const policy: RetryPolicy = { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 400 };

/** A clock that moves only by the waits withRetries asks for, which it records; jitter at its ceiling. */
function fakeTiming(random = () => 1) {
  let now = 0;
  const waits: number[] = [];
  const timing: RetryTiming = {
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    random,
  };
  return { timing, waits };
}

test("backoff doubles from the initial wait up to the ceiling, jittered below it", () => {
  const small: RetryPolicy = { maxAttempts: 3, initialBackoffMs: 1, maxBackoffMs: 4 };
  assert.is(
    backoffMs(small, 2, () => 1),
    1,
  );
  assert.is(
    backoffMs(small, 3, () => 1),
    2,
  );
  assert.is(
    backoffMs(small, 9, () => 1),
    4,
  );
  assert.is(
    backoffMs(small, 9, () => 0),
    0,
  );
});

test("a retryable failure is repeated until it succeeds, after doubling waits", async () => {
  const { timing, waits } = fakeTiming();
  let attempts = 0;
  const answer = await withRetries(
    policy,
    10_000,
    () => true,
    async () => {
      attempts++;
      if (attempts < 3) throw new Error("unavailable");
      return "ok";
    },
    timing,
  );
  assert.is(answer, "ok");
  assert.is(attempts, 3);
  assert.equal(waits, [100, 200]);
});

test("attempts stop at maxAttempts, and at once for an error not retryable", async () => {
  let attempts = 0;
  const fail = async () => {
    attempts++;
    throw new Error("no");
  };
  await withRetries(policy, 10_000, () => true, fail, fakeTiming().timing).catch(() => {});
  assert.is(attempts, 3);
  attempts = 0;
  await withRetries(policy, 10_000, () => false, fail, fakeTiming().timing).catch(() => {});
  assert.is(attempts, 1);
});

test("no retry starts when its wait would pass the deadline, and the last error is thrown", async () => {
  const { timing, waits } = fakeTiming();
  let attempts = 0;
  const slow: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 1_000, maxBackoffMs: 1_000 };
  const error = await withRetries(
    slow,
    1_500,
    () => true,
    async () => {
      attempts++;
      throw new Error(`attempt ${attempts}`);
    },
    timing,
  ).catch((e: unknown) => e);
  assert.is(attempts, 2, "a second attempt at 1,000 ms; a third would start at 2,000 ms, past the deadline");
  assert.equal(waits, [1_000]);
  assert.is((error as Error).message, "attempt 2");
});

test.run();
