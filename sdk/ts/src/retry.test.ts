import { test } from "uvu";
import * as assert from "uvu/assert";
import { backoffMs, type RetryPolicy, withRetries } from "./retry.js";

const policy: RetryPolicy = { maxAttempts: 3, initialBackoffMs: 1, maxBackoffMs: 4 };
const farAway = () => Date.now() + 10_000;

test("backoff doubles from the initial wait up to the ceiling, jittered below it", () => {
  assert.is(
    backoffMs(policy, 2, () => 1),
    1,
  );
  assert.is(
    backoffMs(policy, 3, () => 1),
    2,
  );
  assert.is(
    backoffMs(policy, 9, () => 1),
    4,
  );
  assert.is(
    backoffMs(policy, 9, () => 0),
    0,
  );
});

test("a retryable failure is repeated until it succeeds", async () => {
  let attempts = 0;
  const answer = await withRetries(
    policy,
    farAway(),
    () => true,
    async () => {
      attempts++;
      if (attempts < 3) throw new Error("unavailable");
      return "ok";
    },
  );
  assert.is(answer, "ok");
  assert.is(attempts, 3);
});

test("attempts stop at maxAttempts, and at once for an error not retryable", async () => {
  let attempts = 0;
  const fail = async () => {
    attempts++;
    throw new Error("no");
  };
  await withRetries(policy, farAway(), () => true, fail).catch(() => {});
  assert.is(attempts, 3);
  attempts = 0;
  await withRetries(policy, farAway(), () => false, fail).catch(() => {});
  assert.is(attempts, 1);
});

test("no retry starts when its wait would pass the deadline", async () => {
  let attempts = 0;
  const slow: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 1_000, maxBackoffMs: 1_000 };
  await withRetries(
    slow,
    Date.now() + 10,
    () => true,
    async () => {
      attempts++;
      throw new Error("no");
    },
  ).catch(() => {});
  // Full jitter can draw a wait of 0: at most a couple of attempts, never all five.
  assert.ok(attempts < 5);
});

test.run();
