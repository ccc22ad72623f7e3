import { DEFAULT_WRITE_RATE_LIMIT } from "@kurt/gateway";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { describe, request } from "../support/http-client.js";
import { waitForWriteBudget } from "../support/write-budget.js";

// Envoy's local rate limit guards /v1/ writes only: a burst beyond it is
// answered 429 with a JSON body, while reads and redirects go on.

test("writes beyond the gateway's burst are refused with 429 while redirects still answer", async () => {
  const probe = await request("DELETE", "/v1/links/rate-limit-probe");
  const limit = Number(probe.headers.get("x-ratelimit-limit"));
  assert.ok(Number.isFinite(limit) && limit > 0, `the write limit is advertised: ${describe(probe)}`);

  // Writes without a key change nothing (401) but each costs a token. The bucket refills while the
  // burst is sent, so what passes is bounded by the burst plus the fills during the sending.
  const started = Date.now();
  const burst = await Promise.all(
    Array.from({ length: 2 * limit }, (_, i) => request("DELETE", `/v1/links/rate-limit-${i}`)),
  );
  const fills = Math.ceil((Date.now() - started) / 1000) + 1;
  const limited = burst.filter((answer) => answer.status === 429);
  const passed = burst.length - limited.length;
  assert.ok(limited.length > 0, `some writes are refused: ${limited.length} of ${burst.length} got 429`);
  assert.ok(
    passed <= limit + DEFAULT_WRITE_RATE_LIMIT.perSecond * fills,
    `${passed} writes passed, more than the burst ${limit} and ${fills} refills allow`,
  );
  assert.ok(
    burst.every((answer) => answer.status === 429 || answer.status === 401),
    "every other write reached the shortener and was refused for its missing key",
  );
  const sample = limited[0];
  assert.is(sample?.json?.code, 8, `RESOURCE_EXHAUSTED in the JSON body: ${sample && describe(sample)}`);

  const read = await request("GET", "/v1/links");
  assert.is(read.status, 401, `reads are not rate limited: ${describe(read)}`);
  const redirect = await request("GET", "/rate-limit-unknown-code");
  assert.is(redirect.status, 404, `redirects are not rate limited: ${describe(redirect)}`);

  // Leave the budget full for the suites that follow.
  await waitForWriteBudget(limit - 1, 20_000);
});

test.run();
