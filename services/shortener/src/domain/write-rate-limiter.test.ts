import { KurtError } from "@kurt/platform/errors";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createWriteRateLimiter, type WriteDecision, writeRateLimitExceeded } from "./write-rate-limiter.js";

function fakeClock(start = 1_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

const takeMany = (take: () => WriteDecision, times: number) => Array.from({ length: times }, take);
const allowedCount = (decisions: readonly WriteDecision[]) => decisions.filter((d) => d.allowed).length;

test("a key may write its burst at once; the next write is refused with the time until a token is back", () => {
  const clock = fakeClock();
  const limiter = createWriteRateLimiter({ burst: 400, perSecond: 100, now: clock.now });
  assert.is(allowedCount(takeMany(() => limiter.take("key-a"), 400)), 400);
  assert.equal(limiter.take("key-a"), { allowed: false, retryAfterMs: 10 });
  clock.advance(4);
  assert.equal(limiter.take("key-a"), { allowed: false, retryAfterMs: 6 });
});

test("the bucket refills at perSecond, never beyond the burst", () => {
  const clock = fakeClock();
  const limiter = createWriteRateLimiter({ burst: 400, perSecond: 100, now: clock.now });
  takeMany(() => limiter.take("key-a"), 400);
  clock.advance(1_000);
  assert.is(allowedCount(takeMany(() => limiter.take("key-a"), 150)), 100, "one second refills 100 tokens");
  clock.advance(3_600_000);
  assert.is(allowedCount(takeMany(() => limiter.take("key-a"), 500)), 400, "an hour idle refills to the burst only");
});

test("each key has its own budget: one key's burst does not refuse another's writes", () => {
  const clock = fakeClock();
  const limiter = createWriteRateLimiter({ burst: 5, perSecond: 1, now: clock.now });
  takeMany(() => limiter.take("busy"), 10);
  assert.is(limiter.take("busy").allowed, false);
  assert.is(allowedCount(takeMany(() => limiter.take("quiet"), 5)), 5);
});

test("buckets that refilled to the brim are dropped, so idle keys hold no memory", () => {
  const clock = fakeClock();
  const limiter = createWriteRateLimiter({ burst: 10, perSecond: 10, now: clock.now });
  for (let i = 0; i < 1_000; i++) limiter.take(`key-${i}`);
  assert.is(limiter.trackedKeys, 1_000);
  clock.advance(999);
  limiter.take("key-new");
  assert.is(limiter.trackedKeys, 1_001, "not yet full: kept");
  clock.advance(1);
  limiter.take("key-new");
  assert.is(limiter.trackedKeys, 1, "full after burst / perSecond = 1 s: dropped");
});

test("at most maxKeys buckets are kept: the least recently used goes first", () => {
  const clock = fakeClock();
  const limiter = createWriteRateLimiter({ burst: 2, perSecond: 0.001, now: clock.now, maxKeys: 3 });
  for (const key of ["a", "b", "c"]) takeMany(() => limiter.take(key), 2);
  limiter.take("a"); // refused, but "a" is now the most recently used
  limiter.take("d");
  assert.is(limiter.trackedKeys, 3);
  assert.is(limiter.take("a").allowed, false, "a was kept with its empty bucket");
  assert.is(limiter.take("c").allowed, false, "c was kept");
  assert.is(limiter.take("b").allowed, true, "b, the least recently used, was forgotten: a full bucket again");
});

test("the refusal is RESOURCE_EXHAUSTED naming the rate and when to retry", () => {
  const limiter = createWriteRateLimiter({ burst: 400, perSecond: 100, now: () => 0 });
  const error = writeRateLimitExceeded(limiter, 10);
  assert.instance(error, KurtError);
  assert.is(error.code, "resource_exhausted");
  assert.is(
    error.message,
    "write rate limit of 100 per second (bursts of 400) for this API key exceeded; retry in 10 ms",
  );
});

test("a limit without tokens or refill is a configuration error", () => {
  assert.throws(() => createWriteRateLimiter({ burst: 0, perSecond: 100, now: () => 0 }), /burst ≥ 1/);
  assert.throws(() => createWriteRateLimiter({ burst: 10, perSecond: 0, now: () => 0 }), /perSecond > 0/);
});

test.run();
