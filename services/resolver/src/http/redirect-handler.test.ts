import { request as httpRequest } from "node:http";
import { createLogger, gone, type RunningHttpServer, startHttpServer, unavailable } from "@kurt/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ClickFacts } from "../domain/click.js";
import { createDomainDirectory } from "../domain/domain-directory.js";
import type { Redirect } from "../domain/link-resolver.js";
import { createTableResolver } from "../test-support/table-resolver.js";
import { cacheControl, codeOfPath, createRedirectHandler } from "./redirect-handler.js";

/** A resolver port answering from a table: the handler's translation is under test, not the lookup. */
const answers: Record<string, Redirect | Error> = {
  perm: {
    url: "https://example.com/p?q=1",
    redirectStatus: 301,
    cacheSeconds: 0,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
    servedBy: "replica",
  },
  kept: {
    url: "https://example.com/k",
    redirectStatus: 308,
    cacheSeconds: 3600,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
    servedBy: "memory",
  },
  unicode: {
    url: "https://example.com/ä",
    redirectStatus: 307,
    cacheSeconds: 0,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
    servedBy: "memory",
  },
  off: gone("link is disabled"),
  down: unavailable("link store unavailable"),
  boom: new Error("a bug"),
  fwd: {
    url: "https://example.com/f?a=1#top",
    redirectStatus: 302,
    cacheSeconds: 0,
    forwardQuery: true,
    maxVisits: null,
    passwordHash: null,
    rules: [],
    servedBy: "memory",
  },
  "go.example.com/perm": {
    url: "https://example.com/go",
    redirectStatus: 302,
    cacheSeconds: 0,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
    servedBy: "redis",
  },
  "go.example.com/off": gone("link is disabled"),
  locked: {
    url: "https://example.com/secret",
    redirectStatus: 307,
    cacheSeconds: 600,
    forwardQuery: true,
    maxVisits: null,
    passwordHash: "hash-of:open sesame",
    rules: [],
    servedBy: "memory",
  },
  capped: {
    url: "https://example.com/capped",
    redirectStatus: 302,
    cacheSeconds: 0,
    forwardQuery: false,
    maxVisits: 2,
    passwordHash: null,
    rules: [],
    servedBy: "memory",
  },
  ruled: {
    url: "https://example.com/default",
    redirectStatus: 302,
    cacheSeconds: 0,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [{ device: "ios", url: "https://apps.apple.com/x" }],
    servedBy: "memory",
  },
};
/** Visits left per linkKey (a fake of the primary's count) and every take/check made. */
const visitsLeft = new Map<string, number>([["capped", 2]]);
const visitCalls: string[] = [];
/** Wrong tries per link and client, and the limit. */
const wrongTries = new Map<string, number>();
const TRIES = 3;
const domains = createDomainDirectory();
domains.replace([
  { name: "go.example.com", rootRedirect: "https://example.com/home", notFoundRedirect: "https://example.com/missing" },
  { name: "bare.example.com", rootRedirect: null, notFoundRedirect: null },
]);
const resolver = createTableResolver(answers);
const { asked } = resolver;

const recorded: ClickFacts[] = [];
const statuses: number[] = [];
let server: RunningHttpServer;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function send(method: string, path: string, headers: Record<string, string> = {}, payload?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: server.port, method, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

const FORM = { "content-type": "application/x-www-form-urlencoded" };

test.before(async () => {
  server = await startHttpServer({
    host: "127.0.0.1",
    port: 0,
    handler: createRedirectHandler({
      resolver,
      domains,
      clicks: { record: (facts) => void recorded.push(facts) },
      visits: {
        async take(_domain, code) {
          visitCalls.push(`take ${code}`);
          const left = visitsLeft.get(code) ?? 0;
          if (left > 0) visitsLeft.set(code, left - 1);
          return left > 0;
        },
        async hasLeft(_domain, code) {
          visitCalls.push(`check ${code}`);
          return (visitsLeft.get(code) ?? 0) > 0;
        },
      },
      passwordAttempts: {
        async blockedFor(key, client) {
          return (wrongTries.get(`${key} ${client}`) ?? 0) >= TRIES ? 60 : 0;
        },
        async failed(key, client) {
          wrongTries.set(`${key} ${client}`, (wrongTries.get(`${key} ${client}`) ?? 0) + 1);
        },
      },
      verifyPassword: async (password, hash) => hash === `hash-of:${password}`,
      ruleTarget: (redirect, visit) =>
        /iPhone/.test(visit.header("user-agent") ?? "") ? redirect.rules[0]?.url : undefined,
      logger: createLogger({ level: "error", base: {} }),
      answered: (status) => void statuses.push(status),
    }),
  });
  server.setServing(true);
});

test.after(async () => {
  await server.close(1_000);
});

test.before.each(() => {
  recorded.length = 0;
  statuses.length = 0;
  asked.length = 0;
  visitCalls.length = 0;
});

test("a GET redirects with the link's status, Location, no body, and counts one click with the visitor's facts", async () => {
  const answer = await send("GET", "/perm", {
    "user-agent": "Mozilla/5.0 test",
    referer: "https://news.example/",
    "x-envoy-external-address": "203.0.113.7",
    "x-request-id": "req-1",
  });
  assert.is(answer.status, 301);
  assert.is(answer.headers.location, "https://example.com/p?q=1");
  assert.is(answer.headers["cache-control"], "private, no-store");
  assert.is(answer.body, "");
  assert.equal(recorded, [
    {
      domain: "",
      code: "perm",
      referrer: "https://news.example/",
      userAgent: "Mozilla/5.0 test",
      clientAddress: "203.0.113.7",
      redirectStatus: 301,
      servedBy: "replica",
      requestId: "req-1",
      prefetch: false,
    },
  ]);
  assert.equal(statuses, [301]);
});

test("nothing in the answer says which layer served it", async () => {
  const answer = await send("GET", "/kept");
  const names = Object.keys(answer.headers).sort();
  assert.equal(names, ["cache-control", "connection", "content-length", "date", "keep-alive", "location"]);
});

test("a link with cacheSeconds lets browsers keep the redirect that long", async () => {
  const answer = await send("GET", "/kept");
  assert.is(answer.status, 308);
  assert.is(answer.headers["cache-control"], "private, max-age=3600");
  assert.is(cacheControl(0), "private, no-store");
  assert.is(cacheControl(31_536_000), "private, max-age=31536000");
});

test("HEAD answers like GET without a body and counts no click", async () => {
  const answer = await send("HEAD", "/perm");
  assert.is(answer.status, 301);
  assert.is(answer.headers.location, "https://example.com/p?q=1");
  assert.is(answer.body, "");
  assert.is(recorded.length, 0);
});

test("the query string is the visitor's, never the code, and is not forwarded", async () => {
  const answer = await send("GET", "/perm?code=kept&utm_source=x");
  assert.is(answer.status, 301);
  assert.is(answer.headers.location, "https://example.com/p?q=1");
  assert.equal(asked, ["perm"]);
  assert.is(codeOfPath("/a%2Db?x=1"), "a-b");
  assert.is(codeOfPath("/%E0%A4%A"), "%E0%A4%A", "a malformed escape is looked up as is (and found nowhere)");
});

test("a non-ASCII target is percent-encoded in Location rather than failing", async () => {
  const answer = await send("GET", "/unicode");
  assert.is(answer.status, 307);
  assert.is(answer.headers.location, "https://example.com/%C3%A4");
});

test("unknown, gone and unavailable answer 404, 410 and 503 with the contract's JSON body, and count nothing", async () => {
  for (const [code, status, grpcCode] of [
    ["nope", 404, 5],
    ["off", 410, 9],
    ["down", 503, 14],
  ] as const) {
    const answer = await send("GET", `/${code}`);
    assert.is(answer.status, status, code);
    assert.is(answer.headers["content-type"], "application/json");
    assert.is(answer.headers.location, undefined);
    const body = JSON.parse(answer.body);
    assert.is(body.code, grpcCode, code);
    assert.type(body.message, "string");
  }
  assert.is(recorded.length, 0);
  assert.equal(statuses, [404, 410, 503]);
});

test("an unexpected error is a 500 that tells the client nothing of its cause", async () => {
  const answer = await send("GET", "/boom");
  assert.is(answer.status, 500);
  assert.not.match(answer.body, /a bug/);
});

test("the Host selects the domain: same code, other link; an unknown Host is the default domain", async () => {
  const go = await send("GET", "/perm", { host: "GO.example.com:8080" });
  assert.is(go.status, 302);
  assert.is(go.headers.location, "https://example.com/go");
  assert.is((await send("GET", "/perm", { host: "elsewhere.example" })).headers.location, "https://example.com/p?q=1");
  assert.equal(asked, ["go.example.com/perm", "perm"]);
  assert.equal(
    recorded.map((facts) => [facts.domain, facts.code]),
    [
      ["go.example.com", "perm"],
      ["", "perm"],
    ],
  );
});

test("a domain's root and not-found redirects answer 302, uncounted and not kept; gone stays 410", async () => {
  const root = await send("GET", "/", { host: "go.example.com" });
  assert.is(root.status, 302);
  assert.is(root.headers.location, "https://example.com/home");
  assert.is(root.headers["cache-control"], "no-store");
  const missing = await send("GET", "/nope?x=1", { host: "go.example.com" });
  assert.is(missing.status, 302);
  assert.is(missing.headers.location, "https://example.com/missing");
  assert.is((await send("GET", "/off", { host: "go.example.com" })).status, 410, "a gone link is not 'not found'");
  assert.is((await send("GET", "/", { host: "bare.example.com" })).status, 404, "no root redirect: 404");
  assert.is((await send("GET", "/nope", { host: "bare.example.com" })).status, 404);
  assert.is((await send("GET", "/")).status, 404, "the default domain has no root redirect");
  assert.is(recorded.length, 0);
});

test("a prefetch or a link preview is counted as such; the answer is the same redirect", async () => {
  const prefetched = await send("GET", "/perm", { "sec-purpose": "prefetch;prerender" });
  const previewed = await send("GET", "/perm", {
    "user-agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  });
  const visited = await send("GET", "/perm", { "user-agent": "Mozilla/5.0 Firefox/128.0" });
  for (const answer of [prefetched, previewed, visited]) assert.is(answer.status, 301);
  assert.equal(
    recorded.map((facts) => facts.prefetch),
    [true, true, false],
  );
});

test("forwardQuery appends the visitor's query to the target; without it the query is dropped", async () => {
  const forwarded = await send("GET", "/fwd?utm_source=news&x=%20");
  assert.is(forwarded.status, 302);
  assert.is(forwarded.headers.location, "https://example.com/f?a=1&utm_source=news&x=%20#top");
  assert.is((await send("GET", "/fwd")).headers.location, "https://example.com/f?a=1#top");
  assert.is((await send("GET", "/perm?utm_source=news")).headers.location, "https://example.com/p?q=1");
});

test("other methods are refused with 405 and the methods allowed; POST only for a password-protected link", async () => {
  const put = await send("PUT", "/perm");
  assert.is(put.status, 405);
  assert.is(put.headers.allow, "GET, HEAD, POST");
  assert.equal(asked, []);
  const post = await send("POST", "/perm", FORM, "password=x");
  assert.is(post.status, 405);
  assert.is(post.headers.allow, "GET, HEAD");
  assert.equal(recorded, []);
});

test("a password-protected link answers GET and HEAD with the form, uncounted and never kept or framed", async () => {
  const page = await send("GET", "/locked?x=1");
  assert.is(page.status, 200);
  assert.match(String(page.headers["content-type"]), /^text\/html/);
  assert.is(page.headers["cache-control"], "no-store");
  assert.is(page.headers["x-frame-options"], "DENY");
  assert.match(page.body, /<form method="post">/);
  assert.match(page.body, /name="password"/);
  assert.not.match(page.body, /example\.com/);
  assert.is((await send("HEAD", "/locked")).status, 200);
  assert.equal(recorded, []);
});

test("the right password redirects with 303 (the browser GETs the target), forwards the query and counts one click", async () => {
  const answer = await send("POST", "/locked?utm=1", { ...FORM, "user-agent": "Firefox" }, "password=open+sesame");
  assert.is(answer.status, 303);
  assert.is(answer.headers.location, "https://example.com/secret?utm=1");
  assert.is(answer.headers["cache-control"], "no-store");
  assert.is(recorded.length, 1);
  assert.is(recorded[0]?.redirectStatus, 303);
  assert.is(recorded[0]?.code, "locked");
});

test("a wrong or missing password answers 403 with the form; too many wrong tries 429, even with the right one", async () => {
  const client = { ...FORM, "x-envoy-external-address": "203.0.113.9" };
  const missing = await send("POST", "/locked", client, "password=");
  assert.is(missing.status, 403);
  assert.match(missing.body, /enter the password/);
  for (let i = 0; i < TRIES; i++) {
    const wrong = await send("POST", "/locked", client, "password=guess");
    assert.is(wrong.status, 403);
    assert.match(wrong.body, /Wrong password/);
  }
  const blocked = await send("POST", "/locked", client, "password=open+sesame");
  assert.is(blocked.status, 429);
  assert.is(blocked.headers["retry-after"], "60");
  // Another client is not held back by the first one's guesses.
  const other = await send(
    "POST",
    "/locked",
    { ...FORM, "x-envoy-external-address": "203.0.113.10" },
    "password=open+sesame",
  );
  assert.is(other.status, 303);
  assert.is(recorded.length, 1);
});

test("a password POST that is not a form, or too large, is refused with 400 and counts nothing", async () => {
  const json = await send("POST", "/locked", { "content-type": "application/json" }, '{"password":"open sesame"}');
  assert.is(json.status, 400);
  assert.match(json.body, /content-type/);
  const big = await send("POST", "/locked", FORM, `password=${"a".repeat(5_000)}`);
  assert.is(big.status, 400);
  assert.equal(recorded, []);
});

test("maxVisits: human GETs take visits, bots, prefetches and HEAD only check; then 410", async () => {
  visitsLeft.set("capped", 2);
  assert.is(
    (await send("GET", "/capped", { "user-agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" })).status,
    302,
  );
  assert.is((await send("GET", "/capped", { "sec-purpose": "prefetch" })).status, 302);
  assert.is((await send("HEAD", "/capped")).status, 302);
  assert.equal(visitCalls, ["check capped", "check capped", "check capped"]);
  assert.is((await send("GET", "/capped", { "user-agent": "Mozilla/5.0 Firefox/130.0" })).status, 302);
  assert.is((await send("GET", "/capped", { "user-agent": "Mozilla/5.0 Firefox/130.0" })).status, 302);
  const out = await send("GET", "/capped", { "user-agent": "Mozilla/5.0 Firefox/130.0" });
  assert.is(out.status, 410);
  assert.match(out.body, /used all its visits/);
  assert.is((await send("GET", "/capped", { "user-agent": "Googlebot/2.1" })).status, 410);
  assert.is((await send("HEAD", "/capped")).status, 410);
  // Two bot/prefetch clicks and two human ones were counted; the 410s were not.
  assert.is(recorded.length, 4);
});

test("rules: the first that holds gives the target, else the link's URL", async () => {
  assert.is(
    (await send("GET", "/ruled", { "user-agent": "Mozilla/5.0 (iPhone)" })).headers.location,
    "https://apps.apple.com/x",
  );
  assert.is(
    (await send("GET", "/ruled", { "user-agent": "Mozilla/5.0 Firefox" })).headers.location,
    "https://example.com/default",
  );
});

test("the health path follows the serving state, and a draining listener closes each connection after its answer", async () => {
  assert.is((await send("GET", "/healthz")).status, 200);
  server.setServing(false);
  try {
    assert.is((await send("GET", "/healthz")).status, 503);
    const answer = await send("GET", "/perm");
    assert.is(answer.status, 301, "still answers while draining");
    assert.is(answer.headers.connection, "close");
  } finally {
    server.setServing(true);
  }
});

test.run();
