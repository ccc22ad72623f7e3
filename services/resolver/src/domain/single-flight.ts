/**
 * Concurrent lookups of one key share a single call, so that a hot code that
 * just missed the caches costs the stores one query, not one per request.
 *
 * `forget` detaches the call in flight (a link event said the key changed):
 * later callers start a fresh call, and the detached one learns through
 * `isCurrent` that what it read may be older than the change, so it must not
 * be cached.
 */
export interface SingleFlight<V> {
  run(key: string, call: (isCurrent: () => boolean) => Promise<V>): Promise<V>;
  forget(key: string): void;
  /** Calls in flight, for tests and metrics. */
  readonly size: number;
}

export function createSingleFlight<V>(): SingleFlight<V> {
  const inFlight = new Map<string, Promise<V>>();
  return {
    run(key, call) {
      const joined = inFlight.get(key);
      if (joined !== undefined) return joined;
      let promise: Promise<V> | undefined;
      const isCurrent = () => inFlight.get(key) === promise;
      promise = Promise.resolve()
        .then(() => call(isCurrent))
        .finally(() => {
          if (inFlight.get(key) === promise) inFlight.delete(key);
        });
      inFlight.set(key, promise);
      return promise;
    },
    forget(key) {
      inFlight.delete(key);
    },
    get size() {
      return inFlight.size;
    },
  };
}
