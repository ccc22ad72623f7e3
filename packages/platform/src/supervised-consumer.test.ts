import type { Consumer, ConsumerConfig, ConsumerRunConfig } from "kafkajs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLogger } from "./logger.js";
import { type ConsumerTimers, superviseConsumer } from "./supervised-consumer.js";

const EVENTS = { CRASH: "consumer.crash", GROUP_JOIN: "consumer.group_join" } as const;

/** A kafkajs consumer that does what the test says: connect can be held or made to fail, crashes are emitted by hand. */
class FakeConsumer {
  readonly events = EVENTS;
  readonly calls: string[] = [];
  readonly listeners = new Map<string, ((event: { payload: unknown }) => void)[]>();
  connectResult: Promise<void> = Promise.resolve();
  ranWith: ConsumerRunConfig | undefined;
  constructor(readonly config: ConsumerConfig) {}
  on(event: string, listener: (event: { payload: unknown }) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string, payload: unknown) {
    for (const listener of this.listeners.get(event) ?? []) listener({ payload });
  }
  async connect() {
    this.calls.push("connect");
    await this.connectResult;
  }
  async run(config: ConsumerRunConfig) {
    this.calls.push("run");
    this.ranWith = config;
  }
  async disconnect() {
    this.calls.push("disconnect");
  }
}

/** Timers that fire only when the test says, so that no test sleeps. */
function fakeTimers() {
  const pending: { ms: number; callback: () => void }[] = [];
  const timers: ConsumerTimers = {
    setTimeout(callback, ms) {
      const timer = { ms, callback };
      pending.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      const index = pending.indexOf(handle as (typeof pending)[number]);
      if (index >= 0) pending.splice(index, 1);
    },
  };
  return {
    timers,
    /** The waits now pending, in ms. */
    waits: () => pending.map((timer) => timer.ms),
    /** Fires the oldest pending timer, which must wait `ms`. */
    fire(ms: number) {
      const timer = pending.shift();
      assert.ok(timer, `a timer of ${ms} ms should be pending`);
      assert.is(timer.ms, ms);
      timer.callback();
    },
  };
}

/** Lets every promise that can settle now settle (no clock involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `connects(n)`: what the n-th consumer's connect does (0-based); by default it succeeds. */
function harness(connects: (index: number) => Promise<void> = () => Promise.resolve()) {
  const consumers: FakeConsumer[] = [];
  const lines: Record<string, unknown>[] = [];
  const subscribed: FakeConsumer[] = [];
  const joined: unknown[] = [];
  const clock = fakeTimers();
  const run: ConsumerRunConfig = { autoCommit: false, eachMessage: async () => {} };
  const supervised = superviseConsumer({
    kafka: {
      consumer: (config: ConsumerConfig) => {
        const consumer = new FakeConsumer(config);
        consumer.connectResult = connects(consumers.length);
        consumers.push(consumer);
        return consumer as unknown as Consumer;
      },
    },
    consumer: { groupId: "g", maxWaitTimeInMs: 123, retry: { retries: 3 } },
    subscribe: async (consumer) => {
      subscribed.push(consumer as unknown as FakeConsumer);
    },
    run,
    onJoined: (payload) => joined.push(payload),
    logger: createLogger({ level: "debug", base: {} }, (line) => lines.push(JSON.parse(line))),
    failureMessage: "things unavailable; retrying",
    retryDelayMs: 100,
    maxRetryDelayMs: 350,
    stopWaitMs: 3_000,
    timers: clock.timers,
  });
  const warnings = () => lines.filter((line) => line.msg === "things unavailable; retrying");
  return { supervised, consumers, subscribed, joined, clock, run, warnings };
}

test("starts a consumer in the background: connect, subscribe, then run with the caller's work", async () => {
  const { consumers, subscribed, run, supervised } = harness();
  await settle();
  assert.is(consumers.length, 1);
  const [consumer] = consumers as [FakeConsumer];
  assert.equal(consumer.calls, ["connect", "run"]);
  assert.equal(subscribed, [consumer]);
  assert.is(consumer.ranWith, run);
  await supervised.stop();
});

test("the caller's settings are kept, and kafkajs's own restart is always off", async () => {
  const { consumers, supervised } = harness();
  await settle();
  const { config } = consumers[0] as FakeConsumer;
  assert.is(config.groupId, "g");
  assert.is(config.maxWaitTimeInMs, 123);
  assert.is(config.retry?.retries, 3);
  assert.is(await config.retry?.restartOnFailure?.(new Error("x")), false);
  await supervised.stop();
});

test("a crash disconnects that consumer, logs the cause and starts a new one after the backoff", async () => {
  const { consumers, clock, warnings, supervised } = harness();
  await settle();
  const cause = new Error("broker gone");
  (consumers[0] as FakeConsumer).emit(EVENTS.CRASH, { error: cause, restart: false });
  await settle();
  assert.equal((consumers[0] as FakeConsumer).calls, ["connect", "run", "disconnect"]);
  assert.equal(
    warnings().map((line) => [line.retryInMs, (line.error as { message: string }).message]),
    [[100, "broker gone"]],
  );
  assert.is(consumers.length, 1, "no new consumer before the backoff has passed");
  clock.fire(100);
  await settle();
  assert.is(consumers.length, 2);
  assert.equal((consumers[1] as FakeConsumer).calls, ["connect", "run"]);
  await supervised.stop();
});

test("failures in a row double the wait up to the maximum; joining the group starts it over", async () => {
  // The first consumer runs and crashes; the next two cannot connect; the fourth runs.
  const { consumers, clock, joined, supervised } = harness((index) =>
    index === 1 || index === 2 ? Promise.reject(new Error("ECONNREFUSED")) : Promise.resolve(),
  );
  await settle();
  (consumers[0] as FakeConsumer).emit(EVENTS.CRASH, { error: new Error("crash"), restart: false });
  await settle();
  for (const wait of [100, 200, 350]) {
    assert.equal(clock.waits(), [wait]);
    const next = consumers.length;
    clock.fire(wait);
    await settle();
    assert.is(consumers.length, next + 1);
  }
  assert.equal(clock.waits(), [], "the last consumer is running");
  const last = consumers.at(-1) as FakeConsumer;
  last.emit(EVENTS.GROUP_JOIN, { groupId: "g" });
  assert.equal(joined, [{ groupId: "g" }]);
  last.emit(EVENTS.CRASH, { error: new Error("crash again"), restart: false });
  await settle();
  assert.equal(clock.waits(), [100], "the backoff starts over after a join");
  await supervised.stop();
});

test("a consumer that cannot connect is disconnected and retried", async () => {
  const { consumers, clock, subscribed, warnings, supervised } = harness((index) =>
    index === 0 ? Promise.reject(new Error("ECONNREFUSED")) : Promise.resolve(),
  );
  await settle();
  assert.equal((consumers[0] as FakeConsumer).calls, ["connect", "disconnect"]);
  assert.equal(subscribed, [], "nothing is subscribed on a consumer that did not connect");
  assert.is(warnings().length, 1);
  clock.fire(100);
  await settle();
  assert.equal((consumers[1] as FakeConsumer).calls, ["connect", "run"]);
  await supervised.stop();
});

test("stop disconnects the running consumer, logs no failure and starts no other", async () => {
  const { consumers, clock, warnings, supervised } = harness();
  await settle();
  await supervised.stop();
  await settle();
  assert.is(consumers.length, 1);
  assert.ok((consumers[0] as FakeConsumer).calls.includes("disconnect"));
  assert.equal(warnings(), []);
  assert.equal(clock.waits(), [], "no backoff and no stop wait left behind");
});

test("stop during the backoff ends the wait at once and starts no other consumer", async () => {
  const { consumers, clock, supervised } = harness();
  await settle();
  (consumers[0] as FakeConsumer).emit(EVENTS.CRASH, { error: new Error("crash"), restart: false });
  await settle();
  assert.equal(clock.waits(), [100]);
  await supervised.stop();
  await settle();
  assert.is(consumers.length, 1);
  assert.equal(clock.waits(), []);
});

test("stop gives up waiting for a connect attempt that hangs, after stopWaitMs", async () => {
  let release: () => void = () => {};
  const hanging = new Promise<void>((resolve) => {
    release = resolve;
  });
  const { consumers, clock, supervised } = harness(() => hanging);
  await settle();
  let stopped = false;
  const stopping = supervised.stop().then(() => {
    stopped = true;
  });
  await settle();
  assert.not.ok(stopped, "stop waits for the loop first");
  clock.fire(3_000);
  await stopping;
  assert.ok(stopped);
  // When the attempt finally ends, that consumer is not run and no other is made.
  release();
  await settle();
  assert.equal((consumers[0] as FakeConsumer).calls, ["connect", "disconnect", "disconnect"]);
  assert.is(consumers.length, 1);
});

test.run();
