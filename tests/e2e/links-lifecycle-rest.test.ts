import { test } from "uvu";
import * as assert from "uvu/assert";
import { adminKey, createApiKey } from "../support/api-keys.js";
import { describe, request } from "../support/http-client.js";
import {
  createLink,
  getLink,
  isCreated,
  isDeleted,
  type LinkJson,
  uniqueCode,
  updateLink,
  visit,
} from "../support/links-api.js";
import { publicUrl } from "../support/stack.js";
import { waitFor } from "../support/tool.js";

// The whole life of a link over the public REST API, through Envoy. The
// resolvers cache links for a moment and drop them on link events, so what
// a change does to redirects is awaited (bounded), never assumed at once.

let key = "";

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read"])).secret;
});

const target = (name: string) => `https://example.com/e2e/${name}?q=1#frag`;

/** Waits (bounded) until `GET /{code}` answers `status`, and returns that answer. */
async function visitUntil(code: string, status: number, location?: string) {
  return waitFor(
    `GET /${code} to answer ${status}${location ? ` → ${location}` : ""}`,
    async () => {
      const answer = await visit(code);
      const matches =
        answer.status === status && (location === undefined || answer.headers.get("location") === location);
      return matches ? answer : undefined;
    },
    { timeoutMs: 3_000, intervalMs: 50 },
  );
}

test("a link without a code gets a generated one: 7 characters of [0-9A-Za-z], and the contract's shape", async () => {
  const before = Date.now();
  const answer = await request("POST", "/v1/links", { key, body: { url: target("generated") } });
  assert.ok(isCreated(answer), describe(answer));
  const link = answer.json as LinkJson;
  assert.match(link.code, /^[0-9A-Za-z]{7}$/);
  assert.is(link.shortUrl, `${publicUrl}/${link.code}`);
  assert.is(link.url, target("generated"));
  assert.is(link.redirectStatus, 302, "302 is the default");
  assert.is(link.disabled, false);
  assert.equal(link.tags, []);
  assert.is(link.title, undefined, "no title unless one was given");
  assert.is(link.expiresAt, undefined, "no expiry unless one was given");
  for (const stamp of [link.createdAt, link.updatedAt]) {
    assert.match(stamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, "RFC 3339");
    assert.ok(Date.parse(stamp) >= before - 2_000 && Date.parse(stamp) <= Date.now() + 2_000, stamp);
  }
});

test("two links created without a code get different codes", async () => {
  const a = await createLink(key, { url: target("a") });
  const b = await createLink(key, { url: target("b") });
  assert.is.not(a.code, b.code);
});

test("a custom code is kept as given, with the title, tags and status sent", async () => {
  const code = uniqueCode("Custom_e2e");
  const link = await createLink(key, {
    url: target("custom"),
    code,
    redirectStatus: 301,
    title: "A custom link",
    tags: ["e2e", "custom"],
  });
  assert.is(link.code, code);
  assert.is(link.shortUrl, `${publicUrl}/${code}`);
  assert.is(link.redirectStatus, 301);
  assert.is(link.title, "A custom link");
  assert.equal(link.tags, ["e2e", "custom"]);
});

test("a custom code already taken answers 409 and leaves the first link as it was", async () => {
  const code = uniqueCode("taken");
  const first = await createLink(key, { url: target("first"), code });
  const second = await request("POST", "/v1/links", { key, body: { url: target("second"), code } });
  assert.is(second.status, 409, describe(second));
  assert.match(second.json?.message ?? "", /code/);
  assert.equal((await getLink(key, code)).json, first);
});

test("codes are case-sensitive", async () => {
  const code = uniqueCode("CaseSensitive");
  await createLink(key, { url: target("case"), code });
  assert.is((await getLink(key, code.toLowerCase())).status, 404);
  assert.is((await visit(code.toLowerCase())).status, 404);
  const upper = await request("POST", "/v1/links", { key, body: { url: target("upper"), code: code.toUpperCase() } });
  assert.ok(isCreated(upper), `a code differing only in case is another code: ${describe(upper)}`);
});

test("GET /v1/links/{code} answers the link as created, and 404 for an unknown code", async () => {
  const created = await createLink(key, { url: target("get"), title: "get me" });
  const answer = await getLink(key, created.code);
  assert.is(answer.status, 200, describe(answer));
  assert.equal(answer.json, created);
  const unknown = await getLink(key, uniqueCode("unknown"));
  assert.is(unknown.status, 404, describe(unknown));
  assert.is(unknown.json?.code, 5, "a google.rpc.Status body");
});

test("listing pages newest first with pageSize and nextPageToken, without duplicates or gaps", async () => {
  const created: string[] = [];
  for (let i = 0; i < 5; i += 1) created.push((await createLink(key, { url: target(`page-${i}`) })).code);
  const seen: LinkJson[] = [];
  let token = "";
  // Four pages of two: the five links just made come first, then older ones.
  for (let page = 0; page < 4; page += 1) {
    const query = `?pageSize=2${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`;
    const answer = await request("GET", `/v1/links${query}`, { key });
    assert.is(answer.status, 200, describe(answer));
    const links = answer.json.links as LinkJson[];
    assert.ok(links.length <= 2, `page ${page} has ${links.length} links`);
    seen.push(...links);
    token = answer.json.nextPageToken;
    assert.ok(token, `page ${page} is followed by another (there are more than 8 links)`);
  }
  const codes = seen.map((l) => l.code);
  assert.equal(codes.slice(0, 5), [...created].reverse(), "the newest first");
  assert.is(new Set(codes).size, codes.length, `no link twice: ${codes.join(", ")}`);
  for (let i = 1; i < seen.length; i += 1) {
    const [newer, older] = [seen[i - 1] as LinkJson, seen[i] as LinkJson];
    assert.ok(Date.parse(newer.createdAt) >= Date.parse(older.createdAt), `${newer.code} before ${older.code}`);
  }
  const all = await request("GET", "/v1/links?pageSize=8", { key });
  assert.equal(
    (all.json.links as LinkJson[]).map((l) => l.code),
    codes,
    "the same links as one page of eight: no gap between pages",
  );
});

test("every key with links:read lists the installation's links, whichever key created them", async () => {
  const reader = (await createApiKey(["links:read"])).secret;
  const made = await createLink(adminKey(), { url: target("made-by-admin") });
  const listed = await request("GET", "/v1/links?pageSize=1", { key: reader });
  assert.is(listed.status, 200, describe(listed));
  assert.equal(
    (listed.json.links as LinkJson[]).map((l) => l.code),
    [made.code],
    "the newest link, created by another key, is listed first",
  );
});

/** Fields that may change on an update besides the one sent. */
function withoutUpdatedAt(link: LinkJson): Omit<LinkJson, "updatedAt"> {
  const { updatedAt: _, ...rest } = link;
  return rest;
}

const inADay = () => new Date(Date.now() + 86_400_000).toISOString();

const singleFieldUpdates: ReadonlyArray<{
  readonly field: keyof LinkJson;
  readonly body: Record<string, unknown>;
  readonly expect: (link: LinkJson) => void;
}> = [
  { field: "url", body: { url: target("updated") }, expect: (l) => assert.is(l.url, target("updated")) },
  { field: "redirectStatus", body: { redirectStatus: 308 }, expect: (l) => assert.is(l.redirectStatus, 308) },
  {
    field: "expiresAt",
    body: { expiresAt: "2099-01-02T03:04:05Z" },
    expect: (l) => assert.is(Date.parse(l.expiresAt ?? ""), Date.parse("2099-01-02T03:04:05Z")),
  },
  { field: "disabled", body: { disabled: true }, expect: (l) => assert.is(l.disabled, true) },
  { field: "title", body: { title: "Updated title" }, expect: (l) => assert.is(l.title, "Updated title") },
  { field: "tags", body: { tags: ["one", "two"] }, expect: (l) => assert.equal(l.tags, ["one", "two"]) },
];

for (const { field, body, expect } of singleFieldUpdates) {
  test(`an update of ${field} alone changes ${field} (and updatedAt) and nothing else`, async () => {
    const before = await createLink(key, {
      url: target(`before-${field}`),
      redirectStatus: 301,
      expiresAt: inADay(),
      title: "Before",
      tags: ["before"],
    });
    const answer = await updateLink(key, before.code, body);
    assert.is(answer.status, 200, describe(answer));
    const after = answer.json as LinkJson;
    expect(after);
    assert.ok(Date.parse(after.updatedAt) >= Date.parse(before.updatedAt), "updatedAt moves forward");
    const expected: Record<string, unknown> = { ...withoutUpdatedAt(before) };
    expected[field] = after[field];
    assert.equal(withoutUpdatedAt(after), expected, `only ${field} changed`);
    assert.equal((await getLink(key, before.code)).json, after, "GET answers what the update answered");
  });
}

test("clearExpiresAt removes the expiry, and an empty title removes the title", async () => {
  const link = await createLink(key, { url: target("clear"), expiresAt: inADay(), title: "to remove" });
  const cleared = await updateLink(key, link.code, { clearExpiresAt: true });
  assert.is(cleared.status, 200, describe(cleared));
  assert.is(cleared.json.expiresAt, undefined);
  assert.is(cleared.json.title, "to remove");
  const untitled = await updateLink(key, link.code, { title: "" });
  assert.is(untitled.status, 200, describe(untitled));
  assert.is(untitled.json.title, undefined);
});

test("an updated target is where the redirect goes next", async () => {
  const link = await createLink(key, { url: target("old-target") });
  await visitUntil(link.code, 302, target("old-target"));
  assert.is((await updateLink(key, link.code, { url: target("new-target") })).status, 200);
  await visitUntil(link.code, 302, target("new-target"));
});

test("a disabled link answers 410, and redirects again once re-enabled", async () => {
  const link = await createLink(key, { url: target("toggle") });
  await visitUntil(link.code, 302, target("toggle"));
  assert.is((await updateLink(key, link.code, { disabled: true })).status, 200);
  const gone = await visitUntil(link.code, 410);
  assert.is(gone.headers.get("location"), null, "no Location on a 410");
  assert.is(gone.json?.code, 9, "a google.rpc.Status body with FAILED_PRECONDITION");
  assert.is((await updateLink(key, link.code, { disabled: false })).status, 200);
  await visitUntil(link.code, 302, target("toggle"));
});

test("a deleted link is 404 in the API and 410 as a redirect; its code is not reused", async () => {
  const code = uniqueCode("deleted");
  await createLink(key, { url: target("deleted"), code });
  await visitUntil(code, 302, target("deleted"));
  const deleted = await request("DELETE", `/v1/links/${code}`, { key });
  assert.ok(isDeleted(deleted), describe(deleted));
  assert.is((await getLink(key, code)).status, 404);
  await visitUntil(code, 410);
  const again = await request("POST", "/v1/links", { key, body: { url: target("reuse"), code } });
  assert.is(again.status, 409, `a deleted link keeps its code: ${describe(again)}`);
});

for (const status of [301, 302, 307, 308]) {
  test(`a link with redirectStatus ${status} redirects with ${status} and its Location`, async () => {
    const url = `https://example.com/status/${status}?a=1&b=%C3%A9`;
    const link = await createLink(key, { url, redirectStatus: status });
    const answer = await visit(link.code);
    assert.is(answer.status, status, describe(answer));
    assert.is(answer.headers.get("location"), url);
  });
}

test("the redirect ignores any query string, including one naming the code", async () => {
  const link = await createLink(key, { url: target("query") });
  for (const query of ["?utm_source=x", "?utm_source=x&utm_medium=y&flag", "?code=someone-else", "?"]) {
    const answer = await visit(link.code, query);
    assert.is(answer.status, 302, `${query}: ${describe(answer)}`);
    assert.is(answer.headers.get("location"), target("query"), query);
  }
});

test("HEAD answers the same status and Location as GET, without a body", async () => {
  const link = await createLink(key, { url: target("head"), redirectStatus: 307 });
  const get = await visit(link.code);
  const head = await request("HEAD", `/${link.code}`);
  assert.is(head.status, get.status);
  assert.is(head.status, 307);
  assert.is(head.headers.get("location"), get.headers.get("location"));
  assert.is(head.text, "");
  const unknown = await request("HEAD", `/${uniqueCode("nohead")}`);
  assert.is(unknown.status, 404);
  assert.is(unknown.text, "");
});

test("a redirect is not kept by browsers unless its link sets cacheSeconds, which an update changes at once", async () => {
  const plain = await createLink(key, { url: target("nocache") });
  assert.is(plain.cacheSeconds, 0);
  const first = await visit(plain.code);
  assert.is(first.headers.get("cache-control"), "private, no-store");
  const kept = await createLink(key, { url: target("kept"), redirectStatus: 301, cacheSeconds: 86_400 });
  assert.is(kept.cacheSeconds, 86_400);
  const answer = await visit(kept.code);
  assert.is(answer.status, 301);
  assert.is(answer.headers.get("cache-control"), "private, max-age=86400");
  const head = await request("HEAD", `/${kept.code}`);
  assert.is(head.headers.get("cache-control"), "private, max-age=86400");
  const updated = await updateLink(key, kept.code, { cacheSeconds: 0 });
  assert.is(updated.status, 200, describe(updated));
  assert.is(updated.json.cacheSeconds, 0);
  await waitFor(
    "the update to reach the redirect",
    async () => ((await visit(kept.code)).headers.get("cache-control") === "private, no-store" ? true : undefined),
    { timeoutMs: 6_000, intervalMs: 100 },
  );
  for (const bad of [-1, 31_536_001, 1.5]) {
    const refused = await request("POST", "/v1/links", { key, body: { url: target("bad-cache"), cacheSeconds: bad } });
    assert.is(refused.status, 400, `${JSON.stringify(bad)}: ${describe(refused)}`);
  }
  // Errors are never kept by browsers either.
  assert.is((await visit(uniqueCode("nocache-404"))).headers.get("cache-control"), "no-store");
});

test("an unknown code answers 404 with a JSON body", async () => {
  const answer = await visit(uniqueCode("nobody"));
  assert.is(answer.status, 404, describe(answer));
  assert.is(answer.json?.code, 5);
  assert.type(answer.json?.message, "string");
});

test("a link redirects until it expires, then answers 410", async () => {
  const expiresAt = new Date(Date.now() + 2_000);
  const link = await createLink(key, { url: target("expiring"), expiresAt: expiresAt.toISOString() });
  const early = await visit(link.code);
  assert.is(early.status, 302, `before its expiry: ${describe(early)}`);
  const { answer: gone, answeredAt } = await waitFor(
    "the expired link to answer 410",
    async () => {
      const answer = await visit(link.code);
      return answer.status === 302 ? undefined : { answer, answeredAt: Date.now() };
    },
    { timeoutMs: 6_000, intervalMs: 100 },
  );
  assert.is(gone.status, 410, describe(gone));
  assert.ok(answeredAt >= expiresAt.getTime(), "not gone before its expiry");
  assert.is((await getLink(key, link.code)).status, 200, "an expired link still exists in the API");
});

test.run();
