import { test } from "uvu";
import * as assert from "uvu/assert";
import { scheduleCheckPendingRequests } from "./kafkajs-idle-loop.js";

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("with nothing pending, no check is scheduled (the bug re-armed a timer forever)", () => {
  const idle = queue([], -1);
  scheduleCheckPendingRequests.call(idle);
  assert.is(idle.throttleCheckTimeoutId, null);
});

test("a pending request is checked again once the broker's throttle ends", async () => {
  const throttled = queue([{}], Date.now() + 40);
  scheduleCheckPendingRequests.call(throttled);
  assert.ok(throttled.throttleCheckTimeoutId !== null);
  await sleep(15);
  assert.is(throttled.checks, 0, "not before the throttle ends");
  await sleep(80);
  assert.is(throttled.checks, 1);
});

test("a pending request without a throttle is checked after the short interval", async () => {
  const waiting = queue([{}], -1);
  scheduleCheckPendingRequests.call(waiting);
  await sleep(60);
  assert.is(waiting.checks, 1);
});

test.run();
