import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { describe, request } from "../support/http-client.js";
import { createLink, getLink, uniqueCode, visit } from "../support/links-api.js";

// POST /v1/links:batchCreate end to end (DESIGN.md §2, issue 15 item 7): one
// result per item, in order; a bad item gets the error a single create would
// and stops no other; every created link redirects at once.

let key: string;

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read"])).secret;
});

const batch = (links: unknown[]) => request("POST", "/v1/links:batchCreate", { key, body: { links } });

test("mixed valid and invalid items: one result each, in order, the valid ones stored and redirecting", async () => {
  const taken = await createLink(key, { url: "https://example.com/batch/taken", code: uniqueCode("taken") });
  const custom = uniqueCode("batch");
  const items = [
    { url: "https://example.com/batch/0" },
    { url: "ftp://example.com/batch/1" },
    { url: "https://example.com/batch/2", code: custom, title: "Zwei", tags: ["import"], maxVisits: 5 },
    { url: "https://example.com/batch/3", code: taken.code },
    { url: "https://example.com/batch/4", rules: [{ device: "ios", url: "https://apps.apple.com/x" }] },
    { url: "https://example.com/batch/5", code: "x" },
    { url: "https://example.com/batch/6", code: custom },
    { url: "https://example.com/batch/7", password: "abc" },
    { url: "https://example.com/batch/8", password: "secret-pw" },
  ];
  const answer = await batch(items);
  assert.is(answer.status, 200, describe(answer));
  const results = answer.json.results as Array<{
    link?: { code: string; url: string };
    error?: { code: number; message: string };
  }>;
  assert.is(results.length, items.length);
  const outcome = results.map((result) => (result.link ? "link" : `error ${result.error?.code}`));
  assert.equal(outcome, ["link", "error 3", "link", "error 6", "link", "error 3", "error 6", "error 3", "link"]);
  assert.match(results[1]?.error?.message ?? "", /url/);
  assert.match(results[3]?.error?.message ?? "", /code.*taken/);
  assert.match(results[5]?.error?.message ?? "", /code/);
  assert.match(results[7]?.error?.message ?? "", /password/);
  assert.is(results[2]?.link?.code, custom);
  for (const [i, result] of results.entries()) {
    if (result.link === undefined) continue;
    assert.is(result.link.url, items[i]?.url, `item ${i}`);
    const redirect = await visit(result.link.code);
    // The item with a password answers its form; the others redirect.
    assert.is(redirect.status, i === 8 ? 200 : 302, `item ${i}: ${describe(redirect)}`);
    if (i !== 8) assert.is(redirect.headers.get("location"), items[i]?.url);
  }
  const stored = (await getLink(key, custom)).json;
  assert.equal(
    { title: stored.title, tags: stored.tags, maxVisits: stored.maxVisits },
    {
      title: "Zwei",
      tags: ["import"],
      maxVisits: 5,
    },
  );
  // The taken code still leads where it did.
  assert.is((await getLink(key, taken.code)).json.url, "https://example.com/batch/taken");
});

test("1,000 links in one call are all created and answered in order", async () => {
  const run = uniqueCode("k");
  const items = Array.from({ length: 1_000 }, (_, i) => ({ url: `https://example.com/batch/${run}/${i}` }));
  const answer = await batch(items);
  assert.is(answer.status, 200, describe(answer));
  const results = answer.json.results as Array<{ link?: { code: string; url: string } }>;
  assert.is(results.length, 1_000);
  assert.ok(results.every((result, i) => result.link?.url === items[i]?.url));
  assert.is(new Set(results.map((result) => result.link?.code)).size, 1_000, "every code distinct");
  for (const i of [0, 499, 999]) {
    const code = results[i]?.link?.code as string;
    assert.is((await visit(code)).headers.get("location"), items[i]?.url);
  }
});

test("a key without links:write cannot batch-create, and nothing is stored", async () => {
  const reader = (await createApiKey(["links:read"])).secret;
  const code = uniqueCode("denied");
  const answer = await request("POST", "/v1/links:batchCreate", {
    key: reader,
    body: { links: [{ url: "https://example.com/batch/denied", code }] },
  });
  assert.is(answer.status, 403, describe(answer));
  assert.is((await getLink(key, code)).status, 404);
});

test.run();
