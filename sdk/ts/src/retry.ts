/** How the client repeats a call that is safe to repeat (a read) after UNAVAILABLE. */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 disables retries). */
  readonly maxAttempts: number;
  /** Backoff before the second attempt; doubles each time, with full jitter. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, initialBackoffMs: 50, maxBackoffMs: 1_000 };

/** The wait before attempt number `attempt` (2, 3, …): exponential with full jitter so clients do not retry in step. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempt - 2));
  return Math.round(ceiling * random());
}

/** The clock, the wait and the jitter withRetries uses: the real ones, or a test's fakes. */
export interface RetryTiming {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<unknown>;
  readonly random: () => number;
}

const REAL_TIMING: RetryTiming = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * Runs `attempt` until it succeeds, fails with an error `retryable` refuses,
 * the attempts run out, or the next wait would pass `deadline` (epoch ms).
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  deadline: number,
  retryable: (error: unknown) => boolean,
  attempt: (deadline: number) => Promise<T>,
  timing: RetryTiming = REAL_TIMING,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(deadline);
    } catch (error) {
      if (n >= policy.maxAttempts || !retryable(error)) throw error;
      const wait = backoffMs(policy, n + 1, timing.random);
      if (timing.now() + wait >= deadline) throw error;
      await timing.sleep(wait);
    }
  }
}
