import { test } from "uvu";
import * as assert from "uvu/assert";
import { createSingleFlight } from "./single-flight.js";

test("callers of one key share the call in flight, other keys get their own", async () => {
  const flights = createSingleFlight<number>();
  let calls = 0;
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const call = async () => {
    calls += 1;
    await gate;
    return calls;
  };
  const shared = Promise.all([flights.run("a", call), flights.run("a", call), flights.run("b", call)]);
  release();
  const [first, second] = await shared;
  assert.is(first, second);
  assert.is(calls, 2);
  assert.is(flights.size, 0, "finished calls leave the map");
});

test("a failed call rejects every caller and the next caller starts afresh", async () => {
  const flights = createSingleFlight<string>();
  const failing = async () => {
    throw new Error("down");
  };
  const results = await Promise.allSettled([flights.run("a", failing), flights.run("a", failing)]);
  assert.ok(results.every((r) => r.status === "rejected"));
  assert.is(await flights.run("a", async () => "up"), "up");
});

test("a forgotten call is told it is no longer current and later callers start a new one", async () => {
  const flights = createSingleFlight<boolean>();
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const old = flights.run("a", async (isCurrent) => {
    await gate;
    return isCurrent();
  });
  await new Promise((resolve) => setImmediate(resolve));
  flights.forget("a");
  const fresh = flights.run("a", async (isCurrent) => isCurrent());
  release();
  assert.is(await old, false);
  assert.is(await fresh, true);
});

test.run();
