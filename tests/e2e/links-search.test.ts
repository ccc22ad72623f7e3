import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { describe, request } from "../support/http-client.js";
import { createLink, isDeleted, type LinkJson } from "../support/links-api.js";

// Search and filter in ListLinks (DESIGN.md §2) through Envoy: `query`
// finds text in the code, URL or title in any case (LIKE's wildcards stand
// for themselves), `tag` keeps the links carrying a tag, both combine, and a
// page token belongs to the filters it was made with.

const run = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const runTag = `t-${run}`;
let key = "";
const made: Record<"apple" | "banana" | "done" | "gone", LinkJson | undefined> = {
  apple: undefined,
  banana: undefined,
  done: undefined,
  gone: undefined,
};

const list = (query: string) => request("GET", `/v1/links${query}`, { key });
const codes = (answer: { json: { links: LinkJson[] } }) => answer.json.links.map((link) => link.code);

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read"])).secret;
  made.apple = await createLink(key, {
    url: `https://example.com/${run}/Apple`,
    code: `${run}-alpha`,
    title: "Fruit basket",
    tags: ["fruit", runTag],
  });
  made.banana = await createLink(key, {
    url: `https://example.com/${run}/b`,
    title: `BANANA split ${run}`,
    tags: ["fruit"],
  });
  made.done = await createLink(key, { url: "https://docs.example/d", title: `${run} 100%_done`, tags: [runTag] });
  made.gone = await createLink(key, { url: `https://example.com/${run}/gone`, tags: [runTag] });
  assert.ok(isDeleted(await request("DELETE", `/v1/links/${made.gone.code}`, { key })));
});

test("query matches code, URL or title in any case, newest first, never a deleted link", async () => {
  const all = await list(`?query=${run.toUpperCase()}`);
  assert.is(all.status, 200, describe(all));
  assert.equal(codes(all), [made.done?.code, made.banana?.code, made.apple?.code]);
  assert.equal(codes(await list(`?query=${run}-ALPHA`)), [made.apple?.code], "the code");
  assert.equal(codes(await list(`?query=${run}/apple`)), [made.apple?.code], "the URL");
  assert.equal(codes(await list(`?query=banana%20split%20${run}`)), [made.banana?.code], "the title");
});

test("LIKE's wildcards in a query stand for themselves", async () => {
  assert.equal(codes(await list(`?query=${run}%20100%25_`)), [made.done?.code]);
  assert.equal(codes(await list(`?query=${run}%201_0`)), [], "_ is not any character");
  assert.equal(codes(await list(`?query=${run}%20%25done`)), [], "% is not any text");
});

test("tag keeps the links carrying it, and combines with query", async () => {
  assert.equal(codes(await list(`?tag=${runTag}`)), [made.done?.code, made.apple?.code]);
  assert.equal(codes(await list(`?tag=${runTag}&query=basket`)), [made.apple?.code]);
  assert.equal(codes(await list(`?tag=fruit&query=${run}`)), [made.banana?.code, made.apple?.code]);
  assert.equal(codes(await list(`?tag=no-such-${run}`)), []);
});

test("pages of a filtered listing follow each other; a token does not serve other filters", async () => {
  const seen: string[] = [];
  let token = "";
  for (let page = 0; page < 5; page++) {
    const answer = await list(`?query=${run}&pageSize=1${token === "" ? "" : `&pageToken=${token}`}`);
    assert.is(answer.status, 200, describe(answer));
    seen.push(...codes(answer));
    token = answer.json.nextPageToken;
    if (token === "") break;
  }
  assert.equal(seen, [made.done?.code, made.banana?.code, made.apple?.code]);
  const first = await list(`?query=${run}&pageSize=1`);
  const other = await list(`?query=${run}x&pageSize=1&pageToken=${first.json.nextPageToken}`);
  assert.is(other.status, 400, describe(other));
  assert.match(other.json.message, "pageToken");
  const unfiltered = await list(`?pageSize=1&pageToken=${first.json.nextPageToken}`);
  assert.is(unfiltered.status, 400, describe(unfiltered));
});

test("bad filters are refused with 400 naming the field", async () => {
  for (const [query, field] of [
    ["?query=", "query"],
    [`?query=${"x".repeat(201)}`, "query"],
    ["?query=a%0Ab", "query"],
    ["?tag=a%20b", "tag"],
    ["?tag=", "tag"],
    [`?tag=${"x".repeat(51)}`, "tag"],
    ["?search=x", "search"],
  ] as const) {
    const answer = await list(query);
    assert.is(answer.status, 400, `${query.slice(0, 40)}: ${describe(answer)}`);
    assert.match(answer.json.message, field, query.slice(0, 40));
  }
});

test.run();
