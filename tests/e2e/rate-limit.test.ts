import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { describe, type HttpAnswer, request } from "../support/http-client.js";

// /v1/ writes are limited per API key, in the shortener, after the key was
// verified (docs/adr/0017-write-rate-limit-per-key.md): one client's burst
// is refused with 429 while another key's writes, requests without a valid
// key (401) and redirects go on untouched.

/** Deletes of codes that do not exist: each is a write that passes the limit and then changes nothing. */
function deletes(key: string | undefined, count: number, tag: string): Promise<HttpAnswer[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      request("DELETE", `/v1/links/rate-limit-${tag}-${i}`, key === undefined ? {} : { key }),
    ),
  );
}

test("one key's writes beyond its budget get 429, while another key, keyless calls and redirects do not", async () => {
  const greedy = (await createApiKey(["links:write", "links:read"])).secret;
  const calm = (await createApiKey(["links:write", "links:read"])).secret;

  let limited: HttpAnswer | undefined;
  const seen = new Set<number>();
  for (let round = 0; round < 20 && limited === undefined; round++) {
    for (const answer of await deletes(greedy, 300, `greedy-${round}`)) {
      seen.add(answer.status);
      if (answer.status === 429) limited ??= answer;
    }
  }
  assert.ok(limited, `the greedy key was limited at some point (statuses seen: ${[...seen]})`);
  assert.equal(
    [...seen].sort(),
    [404, 429],
    "every other write reached the shortener and was answered for its missing code",
  );
  assert.is(limited.json?.code, 8, `RESOURCE_EXHAUSTED in the JSON body: ${describe(limited)}`);
  assert.match(limited.json.message, /API key/, describe(limited));

  // Right after, with the greedy key out of budget on at least one replica:
  const others = await deletes(calm, 20, "calm");
  assert.ok(
    others.every((answer) => answer.status === 404),
    `another key is not limited: ${others.map((a) => a.status)}`,
  );
  const keyless = await deletes(undefined, 20, "keyless");
  assert.ok(
    keyless.every((answer) => answer.status === 401),
    `a call without a key is refused for that, never 429: ${keyless.map((a) => a.status)}`,
  );
  const redirect = await request("GET", "/rate-limit-unknown-code");
  assert.is(redirect.status, 404, `redirects are not rate limited: ${describe(redirect)}`);
});

test.run();
