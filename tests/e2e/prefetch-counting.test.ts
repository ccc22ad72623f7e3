import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { describe, request } from "../support/http-client.js";
import { createTestLink } from "../support/links-api.js";
import { statsWhenTotal } from "../support/stats-api.js";

// Prefetches and link previews counted apart (DESIGN.md §2): they get the
// same redirect, and the stats count them as prefetchTotal, never as human
// or bot visits; total = humanTotal + botTotal + prefetchTotal.

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

test("prefetches and link-preview agents are counted as prefetches, people and crawlers as before", async () => {
  const key = (await createApiKey(["links:write", "links:read", "stats:read"])).secret;
  const { code, location } = await createTestLink(key, "e2e", "prefetch");
  const visits: Array<[string, Record<string, string>]> = [
    ["person", { "user-agent": FIREFOX }],
    ["person again", { "user-agent": FIREFOX, referer: "https://news.example/" }],
    ["Chrome's speculation rules", { "user-agent": FIREFOX, "sec-purpose": "prefetch;prerender" }],
    ["an older prefetch", { "user-agent": FIREFOX, purpose: "prefetch" }],
    ["Slack's unfurl", { "user-agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)" }],
    ["a crawler", { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" }],
  ];
  for (const [who, headers] of visits) {
    const answer = await request("GET", `/${code}`, { headers });
    assert.is(answer.status, 302, `${who}: ${describe(answer)}`);
    assert.is(answer.headers.get("location"), location, who);
  }
  assert.is((await request("HEAD", `/${code}`, { headers: { "user-agent": FIREFOX } })).status, 302);

  const { stats, last } = await statsWhenTotal(key, code, visits.length, { withinMs: 20_000 });
  assert.ok(stats, last);
  assert.equal(
    { total: stats?.total, human: stats?.humanTotal, bot: stats?.botTotal, prefetch: stats?.prefetchTotal },
    { total: 6, human: 2, bot: 1, prefetch: 3 },
    last,
  );
});

test.run();
