import { test } from "uvu";
import * as assert from "uvu/assert";
import { adminKey, createApiKey } from "../support/api-keys.js";
import { visitHost } from "../support/host-visit.js";
import { describe, type HttpAnswer, request } from "../support/http-client.js";
import { createLink, isDeleted, type LinkJson, uniqueCode, visit } from "../support/links-api.js";
import { publicUrl } from "../support/stack.js";
import { statsWhenTotal } from "../support/stats-api.js";

// Domains (DESIGN.md §2) through Envoy against the real stack: codes unique
// per domain, the Host selects the domain (an unknown one is the default),
// each domain's root and not-found redirects, /v1/domains for admins, and
// `?domain=` on the link calls.

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const A = `a-${run}.example.com`;
const B = `b-${run}.example.com`;
const defaultHost = new URL(publicUrl).host;
const code = uniqueCode("dom");
const keys = { writer: "", reader: "" };
const links: Record<"home" | "a" | "b", LinkJson | undefined> = { home: undefined, a: undefined, b: undefined };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const admin = (method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
  request(method, path, { key: adminKey(), ...(body === undefined ? {} : { body }) });

/**
 * Resolvers reload the domain list every 2 s and drop a changed link on its
 * event: wait (bounded) until a probe answers as expected. Answers the last
 * value and how many probes were sent (visits count clicks).
 */
async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<{ value: T; probes: number }> {
  const started = Date.now();
  for (let probes = 1; ; probes++) {
    const value = await probe();
    if (done(value)) return { value, probes };
    if (Date.now() - started > 15_000) throw new Error(`${what}: still ${JSON.stringify(value)} after 15 s`);
    await sleep(100);
  }
}

/** GETs that reached A's link (they count clicks there). */
let clicksOnA = 0;

test.before(async () => {
  keys.writer = (await createApiKey(["links:write", "links:read", "stats:read"])).secret;
  keys.reader = (await createApiKey(["links:read"])).secret;
});

test("an admin creates domains; the answer and the listing show them, the default first", async () => {
  const created = await admin("POST", "/v1/domains", {
    domain: A.toUpperCase(),
    rootRedirect: "https://example.com/a-home",
    notFoundRedirect: "https://example.com/a-missing",
  });
  assert.is(created.status, 200, describe(created));
  assert.equal(
    { ...created.json, createdAt: typeof created.json.createdAt },
    {
      domain: A,
      rootRedirect: "https://example.com/a-home",
      notFoundRedirect: "https://example.com/a-missing",
      isDefault: false,
      createdAt: "string",
    },
  );
  assert.is((await admin("POST", "/v1/domains", { domain: B })).status, 200);
  const listed = await admin("GET", "/v1/domains");
  assert.is(listed.status, 200, describe(listed));
  assert.equal(listed.json.domains[0], { domain: defaultHost, isDefault: true });
  const names = listed.json.domains.map((d: { domain: string }) => d.domain);
  assert.ok(names.includes(A) && names.includes(B), names.join(" "));
});

test("the same code lives under each domain, with each domain's short URL", async () => {
  links.home = await createLink(keys.writer, { url: "https://example.com/home", code });
  links.a = await createLink(keys.writer, { url: "https://example.com/a", code, domain: A });
  links.b = await createLink(keys.writer, { url: "https://example.com/b", code, domain: B.toUpperCase() });
  assert.is(links.home.domain, defaultHost);
  assert.is(links.home.shortUrl, `${publicUrl.replace(/\/$/, "")}/${code}`);
  assert.is(links.a.domain, A);
  assert.is(links.a.shortUrl, `${new URL(publicUrl).protocol}//${A}/${code}`);
  assert.is(links.b.domain, B);
  const again = await request("POST", "/v1/links", {
    key: keys.writer,
    body: { url: "https://example.com/x", code, domain: A },
  });
  assert.is(again.status, 409, describe(again));
  assert.match(again.json.message, A);
  const named = await request("POST", "/v1/links", {
    key: keys.writer,
    body: { url: "https://example.com/x", code: uniqueCode("dom"), domain: defaultHost },
  });
  assert.is(named.status, 200, `the default domain may be named: ${describe(named)}`);
  assert.is(named.json.domain, defaultHost);
});

test("the Host selects the domain; an unknown Host and the default one get the default domain's link", async () => {
  // Probes before the resolver knows A land on the default domain's link: only the last one is A's.
  const a = await eventually(
    "the resolvers learn the new domain",
    () => visitHost(A, `/${code}`),
    (v) => v.location === "https://example.com/a",
  );
  clicksOnA += 1;
  assert.is(a.value.status, 302);
  // The other resolver may not have reloaded yet: wait out its 2 s reload before asserting more.
  await sleep(2_500);
  assert.is((await visitHost(`${B.toUpperCase()}:443`, `/${code}?utm=1`)).location, "https://example.com/b");
  assert.is((await visitHost(`unknown-${run}.example.org`, `/${code}`)).location, "https://example.com/home");
  assert.is((await visit(code)).headers.get("location"), "https://example.com/home");
  assert.is((await visitHost(A, `/${code}`, "HEAD")).location, "https://example.com/a");
});

test("a domain's root and not-found redirects; without them, 404", async () => {
  const root = await visitHost(A, "/");
  assert.is(root.status, 302);
  assert.is(root.location, "https://example.com/a-home");
  const missing = await visitHost(A, `/nothing-${run}`);
  assert.is(missing.status, 302);
  assert.is(missing.location, "https://example.com/a-missing");
  assert.is((await visitHost(B, "/")).status, 404);
  assert.is((await visitHost(B, `/nothing-${run}`)).status, 404);
  assert.is((await visitHost(defaultHost, "/")).status, 404, "the default domain has no root redirect");
});

test("?domain= selects the link for get, QR, stats, list, update and delete", async () => {
  const got = await request("GET", `/v1/links/${code}?domain=${A}`, { key: keys.reader });
  assert.is(got.status, 200, describe(got));
  assert.is(got.json.url, "https://example.com/a");
  assert.is((await request("GET", `/v1/links/${code}`, { key: keys.reader })).json.url, "https://example.com/home");
  const unknown = await request("GET", `/v1/links/${code}?domain=none-${run}.example.com`, { key: keys.reader });
  assert.is(unknown.status, 404, describe(unknown));

  const listed = await request("GET", `/v1/links?domain=${B}`, { key: keys.reader });
  assert.is(listed.status, 200, describe(listed));
  assert.equal(
    listed.json.links.map((l: LinkJson) => [l.domain, l.code]),
    [[B, code]],
  );

  const updated = await request("PATCH", `/v1/links/${code}`, {
    key: keys.writer,
    body: { domain: A, url: "https://example.com/a2" },
  });
  assert.is(updated.status, 200, describe(updated));
  assert.is(updated.json.url, "https://example.com/a2");
  const edited = await eventually(
    "the edit reaches the resolvers",
    () => visitHost(A, `/${code}`),
    (v) => v.location === "https://example.com/a2",
  );
  clicksOnA += edited.probes;
  assert.is((await visit(code)).headers.get("location"), "https://example.com/home", "the default domain's link kept");

  // Two more visits of A's link, none of B's since: stats count each domain's apart (A's HEAD not at all).
  await visitHost(A, `/${code}`);
  await visitHost(A, `/${code}`);
  clicksOnA += 2;
  const stats = await statsWhenTotal(keys.writer, code, clicksOnA, { withinMs: 20_000, query: { domain: A } });
  assert.ok(stats.stats, stats.last);
  assert.is(stats.stats?.domain, A);
  assert.is(stats.stats?.total, clicksOnA, stats.last);
  // B's click may be stored by the other clicklog replica, after A's: wait for it too.
  const bStats = await statsWhenTotal(keys.writer, code, 1, { withinMs: 20_000, query: { domain: B } });
  assert.is(bStats.stats?.total, 1, `B's one visit only: ${bStats.last}`);

  const removed = await request("DELETE", `/v1/links/${code}?domain=${B}`, { key: keys.writer });
  assert.ok(isDeleted(removed), describe(removed));
  await eventually(
    "B's link is gone",
    () => visitHost(B, `/${code}`),
    (v) => v.status === 410,
  );
  assert.is((await visitHost(A, `/${code}`)).status, 302, "A's link is untouched");
});

test("a domain holding live links cannot be deleted; once they are gone it can, and its Host falls back", async () => {
  const refused = await admin("DELETE", `/v1/domains/${A}`);
  assert.is(refused.status, 409, describe(refused));
  assert.match(refused.json.message, "1 link");
  assert.ok(isDeleted(await request("DELETE", `/v1/links/${code}?domain=${A}`, { key: keys.writer })));
  const deleted = await admin("DELETE", `/v1/domains/${A}`);
  assert.is(deleted.status, 200, describe(deleted));
  assert.is(deleted.json.domain, A);
  assert.is((await admin("DELETE", `/v1/domains/${A}`)).status, 404, "deleting twice: not found");
  await eventually(
    "the resolvers forget the domain",
    () => visitHost(A, `/${code}`),
    (v) => v.location === "https://example.com/home",
  );
  assert.is((await admin("DELETE", `/v1/domains/${B}`)).status, 200, "B's only link was deleted");
});

test('domain updates change only the redirects sent; "" removes one', async () => {
  const name = `c-${run}.example.com`;
  assert.is((await admin("POST", "/v1/domains", { domain: name, rootRedirect: "https://example.com/c" })).status, 200);
  const changed = await admin("PATCH", `/v1/domains/${name}`, { notFoundRedirect: "https://example.com/c-missing" });
  assert.is(changed.status, 200, describe(changed));
  assert.is(changed.json.rootRedirect, "https://example.com/c");
  assert.is(changed.json.notFoundRedirect, "https://example.com/c-missing");
  const cleared = await admin("PATCH", `/v1/domains/${name}`, { rootRedirect: "" });
  assert.is(cleared.json.rootRedirect, undefined, describe(cleared));
  assert.is((await admin("PATCH", `/v1/domains/none-${run}.example.com`, { rootRedirect: "" })).status, 404);
  assert.is((await admin("DELETE", `/v1/domains/${name}`)).status, 200);
});

test("a target on a configured domain is a redirect loop, refused", async () => {
  const name = `d-${run}.example.com`;
  assert.is((await admin("POST", "/v1/domains", { domain: name })).status, 200);
  // Every shortener replica reloads the domains each second; the one that added it knows at once.
  await sleep(1_500);
  try {
    const answer = await request("POST", "/v1/links", { key: keys.writer, body: { url: `https://${name}/x` } });
    assert.is(answer.status, 400, describe(answer));
    assert.match(answer.json.message, "redirect loop");
    const root = await admin("PATCH", `/v1/domains/${name}`, { rootRedirect: `https://${name.toUpperCase()}/` });
    assert.is(root.status, 400, describe(root));
    assert.match(root.json.message, "rootRedirect");
  } finally {
    await admin("DELETE", `/v1/domains/${name}`);
  }
});

test("only admin keys manage domains", async () => {
  for (const [method, path, body] of [
    ["GET", "/v1/domains", undefined],
    ["POST", "/v1/domains", { domain: `e-${run}.example.com` }],
    ["PATCH", `/v1/domains/${B}`, { rootRedirect: "" }],
    ["DELETE", `/v1/domains/${B}`, undefined],
  ] as const) {
    const answer = await request(method, path, { key: keys.writer, ...(body === undefined ? {} : { body }) });
    assert.is(answer.status, 403, `${method} ${path}: ${describe(answer)}`);
    assert.is((await request(method, path, body === undefined ? {} : { body })).status, 401, `${method} ${path}`);
  }
});

test("bad domains are refused with 400 naming the field, and nothing is stored", async () => {
  const before = (await admin("GET", "/v1/domains")).json.domains.length;
  const cases: Array<[unknown, string]> = [
    ["", "domain"],
    [`https://f-${run}.example.com`, "domain"],
    [`f-${run}.example.com:8080`, "domain"],
    [`f-${run}.example.com/path`, "domain"],
    [`f ${run}.example.com`, "domain"],
    ["localhost", "domain"],
    ["go.localhost", "domain"],
    ["203.0.113.7", "domain"],
    ["[::1]", "domain"],
    ["nodots", "domain"],
    [`-f${run}.example.com`, "domain"],
    [`f${run}..example.com`, "domain"],
    [`${"x".repeat(64)}.example.com`, "domain"],
    [`${"abcdefghi.".repeat(26)}com`, "domain"],
    ["f_x.example.com", "domain"],
    [42, "domain"],
    [null, "domain"],
  ];
  for (const [domain, field] of cases) {
    const answer = await admin("POST", "/v1/domains", { domain });
    assert.is(answer.status, 400, `${JSON.stringify(domain)}: ${describe(answer)}`);
    assert.match(answer.json.message, field, JSON.stringify(domain));
  }
  const redirects: Array<[Record<string, unknown>, string]> = [
    [{ rootRedirect: "ftp://example.com/" }, "rootRedirect"],
    [{ rootRedirect: "" }, "rootRedirect"],
    [{ notFoundRedirect: "not a url" }, "notFoundRedirect"],
    [{ notFoundRedirect: `${publicUrl}/x` }, "notFoundRedirect"],
    [{ rootRedirect: 5 }, "rootRedirect"],
    [{ bogus: "x" }, "bogus"],
  ];
  for (const [extra, field] of redirects) {
    const answer = await admin("POST", "/v1/domains", { domain: `g-${run}.example.com`, ...extra });
    assert.is(answer.status, 400, `${JSON.stringify(extra)}: ${describe(answer)}`);
    assert.match(answer.json.message, field, JSON.stringify(extra));
  }
  const taken = await admin("POST", "/v1/domains", { domain: defaultHost });
  assert.ok([400, 409].includes(taken.status), `the default domain: ${describe(taken)}`);
  assert.is((await admin("DELETE", `/v1/domains/${defaultHost}`)).status, 400, "the default domain stays");
  assert.is((await admin("GET", "/v1/domains")).json.domains.length, before, "nothing stored");
});

test("a link's domain must be configured and well formed: 400 naming domain, nothing stored", async () => {
  for (const domain of [`none-${run}.example.com`, "", "not a host", "x".repeat(300), 7, ["a.example.com"]]) {
    const linkCode = uniqueCode("dombad");
    const answer = await request("POST", "/v1/links", {
      key: keys.writer,
      body: { url: "https://example.com/", code: linkCode, domain },
    });
    assert.is(answer.status, 400, `${JSON.stringify(domain).slice(0, 40)}: ${describe(answer)}`);
    assert.match(answer.json.message, "domain");
    assert.is((await request("GET", `/v1/links/${linkCode}`, { key: keys.reader })).status, 404);
  }
  for (const query of ["?domain=", `?domain=${"x".repeat(300)}`, "?domain=a%20b"]) {
    const answer = await request("GET", `/v1/links/${code}${query}`, { key: keys.reader });
    assert.is(answer.status, 400, `${query.slice(0, 40)}: ${describe(answer)}`);
  }
});

test.run();
