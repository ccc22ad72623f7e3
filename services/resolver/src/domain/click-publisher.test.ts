import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Click, ClickFacts } from "./click.js";
import type { ClickDropReason, ClickObserver } from "./click-observer.js";
import { type ClickPublisherDeps, type ClickPublisherTimers, createClickPublisher } from "./click-publisher.js";
import type { ClickSender } from "./click-sender.js";

/** Lets every promise and immediate that can run without the clock moving run (the pump yields with setImmediate). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A clock that moves only when the test says: its timers fire in `advance`, in due order, at their time. */
function fakeClock() {
  let now = 1_700_000_000_000;
  let created = 0;
  const pending: { at: number; order: number; callback: () => void }[] = [];
  const timers: ClickPublisherTimers = {
    setTimeout(callback, ms) {
      const timer = { at: now + ms, order: created++, callback };
      pending.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      const index = pending.indexOf(handle as (typeof pending)[number]);
      if (index >= 0) pending.splice(index, 1);
    },
    unref() {},
  };
  const nextDue = (until: number) =>
    pending.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.order - b.order)[0];
  return {
    timers,
    now: () => now,
    /** Moves the clock `ms` forward, firing each timer due on the way and letting what it starts settle. */
    async advance(ms: number) {
      const end = now + ms;
      await settle();
      for (let fired = 0; ; fired++) {
        if (fired > 10_000) throw new Error("timers keep firing without the clock moving");
        const due = nextDue(end);
        if (due === undefined) break;
        now = Math.max(now, due.at);
        pending.splice(pending.indexOf(due), 1);
        due.callback();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}

type Clock = ReturnType<typeof fakeClock>;

/** A sender port standing in for Kafka: it records batches and fails, stalls or takes time on demand. */
function fakeSender(clock: Clock) {
  const batches: string[][] = [];
  const pending = new Set<(error: Error) => void>();
  let inFlight = 0;
  const state = { mode: "ok" as "ok" | "fail" | "stall", holdMs: 0, maxInFlight: 0, calls: 0, closed: false };
  const sender: ClickSender = {
    async send(batch: readonly Click[]) {
      state.calls += 1;
      inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      try {
        if (state.mode === "stall") {
          await new Promise<void>((_, reject) => pending.add(reject));
        }
        if (state.holdMs > 0) await new Promise<void>((resolve) => clock.timers.setTimeout(resolve, state.holdMs));
        if (state.mode === "fail") throw new Error("broker down");
        batches.push(batch.map((click) => click.code));
      } finally {
        inFlight -= 1;
      }
    },
    async close() {
      state.closed = true;
      for (const reject of pending) reject(new Error("disconnected"));
      pending.clear();
    },
  };
  const failInFlight = () => {
    for (const reject of pending) reject(new Error("request timed out"));
    pending.clear();
  };
  return { sender, batches, state, failInFlight, delivered: () => batches.flat() };
}

function fakeObserver() {
  const counts = { enqueued: 0, sent: 0, failed: 0 };
  const dropped: Record<ClickDropReason, number> = { queue_full: 0, requeue_full: 0, shutdown: 0 };
  const observer: ClickObserver = {
    enqueued() {
      counts.enqueued += 1;
    },
    sent(n) {
      counts.sent += n;
    },
    sendFailed(n) {
      counts.failed += n;
    },
    dropped(reason, n) {
      dropped[reason] += n;
    },
  };
  return { observer, counts, dropped, totalDropped: () => Object.values(dropped).reduce((a, b) => a + b, 0) };
}

const facts = (code: string): ClickFacts => ({
  domain: "",
  prefetch: false,
  code,
  referrer: "",
  userAgent: "",
  clientAddress: "",
  redirectStatus: 302,
  servedBy: "memory",
  requestId: "",
});
const codes = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `c${from + i}`);

function setup(options: Partial<ClickPublisherDeps> = {}) {
  const clock = fakeClock();
  const fake = fakeSender(clock);
  const watch = fakeObserver();
  let id = 0;
  const publisher = createClickPublisher({
    sender: fake.sender,
    observer: watch.observer,
    queueMax: 1_000,
    batchSize: 10,
    batchWindowMs: 10_000,
    newId: () => `id-${++id}`,
    now: clock.now,
    timers: clock.timers,
    retryDelayMs: 5,
    maxRetryDelayMs: 20,
    ...options,
  });
  return { publisher, clock, ...fake, ...watch };
}

/** Moves the clock a millisecond at a time until `condition` holds, for at most `withinMs` of fake time. */
async function runUntil(clock: Clock, what: string, condition: () => boolean, withinMs = 10_000): Promise<void> {
  for (let waited = 0; !condition(); waited++) {
    if (waited >= withinMs) throw new Error(`not within ${withinMs} ms of the fake clock: ${what}`);
    await clock.advance(1);
  }
}

/** close() on the fake clock: its deadline passes only as the test moves the clock. */
async function closeAfter(clock: Clock, publisher: { close(timeoutMs: number): Promise<void> }, timeoutMs: number) {
  const closed = publisher.close(timeoutMs);
  await clock.advance(timeoutMs);
  await closed;
}

test("a full batch is sent at once, without waiting out the window", async () => {
  const { publisher, clock, batches } = setup({ batchSize: 3 });
  for (const code of codes(1, 3)) publisher.record(facts(code));
  await settle();
  assert.equal(batches, [["c1", "c2", "c3"]], "sent with the clock standing still");
  await closeAfter(clock, publisher, 100);
});

test("fewer clicks than a batch are sent when the oldest has waited the window", async () => {
  const { publisher, clock, batches } = setup({ batchSize: 100, batchWindowMs: 30 });
  publisher.record(facts("c1"));
  await clock.advance(10);
  publisher.record(facts("c2"));
  await clock.advance(19);
  assert.is(batches.length, 0, "nothing is sent before the oldest click's window ends");
  await clock.advance(1);
  assert.equal(batches, [["c1", "c2"]], "both sent as the oldest's window ends, the newer one's unfinished");
  await closeAfter(clock, publisher, 100);
});

test("a full batch is not sent within the task that recorded it: the call's answer goes out first", async () => {
  const { publisher, clock, state } = setup({ batchSize: 1 });
  publisher.record(facts("c1"));
  // What a unary handler does after record(): resolve its promise, and the server then sends the answer.
  for (let i = 0; i < 20; i++) await Promise.resolve();
  assert.is(state.calls, 0);
  await settle();
  assert.is(state.calls, 1, "sent on a later turn of the event loop, with the clock standing still");
  await closeAfter(clock, publisher, 100);
});

test("each click gets a fresh event id and the time it was recorded", async () => {
  const clock = fakeClock();
  const seen: Click[] = [];
  const sender: ClickSender = { send: async (batch) => void seen.push(...batch), close: async () => {} };
  const own = createClickPublisher({
    sender,
    observer: fakeObserver().observer,
    queueMax: 10,
    batchSize: 2,
    batchWindowMs: 1_000,
    newId: (() => {
      let n = 0;
      return () => `event-${++n}`;
    })(),
    now: clock.now,
    timers: clock.timers,
  });
  const first = clock.now();
  own.record({ ...facts("a"), referrer: "https://ref.example/", userAgent: "UA", clientAddress: "203.0.113.9" });
  await clock.advance(7);
  own.record(facts("b"));
  await settle();
  assert.is(seen.length, 2);
  assert.equal(seen[0], {
    ...facts("a"),
    referrer: "https://ref.example/",
    userAgent: "UA",
    clientAddress: "203.0.113.9",
    eventId: "event-1",
    occurredAtMs: first,
  });
  assert.is(seen[1]?.eventId, "event-2");
  assert.is(seen[1]?.occurredAtMs, first + 7);
  await closeAfter(clock, own, 100);
});

test("one send at a time, and clicks leave in the order they were recorded", async () => {
  const { publisher, clock, state, delivered, counts, totalDropped } = setup({
    queueMax: 10_000,
    batchSize: 50,
    batchWindowMs: 1,
  });
  // Each send takes 3 ms while 100 clicks arrive every millisecond: sends overlap the recording.
  state.holdMs = 3;
  const all = codes(1, 2_000);
  for (let i = 0; i < all.length; i += 100) {
    for (const code of all.slice(i, i + 100)) publisher.record(facts(code));
    await clock.advance(1);
  }
  assert.ok(publisher.depth > 0, "clicks were still waiting when the recording stopped");
  await runUntil(clock, "all delivered", () => delivered().length === all.length);
  assert.equal(delivered(), all);
  assert.is(state.maxInFlight, 1);
  assert.is(counts.sent, all.length);
  assert.is(totalDropped(), 0);
  assert.is(publisher.depth, 0);
  await closeAfter(clock, publisher, 100);
});

test("a failed batch is retried from the front of the queue, with backoff, before clicks recorded since", async () => {
  const { publisher, clock, state, delivered, counts, totalDropped } = setup({ batchSize: 4, batchWindowMs: 1 });
  state.mode = "fail";
  for (const code of codes(1, 6)) publisher.record(facts(code));
  await settle();
  assert.is(state.calls, 1);
  await clock.advance(4);
  assert.is(state.calls, 1, "no retry before the first backoff (5 ms)");
  await clock.advance(1);
  assert.is(state.calls, 2);
  await clock.advance(9);
  assert.is(state.calls, 2, "the backoff doubles (10 ms)");
  await clock.advance(1);
  assert.is(state.calls, 3);
  for (const code of codes(7, 9)) publisher.record(facts(code));
  state.mode = "ok";
  await clock.advance(20);
  assert.equal(delivered(), codes(1, 9), "each click once, in order");
  assert.is(counts.failed, 12, "failures are reported with their batch size");
  assert.is(totalDropped(), 0);
  await closeAfter(clock, publisher, 100);
});

test("after a success the backoff starts over", async () => {
  const { publisher, clock, state, delivered } = setup({ batchSize: 1, batchWindowMs: 1 });
  state.mode = "fail";
  publisher.record(facts("c1"));
  await clock.advance(5 + 10 + 20 + 20);
  assert.is(state.calls, 5, "waits of 5, 10, 20 and 20 ms: doubled up to the ceiling");
  state.mode = "ok";
  await clock.advance(20);
  assert.equal(delivered(), ["c1"]);
  state.mode = "fail";
  publisher.record(facts("c2"));
  await settle();
  const calls = state.calls;
  await clock.advance(5);
  assert.is(state.calls, calls + 1, "the first retry waits the first backoff again");
  await closeAfter(clock, publisher, 100);
});

test("recording never waits for the sender: a stalled send leaves record() synchronous and the queue filling", async () => {
  const { publisher, clock, state } = setup({ queueMax: 10_000, batchSize: 10, batchWindowMs: 1 });
  state.mode = "stall";
  for (const code of codes(1, 10)) publisher.record(facts(code));
  await settle();
  assert.is(state.calls, 1, "the first batch is in flight");
  // Synchronous: every click is queued by the time record() returns, while the first batch still hangs.
  for (const code of codes(11, 5_010)) publisher.record(facts(code));
  assert.is(publisher.depth, 5_000);
  await clock.advance(1_000);
  assert.is(state.calls, 1, "no second send while one is in flight");
  await closeAfter(clock, publisher, 20);
});

test("beyond the bound the oldest clicks are dropped and counted; the newest are sent once the sender is back", async () => {
  const { publisher, clock, state, delivered, dropped, totalDropped } = setup({
    queueMax: 10,
    batchSize: 4,
    batchWindowMs: 1,
  });
  state.mode = "fail";
  for (const code of codes(1, 25)) publisher.record(facts(code));
  assert.is(dropped.queue_full, 15);
  assert.is(publisher.depth, 10);
  await clock.advance(5 + 10);
  assert.is(state.calls, 3, "three failed attempts");
  state.mode = "ok";
  await clock.advance(20);
  assert.is(publisher.depth, 0);
  assert.equal(delivered(), codes(16, 25));
  assert.is(totalDropped(), 15);
  await closeAfter(clock, publisher, 100);
});

test("a failed batch that no longer fits back loses its oldest clicks, counted apart", async () => {
  const { publisher, clock, state, failInFlight, delivered, dropped } = setup({
    queueMax: 6,
    batchSize: 4,
    batchWindowMs: 1,
  });
  state.mode = "stall";
  for (const code of codes(1, 4)) publisher.record(facts(code));
  await settle();
  assert.is(state.calls, 1, "the batch is in flight");
  for (const code of codes(5, 9)) publisher.record(facts(code));
  state.mode = "ok";
  // Only one of the four fits back in front of the five queued meanwhile.
  failInFlight();
  await clock.advance(5 + 1);
  assert.equal(delivered(), ["c4", ...codes(5, 9)]);
  assert.equal(dropped, { queue_full: 0, requeue_full: 3, shutdown: 0 });
  await closeAfter(clock, publisher, 100);
});

test("close sends everything queued, then closes the sender", async () => {
  const { publisher, delivered, state, totalDropped } = setup({ batchSize: 4, batchWindowMs: 60_000 });
  for (const code of codes(1, 10)) publisher.record(facts(code));
  // Without moving the clock: close does not wait out the window.
  await publisher.close(1_000);
  assert.equal(delivered(), codes(1, 10));
  assert.ok(state.closed);
  assert.is(totalDropped(), 0);
});

test("close gives up at its timeout and counts what was still waiting as dropped at shutdown", async () => {
  const { publisher, clock, state, dropped } = setup({ batchSize: 4, batchWindowMs: 1 });
  state.mode = "fail";
  for (const code of codes(1, 10)) publisher.record(facts(code));
  let closed = false;
  const closing = publisher.close(60).then(() => {
    closed = true;
  });
  await clock.advance(59);
  assert.not.ok(closed, "still trying before the timeout");
  assert.ok(state.calls > 1, "and retrying meanwhile");
  assert.not.ok(state.closed);
  await clock.advance(1);
  assert.ok(closed, "done at the timeout");
  await closing;
  assert.is(dropped.shutdown, 10);
  assert.ok(state.closed);
  publisher.record(facts("late"));
  assert.is(dropped.shutdown, 11, "a click after close is dropped, not queued");
});

test.run();
