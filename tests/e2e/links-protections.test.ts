import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { describe, request } from "../support/http-client.js";
import { createLink, getLink, uniqueCode, updateLink } from "../support/links-api.js";
import { statsWhenTotal } from "../support/stats-api.js";
import { waitFor } from "../support/tool.js";

// maxVisits and passwords end to end through Envoy (DESIGN.md §2): a capped
// link gives exactly maxVisits human redirects, whichever resolver answers,
// then 410; bots, HEAD and prefetches never use a visit up. A protected
// link answers a form; the right password redirects (one click counted), a
// wrong one answers 403, and too many wrong tries 429.

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const FORM = { "content-type": "application/x-www-form-urlencoded", "user-agent": FIREFOX };

let key: string;

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read", "stats:read"])).secret;
});

test("maxVisits: exactly N human visits, bots, HEAD and prefetches never use one up, then 410", async () => {
  const url = "https://example.com/e2e/capped";
  const link = await createLink(key, { url, code: uniqueCode("cap"), maxVisits: 3 });
  assert.is(link.maxVisits, 3);
  assert.is(link.visits, 0);
  const path = `/${link.code}`;
  const scanners: Array<[string, Record<string, string>]> = [
    ["a crawler", { "user-agent": GOOGLEBOT }],
    ["Slack's unfurl", { "user-agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)" }],
    ["a prefetch", { "user-agent": FIREFOX, "sec-purpose": "prefetch" }],
  ];
  for (const [who, headers] of scanners) {
    const answer = await request("GET", path, { headers });
    assert.is(answer.status, 302, `${who}: ${describe(answer)}`);
  }
  assert.is((await request("HEAD", path, { headers: { "user-agent": FIREFOX } })).status, 302);
  for (let i = 1; i <= 3; i++) {
    const answer = await request("GET", path, { headers: { "user-agent": FIREFOX } });
    assert.is(answer.status, 302, `human visit ${i}: ${describe(answer)}`);
    assert.is(answer.headers.get("location"), url);
  }
  const out = await request("GET", path, { headers: { "user-agent": FIREFOX } });
  assert.is(out.status, 410, describe(out));
  assert.match(out.json.message, /used all its visits/);
  assert.is((await request("GET", path, { headers: { "user-agent": GOOGLEBOT } })).status, 410);
  assert.is((await request("HEAD", path)).status, 410);
  assert.is((await getLink(key, link.code)).json.visits, 3);

  // 3 human redirects and 3 scanners were counted; neither the HEAD nor the 410s were.
  const { stats, last } = await statsWhenTotal(key, link.code, 6, { withinMs: 20_000 });
  await sleep(1_000);
  const settled = (await statsWhenTotal(key, link.code, 6, { withinMs: 1_000 })).stats;
  assert.ok(stats, last);
  assert.equal(
    { total: settled?.total, human: settled?.humanTotal, bot: settled?.botTotal, prefetch: settled?.prefetchTotal },
    { total: 6, human: 3, bot: 1, prefetch: 2 },
  );
});

test("maxVisits holds under concurrency: 40 visits at once over both resolvers grant exactly 7", async () => {
  const link = await createLink(key, { url: "https://example.com/e2e/rush", code: uniqueCode("rush"), maxVisits: 7 });
  const answers = await Promise.all(
    Array.from({ length: 40 }, () => request("GET", `/${link.code}`, { headers: { "user-agent": FIREFOX } })),
  );
  const statuses = answers.map((answer) => answer.status);
  assert.is(statuses.filter((status) => status === 302).length, 7, statuses.join(" "));
  assert.is(statuses.filter((status) => status === 410).length, 33, statuses.join(" "));
  assert.is((await getLink(key, link.code)).json.visits, 7);
});

test("maxVisits can be raised, refused below the visits used, and removed", async () => {
  const link = await createLink(key, { url: "https://example.com/e2e/raise", code: uniqueCode("raise"), maxVisits: 1 });
  assert.is((await request("GET", `/${link.code}`, { headers: { "user-agent": FIREFOX } })).status, 302);
  assert.is((await request("GET", `/${link.code}`, { headers: { "user-agent": FIREFOX } })).status, 410);
  const raised = await updateLink(key, link.code, { maxVisits: 2 });
  assert.is(raised.status, 200, describe(raised));
  assert.is((await request("GET", `/${link.code}`, { headers: { "user-agent": FIREFOX } })).status, 302);
  const lowered = await updateLink(key, link.code, { maxVisits: 1 });
  assert.is(lowered.status, 400, describe(lowered));
  assert.match(lowered.json.message, /maxVisits/);
  const removed = await updateLink(key, link.code, { clearMaxVisits: true });
  assert.is(removed.status, 200, describe(removed));
  assert.is(removed.json.maxVisits, undefined);
  for (let i = 0; i < 3; i++)
    assert.is((await request("GET", `/${link.code}`, { headers: { "user-agent": FIREFOX } })).status, 302);
});

function untilStatus(code: string, status: number) {
  return waitFor(
    `GET /${code} → ${status}`,
    async () =>
      (await request("GET", `/${code}`, { headers: { "user-agent": FIREFOX } })).status === status ? true : undefined,
    { timeoutMs: 6_000, intervalMs: 100 },
  );
}

const form = (code: string, password: string, headers: Record<string, string> = {}) =>
  request("POST", `/${code}`, {
    headers: { ...FORM, ...headers },
    rawBody: new URLSearchParams({ password }).toString(),
  });

test("password: the form, a wrong password (403), the right one (303 to the target, one click counted)", async () => {
  const url = "https://example.com/e2e/secret";
  const link = await createLink(key, { url, code: uniqueCode("pw"), password: "open sesame", forwardQuery: true });
  assert.is(link.passwordProtected, true);
  assert.not.ok("password" in link, "the password is never returned");

  const page = await request("GET", `/${link.code}?utm=1`, { headers: { "user-agent": FIREFOX } });
  assert.is(page.status, 200, describe(page));
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  assert.is(page.headers.get("cache-control"), "no-store");
  assert.match(page.text, /<form method="post">/);
  assert.not.match(page.text, /example\.com/, "the form does not say where the link leads");
  assert.is((await request("HEAD", `/${link.code}`)).status, 200);

  const wrong = await form(link.code, "open says me");
  assert.is(wrong.status, 403, describe(wrong));
  assert.match(wrong.text, /Wrong password/);

  const right = await request("POST", `/${link.code}?utm=1`, {
    headers: FORM,
    rawBody: "password=open+sesame",
  });
  assert.is(right.status, 303, describe(right));
  assert.is(right.headers.get("location"), `${url}?utm=1`);

  const { stats, last } = await statsWhenTotal(key, link.code, 1, { withinMs: 20_000 });
  await sleep(1_000);
  const settled = (await statsWhenTotal(key, link.code, 1, { withinMs: 1_000 })).stats;
  assert.ok(stats, last);
  assert.equal({ total: settled?.total, human: settled?.humanTotal }, { total: 1, human: 1 });
});

test("password: brute force is cut off per link and client with 429, other clients are not", async () => {
  const link = await createLink(key, {
    url: "https://example.com/e2e/guess",
    code: uniqueCode("guess"),
    password: "hunter22",
  });
  const attacker = { "x-forwarded-for": "198.51.100.7" };
  let answer = await form(link.code, "guess-0", attacker);
  for (let i = 1; answer.status === 403 && i < 20; i++) answer = await form(link.code, `guess-${i}`, attacker);
  assert.is(answer.status, 429, describe(answer));
  assert.ok(Number(answer.headers.get("retry-after")) > 0);
  // Even the right password is refused while the client is cut off.
  assert.is((await form(link.code, "hunter22", attacker)).status, 429);
  // The right password from this test's own address still works when the attacker is told apart; with the gateway
  // trusting no proxy hop both come from the same peer, so only the count per link is checked here.
  const other = await createLink(key, {
    url: "https://example.com/e2e/other",
    code: uniqueCode("other"),
    password: "hunter22",
  });
  assert.is((await form(other.code, "hunter22")).status, 303, "another link is not held back");
});

test('password: removed with "" and set again; a link without one refuses POST with 405', async () => {
  const link = await createLink(key, {
    url: "https://example.com/e2e/pw-off",
    code: uniqueCode("pwoff"),
    password: "first-pw",
  });
  const off = await updateLink(key, link.code, { password: "" });
  assert.is(off.status, 200, describe(off));
  assert.is(off.json.passwordProtected, false);
  // The change reaches every resolver through its link event.
  await untilStatus(link.code, 302);
  assert.is((await form(link.code, "first-pw")).status, 405);
  const on = await updateLink(key, link.code, { password: "second-pw" });
  assert.is(on.json.passwordProtected, true);
  await untilStatus(link.code, 200);
  assert.is((await form(link.code, "first-pw")).status, 403);
  assert.is((await form(link.code, "second-pw")).status, 303);
});

test.run();
