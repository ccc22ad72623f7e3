import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { describe, request } from "../support/http-client.js";
import { createLink, getLink, uniqueCode, updateLink, visit } from "../support/links-api.js";
import { waitFor } from "../support/tool.js";

// `validSince` and `forwardQuery` (DESIGN.md §2) through Envoy: a link
// answers 404 before its start and redirects from it on; with forwardQuery
// the visitor's query string is added to the target's. Resolvers drop a
// changed link on its event, so a change is awaited (bounded), never assumed.

let key = "";

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read"])).secret;
});

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1_000).toISOString();

async function locationUntil(path: string, expected: string | null): Promise<void> {
  await waitFor(
    `GET ${path} → ${expected ?? "404"}`,
    async () => {
      const answer = await request("GET", path);
      const location = answer.headers.get("location");
      return (expected === null ? answer.status === 404 : location === expected) ? true : undefined;
    },
    { timeoutMs: 5_000, intervalMs: 50 },
  );
}

test("a link answers 404 like an unknown code before validSince, and redirects from that instant on", async () => {
  const start = inSeconds(3);
  const link = await createLink(key, {
    url: "https://example.com/scheduled",
    code: uniqueCode("since"),
    validSince: start,
  });
  assert.is(Date.parse((link as unknown as { validSince: string }).validSince), Date.parse(start));
  const early = await visit(link.code);
  assert.is(early.status, 404, describe(early));
  assert.is(early.headers.get("location"), null);
  assert.is((await getLink(key, link.code)).status, 200, "the API still shows the link");
  await waitFor(
    "the link to start redirecting",
    async () => ((await visit(link.code)).status === 302 ? true : undefined),
    { timeoutMs: 8_000, intervalMs: 100 },
  );
  assert.ok(Date.now() >= Date.parse(start), "not before its start");
});

test("validSince can be moved later and removed", async () => {
  const link = await createLink(key, { url: "https://example.com/moved", code: uniqueCode("since") });
  assert.is((await visit(link.code)).status, 302);
  const moved = await updateLink(key, link.code, { validSince: inSeconds(3_600) });
  assert.is(moved.status, 200, describe(moved));
  await locationUntil(`/${link.code}`, null);
  const cleared = await updateLink(key, link.code, { clearValidSince: true });
  assert.is(cleared.status, 200, describe(cleared));
  assert.is(cleared.json.validSince, undefined);
  await locationUntil(`/${link.code}`, "https://example.com/moved");
});

test("forwardQuery adds the visitor's query to the target's; without it the query is the visitor's alone", async () => {
  const forwarding = await createLink(key, {
    url: "https://example.com/f?a=1#top",
    code: uniqueCode("fwd"),
    forwardQuery: true,
  });
  assert.is((forwarding as unknown as { forwardQuery: boolean }).forwardQuery, true);
  const answer = await visit(forwarding.code, "?utm_source=news&x=%20y");
  assert.is(answer.status, 302, describe(answer));
  assert.is(answer.headers.get("location"), "https://example.com/f?a=1&utm_source=news&x=%20y#top");
  assert.is((await visit(forwarding.code)).headers.get("location"), "https://example.com/f?a=1#top");

  const plain = await createLink(key, { url: "https://example.com/p", code: uniqueCode("fwd") });
  assert.is((plain as unknown as { forwardQuery: boolean }).forwardQuery, false, "off by default");
  assert.is((await visit(plain.code, "?utm_source=news")).headers.get("location"), "https://example.com/p");

  const off = await updateLink(key, forwarding.code, { forwardQuery: false });
  assert.is(off.status, 200, describe(off));
  await locationUntil(`/${forwarding.code}?utm_source=news`, "https://example.com/f?a=1#top");
});

test("bad validSince and forwardQuery are refused with 400 naming the field, and nothing is stored", async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ validSince: "tomorrow" }, "validSince"],
    [{ validSince: 1_800_000_000 }, "validSince"],
    [{ validSince: "10000-01-01T00:00:00Z" }, "validSince"],
    [{ validSince: inSeconds(200 * 365 * 86_400) }, "validSince"],
    [{ validSince: inSeconds(7_200), expiresAt: inSeconds(3_600) }, "validSince"],
    [{ validSince: inSeconds(3_600), expiresAt: inSeconds(3_600) }, "validSince"],
    [{ forwardQuery: "yes" }, "forwardQuery"],
    [{ forwardQuery: 1 }, "forwardQuery"],
    [{ clearValidSince: true }, "clearValidSince"],
  ];
  for (const [extra, field] of cases) {
    const code = uniqueCode("badsched");
    const answer = await request("POST", "/v1/links", { key, body: { url: "https://example.com/", code, ...extra } });
    assert.is(answer.status, 400, `${JSON.stringify(extra)}: ${describe(answer)}`);
    assert.match(answer.json.message, field, JSON.stringify(extra));
    assert.is((await getLink(key, code)).status, 404, `${JSON.stringify(extra)} stored nothing`);
  }

  const link = await createLink(key, {
    url: "https://example.com/bounded",
    code: uniqueCode("badsched"),
    validSince: inSeconds(60),
    expiresAt: inSeconds(3_600),
  });
  const updates: Array<[Record<string, unknown>, string]> = [
    [{ validSince: inSeconds(7_200) }, "validSince"],
    [{ expiresAt: inSeconds(30) }, "expiresAt"],
    [{ validSince: inSeconds(120), clearValidSince: true }, "validSince"],
    [{ forwardQuery: "no" }, "forwardQuery"],
  ];
  for (const [change, field] of updates) {
    const answer = await updateLink(key, link.code, change);
    assert.is(answer.status, 400, `${JSON.stringify(change)}: ${describe(answer)}`);
    assert.match(answer.json.message, field, JSON.stringify(change));
  }
  const after = await getLink(key, link.code);
  assert.is(after.json.updatedAt, link.updatedAt, "no refused update changed the link");
});

test.run();
