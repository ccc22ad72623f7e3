import { setTimeout as sleep } from "node:timers/promises";
import { request } from "./http-client.js";

/**
 * Waits until Envoy's local rate limit on /v1/ writes has at least `tokens`
 * left, so that a burst of that size is not cut by 429s left over from
 * earlier tests. Each probe is a write without a key (401), which costs one
 * token and reports what remains in `x-ratelimit-remaining`.
 */
export async function waitForWriteBudget(tokens: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let remaining = Number.NaN;
  while (Date.now() < deadline) {
    const answer = await request("DELETE", "/v1/links/write-budget-probe");
    remaining = Number(answer.headers.get("x-ratelimit-remaining"));
    const limit = Number(answer.headers.get("x-ratelimit-limit"));
    if (Number.isFinite(limit) && limit < tokens + 1)
      throw new Error(`the write rate limit (${limit}) is below ${tokens}`);
    if (remaining >= tokens) return;
    await sleep(250);
  }
  throw new Error(
    `the write rate limit did not refill to ${tokens} tokens within ${timeoutMs} ms (last: ${remaining})`,
  );
}
