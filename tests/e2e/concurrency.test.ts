import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { request } from "../support/http-client.js";
import { getLink, uniqueCode } from "../support/links-api.js";

const CONCURRENT = 200;

test(`${CONCURRENT} concurrent creates of one custom code: exactly one succeeds, the others get 409`, async () => {
  const key = (await createApiKey(["links:write", "links:read"])).secret;
  const code = uniqueCode("race");
  // A fresh key has its full write budget (a burst of 400 per shortener replica), so no 429 hides the race.
  const answers = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) =>
      request("POST", "/v1/links", {
        key,
        body: { url: `https://example.com/race/${i}`, code },
        timeoutMs: 30_000,
      }).then(
        (answer) => ({ i, status: answer.status, body: answer.json }),
        (error: Error) => ({ i, status: 0, body: error.message }),
      ),
    ),
  );
  const byStatus = new Map<number, number>();
  for (const { status } of answers) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  const summary = JSON.stringify(Object.fromEntries(byStatus));
  const winners = answers.filter((a) => a.status === 200 || a.status === 201);
  assert.is(winners.length, 1, `one success: ${summary}`);
  assert.is(byStatus.get(409) ?? 0, CONCURRENT - 1, `the rest are 409: ${summary}`);
  for (const loser of answers.filter((a) => a.status === 409)) {
    assert.match(loser.body?.message ?? "", /code/, "the 409 names the code");
  }
  const winner = winners[0];
  const stored = await getLink(key, code);
  assert.is(stored.status, 200);
  assert.is(stored.json.url, `https://example.com/race/${winner?.i}`, "the stored link is the winner's");
});

test.run();
