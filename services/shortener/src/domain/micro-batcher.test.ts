import { test } from "uvu";
import * as assert from "uvu/assert";
import { createMicroBatcher } from "./micro-batcher.js";

const ok = <T>(value: T): PromiseFulfilledResult<T> => ({ status: "fulfilled", value });

/** A batch runner whose batches end when the test says so. */
function controlledRunner() {
  const batches: number[][] = [];
  const ends: Array<() => void> = [];
  const run = (items: readonly number[]) => {
    batches.push([...items]);
    return new Promise<Array<PromiseSettledResult<number>>>((resolve) => {
      ends.push(() => resolve(items.map((item) => ok(item * 10))));
    });
  };
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  return { batches, ends, run, tick };
}

test("items of one turn go out as one batch, and each gets its own result", async () => {
  const runner = controlledRunner();
  const batcher = createMicroBatcher({ run: runner.run, maxBatch: 100, maxInFlight: 1 });
  const answers = [1, 2, 3].map((item) => batcher.submit(item));
  await runner.tick();
  assert.equal(runner.batches, [[1, 2, 3]]);
  runner.ends[0]?.();
  assert.equal(await Promise.all(answers), [10, 20, 30]);
});

test("while every slot is busy items gather, and the next free slot takes them together", async () => {
  const runner = controlledRunner();
  const batcher = createMicroBatcher({ run: runner.run, maxBatch: 100, maxInFlight: 2 });
  const answers = [batcher.submit(1)];
  await runner.tick();
  answers.push(batcher.submit(2));
  await runner.tick();
  for (const item of [3, 4, 5]) answers.push(batcher.submit(item));
  await runner.tick();
  assert.equal(runner.batches, [[1], [2]], "two in flight; the rest wait");
  runner.ends[1]?.();
  await runner.tick();
  assert.equal(runner.batches[2], [3, 4, 5]);
  runner.ends[0]?.();
  runner.ends[2]?.();
  assert.equal(await Promise.all(answers), [10, 20, 30, 40, 50]);
});

test("a batch holds at most maxBatch items and never two with the same key", async () => {
  const runner = controlledRunner();
  const batcher = createMicroBatcher({
    run: runner.run,
    maxBatch: 3,
    maxInFlight: 1,
    keyOf: (n: number) => String(n % 2),
  });
  const answers = [1, 2, 3, 4, 5].map((item) => batcher.submit(item));
  await runner.tick();
  assert.equal(runner.batches, [[1, 2]]);
  runner.ends[0]?.();
  await runner.tick();
  assert.equal(runner.batches[1], [3, 4]);
  runner.ends[1]?.();
  await runner.tick();
  assert.equal(runner.batches[2], [5]);
  runner.ends[2]?.();
  assert.equal(await Promise.all(answers), [10, 20, 30, 40, 50]);
});

test("a failure reported for one item fails only that item; a failed batch fails its items and not the next", async () => {
  let calls = 0;
  const batcher = createMicroBatcher<number, number>({
    run: async (items) => {
      calls++;
      if (calls === 2) throw new Error("batch failed");
      return items.map((item) =>
        item === 2 ? { status: "rejected" as const, reason: new Error("bad item") } : ok(item),
      );
    },
    maxBatch: 10,
    maxInFlight: 1,
  });
  const first = await Promise.allSettled([1, 2, 3].map((item) => batcher.submit(item)));
  assert.equal(
    first.map((r) => r.status),
    ["fulfilled", "rejected", "fulfilled"],
  );
  const second = await Promise.allSettled([4, 5].map((item) => batcher.submit(item)));
  assert.equal(
    second.map((r) => r.status),
    ["rejected", "rejected"],
  );
  assert.is(await batcher.submit(6), 6);
});

test.run();
