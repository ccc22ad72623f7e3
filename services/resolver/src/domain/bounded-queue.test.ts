import { test } from "uvu";
import * as assert from "uvu/assert";
import { createBoundedQueue } from "./bounded-queue.js";

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

test("items come out in the order they went in, across the ring's wrap-around", () => {
  const queue = createBoundedQueue<number>(4);
  for (const n of [1, 2, 3]) queue.push(n);
  assert.equal(queue.take(2), [1, 2]);
  for (const n of [4, 5, 6]) queue.push(n);
  assert.is(queue.size, 4);
  assert.equal(queue.take(10), [3, 4, 5, 6]);
  assert.is(queue.size, 0);
  assert.equal(queue.take(1), []);
});

test("a full queue drops its oldest item for each new one and says so", () => {
  const queue = createBoundedQueue<number>(3);
  const dropped = range(1, 9).map((n) => queue.push(n));
  assert.equal(dropped, [0, 0, 0, 1, 1, 1, 1, 1]);
  assert.is(queue.size, 3);
  assert.equal(queue.take(3), [6, 7, 8]);
});

test("a requeued batch goes back in front of what arrived meanwhile, in its own order", () => {
  const queue = createBoundedQueue<number>(10);
  for (const n of range(1, 6)) queue.push(n);
  const batch = queue.take(3);
  queue.push(6);
  queue.push(7);
  assert.is(queue.requeueFront(batch), 0);
  assert.equal(queue.take(10), range(1, 8));
});

test("a requeued batch that does not fit loses its oldest items, never newer ones", () => {
  const queue = createBoundedQueue<number>(5);
  for (const n of range(1, 5)) queue.push(n);
  const batch = queue.take(4); // 1..4
  for (const n of range(5, 8)) queue.push(n); // 5, 6, 7
  assert.is(queue.requeueFront(batch), 2);
  assert.is(queue.size, 5);
  assert.equal(queue.take(5), [3, 4, 5, 6, 7]);
});

test("requeueing into a full queue drops the whole batch", () => {
  const queue = createBoundedQueue<number>(2);
  queue.push(1);
  queue.push(2);
  const batch = queue.take(2);
  queue.push(3);
  queue.push(4);
  assert.is(queue.requeueFront(batch), 2);
  assert.equal(queue.take(2), [3, 4]);
});

test("a capacity below one is refused", () => {
  assert.throws(() => createBoundedQueue(0), /capacity/);
});

test.run();
