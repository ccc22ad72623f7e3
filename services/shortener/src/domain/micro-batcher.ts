export interface MicroBatcherOptions<I, O> {
  /** Runs one batch: one settled result per item, in the items' order (a failure may concern one item alone). */
  readonly run: (items: readonly I[]) => Promise<ReadonlyArray<PromiseSettledResult<O>>>;
  /** Most items in one batch. */
  readonly maxBatch: number;
  /** Batches running at once; what arrives meanwhile waits for the next. */
  readonly maxInFlight: number;
  /** Items with the same key never share a batch: the later one goes in the next. */
  readonly keyOf?: (item: I) => string;
}

export interface MicroBatcher<I, O> {
  submit(item: I): Promise<O>;
}

interface Waiting<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * Group commit: an item that finds a batch slot free goes out at the end of
 * the current turn of the event loop with whatever arrived in the same turn;
 * while every slot is busy items gather, and the next free slot takes them
 * all (up to maxBatch). At low load nothing waits, and under load the batches
 * grow by themselves with the time a batch takes, with no timer to tune.
 */
export function createMicroBatcher<I, O>(options: MicroBatcherOptions<I, O>): MicroBatcher<I, O> {
  const maxBatch = Math.max(1, options.maxBatch);
  const maxInFlight = Math.max(1, options.maxInFlight);
  let waiting: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const take = (): Waiting<I, O>[] => {
    if (options.keyOf === undefined) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      return batch;
    }
    const keys = new Set<string>();
    const batch: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    for (const entry of waiting) {
      const key = options.keyOf(entry.item);
      if (batch.length < maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(entry);
      } else rest.push(entry);
    }
    waiting = rest;
    return batch;
  };

  const runBatch = async (batch: Waiting<I, O>[]) => {
    try {
      const results = await options.run(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => {
        const result = results[index];
        if (result === undefined) entry.reject(new Error("the batch gave no result for this item"));
        else if (result.status === "fulfilled") entry.resolve(result.value);
        else entry.reject(result.reason);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  };

  const flush = () => {
    scheduled = false;
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = take();
      inFlight++;
      void runBatch(batch).finally(() => {
        inFlight--;
        flush();
      });
    }
  };

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (!scheduled && inFlight < maxInFlight) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
