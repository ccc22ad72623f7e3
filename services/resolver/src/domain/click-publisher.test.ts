import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Click, ClickFacts } from "./click.js";
import type { ClickDropReason, ClickObserver } from "./click-observer.js";
import { type ClickPublisherDeps, createClickPublisher } from "./click-publisher.js";
import type { ClickSender } from "./click-sender.js";

/** A sender port standing in for Kafka: it records batches and fails or stalls on demand. */
function fakeSender() {
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
        if (state.holdMs > 0) await sleep(state.holdMs);
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
  const fake = fakeSender();
  const watch = fakeObserver();
  let id = 0;
  const publisher = createClickPublisher({
    sender: fake.sender,
    observer: watch.observer,
    queueMax: 1_000,
    batchSize: 10,
    batchWindowMs: 10_000,
    newId: () => `id-${++id}`,
    now: Date.now,
    retryDelayMs: 5,
    maxRetryDelayMs: 20,
    ...options,
  });
  return { publisher, ...fake, ...watch };
}

async function until(what: string, condition: () => boolean, withinMs = 2_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await sleep(2);
  }
}

test("a full batch is sent at once, without waiting out the window", async () => {
  const { publisher, batches } = setup({ batchSize: 3 });
  for (const code of codes(1, 3)) publisher.record(facts(code));
  await until("one batch sent", () => batches.length === 1);
  assert.equal(batches, [["c1", "c2", "c3"]]);
  await publisher.close(100);
});

test("fewer clicks than a batch are sent when the oldest has waited the window", async () => {
  const { publisher, batches } = setup({ batchSize: 100, batchWindowMs: 30 });
  const started = Date.now();
  publisher.record(facts("c1"));
  publisher.record(facts("c2"));
  await sleep(5);
  assert.is(batches.length, 0, "nothing is sent before the window ends");
  await until("the window's batch sent", () => batches.length === 1);
  assert.ok(Date.now() - started >= 29, "not before the window");
  assert.equal(batches, [["c1", "c2"]]);
  await publisher.close(100);
});

test("a full batch is not sent within the task that recorded it: the call's answer goes out first", async () => {
  const { publisher, state } = setup({ batchSize: 1 });
  publisher.record(facts("c1"));
  // What a unary handler does after record(): resolve its promise, and the server then sends the answer.
  for (let i = 0; i < 20; i++) await Promise.resolve();
  assert.is(state.calls, 0);
  await until("sent on a later turn of the event loop", () => state.calls === 1);
  await publisher.close(100);
});

test("each click gets a fresh event id and the time it was recorded", async () => {
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
    now: () => 1_700_000_000_000,
  });
  own.record({ ...facts("a"), referrer: "https://ref.example/", userAgent: "UA", clientAddress: "203.0.113.9" });
  own.record(facts("b"));
  await until("sent", () => seen.length === 2);
  assert.equal(seen[0], {
    ...facts("a"),
    referrer: "https://ref.example/",
    userAgent: "UA",
    clientAddress: "203.0.113.9",
    eventId: "event-1",
    occurredAtMs: 1_700_000_000_000,
  });
  assert.is(seen[1]?.eventId, "event-2");
  await own.close(100);
});

test("one send at a time, and clicks leave in the order they were recorded", async () => {
  const { publisher, state, delivered, counts, totalDropped } = setup({
    queueMax: 10_000,
    batchSize: 50,
    batchWindowMs: 1,
  });
  state.holdMs = 3;
  const all = codes(1, 2_000);
  for (let i = 0; i < all.length; i += 100) {
    for (const code of all.slice(i, i + 100)) publisher.record(facts(code));
    await sleep(1);
  }
  await until("all delivered", () => delivered().length === all.length, 5_000);
  assert.equal(delivered(), all);
  assert.is(state.maxInFlight, 1);
  assert.is(counts.sent, all.length);
  assert.is(totalDropped(), 0);
  assert.is(publisher.depth, 0);
  await publisher.close(100);
});

test("a failed batch is retried from the front of the queue, before clicks recorded since", async () => {
  const { publisher, state, delivered, counts, totalDropped } = setup({ batchSize: 4, batchWindowMs: 1 });
  state.mode = "fail";
  for (const code of codes(1, 6)) publisher.record(facts(code));
  await until("two failed attempts", () => state.calls >= 2);
  for (const code of codes(7, 9)) publisher.record(facts(code));
  state.mode = "ok";
  await until("all delivered", () => delivered().length === 9);
  assert.equal(delivered(), codes(1, 9), "each click once, in order");
  assert.ok(counts.failed >= 8, "failures are reported with their batch size");
  assert.is(totalDropped(), 0);
  await publisher.close(100);
});

test("recording never waits for the sender: a stalled send leaves record() synchronous and the queue filling", async () => {
  const { publisher, state } = setup({ queueMax: 10_000, batchSize: 10, batchWindowMs: 1 });
  state.mode = "stall";
  for (const code of codes(1, 10)) publisher.record(facts(code));
  await until("the first batch is in flight", () => state.calls === 1);
  // Synchronous: every click is queued by the time record() returns, while the first batch still hangs.
  for (const code of codes(11, 5_010)) publisher.record(facts(code));
  assert.is(publisher.depth, 5_000);
  assert.is(state.calls, 1, "no second send while one is in flight");
  await publisher.close(20);
});

test("beyond the bound the oldest clicks are dropped and counted; the newest are sent once the sender is back", async () => {
  const { publisher, state, delivered, dropped, totalDropped } = setup({
    queueMax: 10,
    batchSize: 4,
    batchWindowMs: 1,
  });
  state.mode = "fail";
  for (const code of codes(1, 25)) publisher.record(facts(code));
  assert.is(dropped.queue_full, 15);
  assert.is(publisher.depth, 10);
  await until("a few failed attempts", () => state.calls >= 3);
  state.mode = "ok";
  await until("the queue drained", () => publisher.depth === 0 && delivered().length === 10);
  assert.equal(delivered(), codes(16, 25));
  assert.is(totalDropped(), 15);
  await publisher.close(100);
});

test("a failed batch that no longer fits back loses its oldest clicks, counted apart", async () => {
  const { publisher, state, failInFlight, delivered, dropped } = setup({ queueMax: 6, batchSize: 4, batchWindowMs: 1 });
  state.mode = "stall";
  for (const code of codes(1, 4)) publisher.record(facts(code));
  await until("the batch is in flight", () => state.calls === 1);
  for (const code of codes(5, 9)) publisher.record(facts(code));
  state.mode = "ok";
  // Only one of the four fits back in front of the five queued meanwhile.
  failInFlight();
  await until("the queue drained", () => delivered().length === 6);
  assert.equal(delivered(), ["c4", ...codes(5, 9)]);
  assert.equal(dropped, { queue_full: 0, requeue_full: 3, shutdown: 0 });
  await publisher.close(100);
});

test("close sends everything queued, then closes the sender", async () => {
  const { publisher, delivered, state, totalDropped } = setup({ batchSize: 4, batchWindowMs: 60_000 });
  for (const code of codes(1, 10)) publisher.record(facts(code));
  await publisher.close(1_000);
  assert.equal(delivered(), codes(1, 10));
  assert.ok(state.closed);
  assert.is(totalDropped(), 0);
});

test("close gives up at its timeout and counts what was still waiting as dropped at shutdown", async () => {
  const { publisher, state, dropped } = setup({ batchSize: 4, batchWindowMs: 1 });
  state.mode = "fail";
  for (const code of codes(1, 10)) publisher.record(facts(code));
  const started = Date.now();
  await publisher.close(60);
  const tookMs = Date.now() - started;
  assert.ok(tookMs < 2_000, `close took ${tookMs} ms despite its 60 ms timeout`);
  assert.is(dropped.shutdown, 10);
  assert.ok(state.closed);
  publisher.record(facts("late"));
  assert.is(dropped.shutdown, 11, "a click after close is dropped, not queued");
});

test.run();
