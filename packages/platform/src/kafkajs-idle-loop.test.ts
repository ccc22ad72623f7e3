import { test } from "uvu";
import * as assert from "uvu/assert";
import { createScheduleCheckPendingRequests, type QueueClock } from "./kafkajs-idle-loop.js";

/** A clock that moves only when the test says: timers fire in `advance`, in due order. */
function fakeClock() {
  let now = 1_000_000;
  const timers: { at: number; callback: () => void }[] = [];
  const clock: QueueClock = {
    now: () => now,
    setTimeout(callback, ms) {
      timers.push({ at: now + ms, callback });
      return {} as NodeJS.Timeout;
    },
  };
  return {
    clock,
    now: () => now,
    advance(ms: number) {
      now += ms;
      for (const due of timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)) {
        timers.splice(timers.indexOf(due), 1);
        due.callback();
      }
    },
  };
}

function queue(pending: unknown[], throttledUntil: number) {
  const state = {
    pending,
    throttledUntil,
    throttleCheckTimeoutId: null as NodeJS.Timeout | null,
    checks: 0,
    checkPendingRequests() {
      state.checks++;
    },
  };
  return state;
}

test("with nothing pending, no check is scheduled (the bug re-armed a timer forever)", () => {
  const { clock } = fakeClock();
  const idle = queue([], -1);
  createScheduleCheckPendingRequests(clock).call(idle);
  assert.is(idle.throttleCheckTimeoutId, null);
});

test("a pending request is checked again once the broker's throttle ends", () => {
  const time = fakeClock();
  const throttled = queue([{}], time.now() + 40);
  createScheduleCheckPendingRequests(time.clock).call(throttled);
  assert.ok(throttled.throttleCheckTimeoutId !== null);
  time.advance(39);
  assert.is(throttled.checks, 0, "not before the throttle ends");
  time.advance(1);
  assert.is(throttled.checks, 1);
  assert.is(throttled.throttleCheckTimeoutId, null, "the timer is forgotten once it fired");
});

test("a pending request without a throttle is checked after the short interval", () => {
  const time = fakeClock();
  const waiting = queue([{}], -1);
  createScheduleCheckPendingRequests(time.clock).call(waiting);
  time.advance(9);
  assert.is(waiting.checks, 0, "not before kafkajs's 10 ms interval");
  time.advance(1);
  assert.is(waiting.checks, 1);
});

test("a check already scheduled is not scheduled twice", () => {
  const time = fakeClock();
  const waiting = queue([{}], -1);
  const schedule = createScheduleCheckPendingRequests(time.clock);
  schedule.call(waiting);
  schedule.call(waiting);
  time.advance(10);
  assert.is(waiting.checks, 1);
});

test.run();
