import { status } from "@grpc/grpc-js";
import type { Link } from "@kurt/contract";
import { LOCATION_KEY, REDIRECT_STATUS_KEY } from "@kurt/contract";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { adminKey } from "../support/api-keys.js";
import { apiKeyClient, call, callError, callWithHeaders, linkClient, resolverClient } from "../support/grpc-client.js";
import { uniqueCode } from "../support/links-api.js";
import { publicUrl, uniqueName } from "../support/stack.js";
import { waitFor } from "../support/tool.js";

// The same lifecycle as over REST, as an internal client sees it: gRPC
// through Envoy's internal listener, with the API key as metadata.

const links = linkClient();
const keys = apiKeyClient();
const resolver = resolverClient();
const createLink = links.createLink.bind(links);
const getLink = links.getLink.bind(links);
const listLinks = links.listLinks.bind(links);
const updateLink = links.updateLink.bind(links);
const deleteLink = links.deleteLink.bind(links);
const resolve = resolver.resolve.bind(resolver);

let writer = "";
let reader = "";

test.before(async () => {
  const createKey = keys.createApiKey.bind(keys);
  const admin = adminKey();
  writer = (
    await call(createKey, { name: uniqueName("grpc-writer"), scopes: ["links:write", "links:read"] }, { key: admin })
  ).secret;
  reader = (await call(createKey, { name: uniqueName("grpc-reader"), scopes: ["links:read"] }, { key: admin })).secret;
});

test.after(() => {
  links.close();
  keys.close();
  resolver.close();
});

const target = (name: string) => `https://example.com/grpc/${name}`;

/** Resolve until it answers as expected (resolvers drop cached entries on link events, not instantly). */
async function resolveUntil(code: string, expect: (outcome: { url?: string; code?: number }) => boolean) {
  return waitFor(
    `Resolve(${code})`,
    async () => {
      const outcome = await call(resolve, { code }).then(
        (r) => ({ url: r.url }),
        (e: { code: number }) => ({ code: e.code }),
      );
      return expect(outcome) ? outcome : undefined;
    },
    { timeoutMs: 3_000, intervalMs: 50 },
  );
}

test("CreateLink without a code generates a 7-character [0-9A-Za-z] code", async () => {
  const link = await call(createLink, { rules: [], url: target("generated"), tags: [] }, { key: writer });
  assert.match(link.code, /^[0-9A-Za-z]{7}$/);
  assert.is(link.shortUrl, `${publicUrl}/${link.code}`);
  assert.is(link.redirectStatus, 302);
  assert.instance(link.createdAt, Date);
  assert.is(link.expiresAt, undefined);
  assert.is(link.title, undefined);
});

test("CreateLink with a custom code keeps it; taking it again is ALREADY_EXISTS", async () => {
  const code = uniqueCode("grpc");
  const link = await call(
    createLink,
    { rules: [], url: target("custom"), code, redirectStatus: 307, tags: ["t"] },
    { key: writer },
  );
  assert.is(link.code, code);
  assert.is(link.redirectStatus, 307);
  assert.equal(link.tags, ["t"]);
  const error = await callError(createLink, { rules: [], url: target("again"), code, tags: [] }, { key: writer });
  assert.is(error.code, status.ALREADY_EXISTS, error.message);
  assert.match(error.details, /code/);
});

test("GetLink answers the link; an unknown code is NOT_FOUND", async () => {
  const created = await call(createLink, { rules: [], url: target("get"), title: "t", tags: [] }, { key: writer });
  assert.equal(await call(getLink, { code: created.code }, { key: reader }), created);
  const error = await callError(getLink, { code: uniqueCode("none") }, { key: reader });
  assert.is(error.code, status.NOT_FOUND, error.message);
});

test("ListLinks pages newest first without duplicates or gaps", async () => {
  const created: string[] = [];
  for (let i = 0; i < 5; i += 1) {
    created.push((await call(createLink, { rules: [], url: target(`p${i}`), tags: [] }, { key: writer })).code);
  }
  const seen: Link[] = [];
  let pageToken = "";
  for (let page = 0; page < 4; page += 1) {
    const answer = await call(listLinks, { pageSize: 2, pageToken }, { key: reader });
    assert.ok(answer.links.length <= 2);
    seen.push(...answer.links);
    pageToken = answer.nextPageToken;
    assert.ok(pageToken, `page ${page} is followed by another`);
  }
  const codes = seen.map((l) => l.code);
  assert.equal(codes.slice(0, 5), [...created].reverse());
  assert.is(new Set(codes).size, codes.length, "no link twice");
  const one = await call(listLinks, { pageSize: 8, pageToken: "" }, { key: reader });
  assert.equal(
    one.links.map((l) => l.code),
    codes,
    "the same as one page of eight",
  );
});

test("ListLinks answers the installation's links, whichever key created them", async () => {
  const createKey = keys.createApiKey.bind(keys);
  const reader = (
    await call(createKey, { name: uniqueName("grpc-reader"), scopes: ["links:read"] }, { key: adminKey() })
  ).secret;
  const made = await call(createLink, { rules: [], url: target("made-by-admin"), tags: [] }, { key: adminKey() });
  const listed = await call(listLinks, { pageSize: 1, pageToken: "" }, { key: reader });
  assert.equal(
    listed.links.map((l) => l.code),
    [made.code],
    "a read key sees the newest link, created by another key",
  );
});

test("UpdateLink changes only the fields present", async () => {
  const before = await call(
    createLink,
    {
      rules: [],
      url: target("before"),
      redirectStatus: 301,
      title: "Before",
      tags: ["a"],
      expiresAt: new Date(Date.now() + 86_400_000),
    },
    { key: writer },
  );
  const strip = (link: Link) => ({ ...link, updatedAt: undefined });
  const changes: ReadonlyArray<[keyof Link, Record<string, unknown>, unknown]> = [
    ["url", { url: target("after") }, target("after")],
    ["redirectStatus", { redirectStatus: 308 }, 308],
    ["expiresAt", { expiresAt: new Date("2099-01-01T00:00:00Z") }, new Date("2099-01-01T00:00:00Z")],
    ["disabled", { disabled: true }, true],
    ["title", { title: "After" }, "After"],
    ["tags", { tags: ["x", "y"] }, ["x", "y"]],
  ];
  let current = before;
  for (const [field, change, value] of changes) {
    const after = await call(
      updateLink,
      { clearMaxVisits: false, code: before.code, clearExpiresAt: false, clearValidSince: false, ...change },
      { key: writer },
    );
    assert.equal(after[field], value, `${field} changed`);
    assert.equal(strip(after), { ...strip(current), [field]: value }, `only ${field} changed`);
    current = after;
  }
  const cleared = await call(
    updateLink,
    { clearMaxVisits: false, code: before.code, clearExpiresAt: true, clearValidSince: false },
    { key: writer },
  );
  assert.is(cleared.expiresAt, undefined);
});

test("Resolve answers the target and status, also as metadata; a disabled link is FAILED_PRECONDITION", async () => {
  const link = await call(
    createLink,
    { rules: [], url: target("resolve"), redirectStatus: 308, tags: [] },
    { key: writer },
  );
  const { response, headers } = await callWithHeaders(resolve, { code: link.code });
  assert.is(response.url, target("resolve"));
  assert.is(response.redirectStatus, 308);
  assert.is(headers.get(LOCATION_KEY)[0], target("resolve"));
  assert.is(headers.get(REDIRECT_STATUS_KEY)[0], "308");
  await call(
    updateLink,
    { clearMaxVisits: false, code: link.code, disabled: true, clearExpiresAt: false, clearValidSince: false },
    { key: writer },
  );
  await resolveUntil(link.code, (o) => o.code === status.FAILED_PRECONDITION);
  await call(
    updateLink,
    { clearMaxVisits: false, code: link.code, disabled: false, clearExpiresAt: false, clearValidSince: false },
    { key: writer },
  );
  await resolveUntil(link.code, (o) => o.url === target("resolve"));
});

test("Resolve of an unknown code is NOT_FOUND", async () => {
  const error = await callError(resolve, { code: uniqueCode("nothing") });
  assert.is(error.code, status.NOT_FOUND, error.message);
});

test("DeleteLink: GetLink is then NOT_FOUND and Resolve FAILED_PRECONDITION", async () => {
  const link = await call(createLink, { rules: [], url: target("delete"), tags: [] }, { key: writer });
  await call(deleteLink, { code: link.code }, { key: writer });
  assert.is((await callError(getLink, { code: link.code }, { key: reader })).code, status.NOT_FOUND);
  await resolveUntil(link.code, (o) => o.code === status.FAILED_PRECONDITION);
  const again = await callError(deleteLink, { code: link.code }, { key: writer });
  assert.is(again.code, status.NOT_FOUND, "deleting twice: the link is no longer there");
});

test("a call without a key, or with an unknown one, is UNAUTHENTICATED", async () => {
  const none = await callError(getLink, { code: "whatever" });
  assert.is(none.code, status.UNAUTHENTICATED, none.message);
  const unknown = await callError(getLink, { code: "whatever" }, { key: "kurt_not-a-real-key" });
  assert.is(unknown.code, status.UNAUTHENTICATED, unknown.message);
});

test("a key without the scope is PERMISSION_DENIED, and nothing is created", async () => {
  const code = uniqueCode("denied");
  const error = await callError(createLink, { rules: [], url: target("denied"), code, tags: [] }, { key: reader });
  assert.is(error.code, status.PERMISSION_DENIED, error.message);
  assert.is((await callError(getLink, { code }, { key: reader })).code, status.NOT_FOUND);
  const keysError = await callError(keys.listApiKeys.bind(keys), { pageSize: 0, pageToken: "" }, { key: writer });
  assert.is(keysError.code, status.PERMISSION_DENIED, "managing keys needs admin");
});

test.run();
