import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { callError, linkClient, statsClient } from "../support/grpc-client.js";
import { describe, type HttpAnswer, request } from "../support/http-client.js";
import { createLink, getLink, isCreated, uniqueCode } from "../support/links-api.js";
import { linksFingerprint } from "../support/links-table.js";
import { markLogs, rawLinesSince } from "../support/service-logs.js";
import { topology } from "../support/stack.js";

// The findings of the hostile review of 2026-12-04 (issue 12), one test or
// more each: every one of them failed on the code before the fix. A refused
// request must also change nothing: the links table on the primary is
// compared before and after.

let writer = "";
let stats = "";
const fixtureCode = uniqueCode("review-fixture");

test.before(async () => {
  writer = (await createApiKey(["links:write", "links:read"])).secret;
  stats = (await createApiKey(["stats:read"])).secret;
  await createLink(writer, { url: "https://example.com/review", code: fixtureCode });
});

/** Sends the request and checks it was refused with `status` and changed nothing. */
async function refused(
  status: number,
  send: () => Promise<HttpAnswer>,
  message?: RegExp,
  code?: string,
): Promise<HttpAnswer> {
  const before = await linksFingerprint();
  const answer = await send();
  assert.is(answer.status, status, describe(answer));
  assert.is(typeof answer.json?.message, "string", `a google.rpc.Status JSON body: ${describe(answer)}`);
  if (message) assert.match(answer.json.message, message, describe(answer));
  assert.is(await linksFingerprint(), before, `nothing changed: ${describe(answer)}`);
  if (code !== undefined) assert.is((await getLink(writer, code)).status, 404, `${code} was not created`);
  return answer;
}

async function listingStillWorks(): Promise<void> {
  for (const path of ["/v1/links", "/v1/links?pageSize=1", "/v1/links?pageSize=1000", `/v1/links/${fixtureCode}`]) {
    const answer = await request("GET", path, { key: writer });
    assert.is(answer.status, 200, `${path}: ${describe(answer)}`);
  }
}

// --- High: a far-future expiry broke the REST API

test("high: a far-future expiry is refused on every path, and listing keeps working", async () => {
  const code = uniqueCode("far-future");
  const body = { url: "https://example.com/far", code };
  await refused(
    400,
    () => request("POST", "/v1/links?expiresAt.seconds=300000000000", { key: writer, body }),
    /expiresAt/,
    code,
  );
  await refused(
    400,
    () => request("POST", "/v1/links", { key: writer, body: { ...body, expiresAt: "9999-12-31T23:59:59Z" } }),
    /^expiresAt: .*100 years/,
    code,
  );
  await refused(
    400,
    () => request("PATCH", `/v1/links/${fixtureCode}?expiresAt.seconds=300000000000`, { key: writer, body: {} }),
    /expiresAt/,
  );
  await refused(
    400,
    () => request("PATCH", `/v1/links/${fixtureCode}`, { key: writer, body: { expiresAt: "2300-01-01T00:00:00Z" } }),
    /^expiresAt: .*100 years/,
  );
  const grpc = await callError(
    linkClient().createLink.bind(linkClient()),
    { rules: [], url: "https://example.com/far", code, expiresAt: new Date(300_000_000_000_000), tags: [] },
    { key: writer },
  );
  assert.is(grpc.code, GrpcStatus.INVALID_ARGUMENT, grpc.message);
  assert.match(grpc.details, /expiresAt/);
  assert.is((await getLink(writer, code)).status, 404);
  await listingStillWorks();
});

test("high: an expiry 100 years ahead less a day is still accepted", async () => {
  const expiresAt = new Date(Date.now() + 100 * 365 * 86_400_000).toISOString();
  const link = await createLink(writer, { url: "https://example.com/century", expiresAt });
  assert.is(link.expiresAt, expiresAt);
  await listingStillWorks();
});

// --- Medium: unauthenticated requests drained the shared write budget

test("medium: 2,500 writes without a valid key are refused without using anyone's budget", async () => {
  const answers: HttpAnswer[] = [];
  for (let batch = 0; batch < 25; batch++) {
    answers.push(
      ...(await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          request("POST", "/v1/links", {
            ...(i % 2 === 0 ? {} : { key: `kurt_${randomBytes(16).toString("hex")}` }),
            body: { url: "https://example.com/drain" },
          }),
        ),
      )),
    );
  }
  const statuses = new Set(answers.map((a) => a.status));
  assert.equal([...statuses], [401], `every one refused as unauthenticated, none 429: ${[...statuses]}`);
  const created = await request("POST", "/v1/links", { key: writer, body: { url: "https://example.com/after-drain" } });
  assert.ok(isCreated(created), `a real client still creates: ${describe(created)}`);
});

// --- Medium: the redirect-loop check was bypassed by other spellings of Kurt's hosts

const gatewayPort = topology.envoy.httpPort;
const LOOP_TARGETS = [
  `http://localhost:${gatewayPort}/x`,
  `http://LOCALHOST.:${gatewayPort}/x`,
  `http://[::ffff:127.0.0.1]:${gatewayPort}/x`,
  `http://0.0.0.0:${gatewayPort}/x`,
  `http://0:${gatewayPort}/x`,
  `http://[::1]:${gatewayPort}/x`,
  `http://2130706433:${gatewayPort}/x`,
  `http://0x7f.1:${gatewayPort}/x`,
  `http://127.1:${gatewayPort}/x`,
  "http://localhost/x",
  "https://kurt.localhost/x",
  `http://127.0.0.1:${gatewayPort + 1}/x`,
];

for (const url of LOOP_TARGETS) {
  test(`medium: a target of ${url} is refused as a redirect loop`, async () => {
    const code = uniqueCode("loop");
    await refused(
      400,
      () => request("POST", "/v1/links", { key: writer, body: { url, code } }),
      /^url: .*(loop|loopback)/i,
      code,
    );
  });
}

// --- Low: stats with out-of-range timestamps answered 500/502

for (const query of [
  "from.seconds=-8600000000000",
  "from.seconds=8600000000000",
  "from.seconds=-62135596900",
  "from=0001-01-01T00:00:00Z",
  "from=1969-12-31T23:59:59Z",
]) {
  test(`low: stats ?${query} answers 400`, async () => {
    const answer = await request("GET", `/v1/links/${fixtureCode}/stats?${query}`, { key: stats });
    assert.is(answer.status, 400, describe(answer));
    assert.match(answer.json.message, /from/);
  });
}

test("low: stats over gRPC with a timestamp beyond any calendar answer INVALID_ARGUMENT", async () => {
  const client = statsClient();
  for (const from of [new Date(8_600_000_000_000_000), new Date(-62_135_596_900_000)]) {
    const error = await callError(
      client.getLinkStats.bind(client),
      { code: fixtureCode, from, interval: 0 },
      { key: stats },
    );
    assert.is(error.code, GrpcStatus.INVALID_ARGUMENT, `${from.toISOString()}: ${error.message}`);
  }
});

// --- Low: the gateway's input rules were bypassed

const BYPASSES: ReadonlyArray<{
  name: string;
  method: string;
  path: string;
  raw?: string;
  status: number;
  reason: RegExp;
}> = [
  {
    name: "unquoted member name",
    method: "POST",
    path: "/v1/links",
    raw: '{url:"https://example.com/a",bogus:1}',
    status: 400,
    reason: /not valid JSON/,
  },
  {
    name: "single quotes",
    method: "POST",
    path: "/v1/links",
    raw: "{'url':'https://example.com/a','bogus':1}",
    status: 400,
    reason: /not valid JSON/,
  },
  {
    name: "\\f before a member",
    method: "POST",
    path: "/v1/links",
    raw: '{"url":"https://example.com/a",\f"bogus":1}',
    status: 400,
    reason: /not valid JSON/,
  },
  {
    name: "\\v before a member",
    method: "POST",
    path: "/v1/links",
    raw: '{"url":"https://example.com/a",\v"bogus":1}',
    status: 400,
    reason: /not valid JSON/,
  },
  {
    name: "a trailing comma",
    method: "POST",
    path: "/v1/links",
    raw: '{"url":"https://example.com/a",}',
    status: 400,
    reason: /trailing comma/,
  },
  {
    name: "a duplicate member",
    method: "POST",
    path: "/v1/links",
    raw: '{"url":"https://example.com/a","url":"https://example.com/b"}',
    status: 400,
    reason: /twice/,
  },
  {
    name: "POST with a trailing slash",
    method: "POST",
    path: "/v1/links/",
    raw: '{"url":"https://example.com/a","bogus":1}',
    status: 404,
    reason: /no such call/,
  },
  {
    name: "PATCH with a trailing slash",
    method: "PATCH",
    path: `/v1/links/${fixtureCode}/`,
    raw: '{"bogus":1}',
    status: 404,
    reason: /no such call/,
  },
  {
    name: "a body field as a query parameter",
    method: "POST",
    path: "/v1/links?expiresAt.seconds=2000000000",
    raw: '{"url":"https://example.com/a"}',
    status: 400,
    reason: /expiresAt.seconds: not a query parameter/,
  },
  {
    name: "tags as a query parameter of PATCH",
    method: "PATCH",
    path: `/v1/links/${fixtureCode}?tags.values=x`,
    raw: "{}",
    status: 400,
    reason: /tags.values: not a query parameter/,
  },
  {
    name: "an unknown query parameter",
    method: "GET",
    path: "/v1/links?bogus=1",
    status: 400,
    reason: /bogus: not a query parameter/,
  },
  ...["yes", "no", "1", "TRUE"].map((word) => ({
    name: `"disabled": "${word}"`,
    method: "PATCH",
    path: `/v1/links/${fixtureCode}`,
    raw: JSON.stringify({ disabled: word }),
    status: 400,
    reason: /^disabled: must be true or false/,
  })),
  {
    name: "nested tags",
    method: "PATCH",
    path: `/v1/links/${fixtureCode}`,
    raw: '{"tags":[["a"]]}',
    status: 400,
    reason: /^tags: must be a JSON array of strings/,
  },
  {
    name: "nested tags on create",
    method: "POST",
    path: "/v1/links",
    raw: '{"url":"https://example.com/a","tags":[["a"]]}',
    status: 400,
    reason: /^tags: must be a JSON array of strings/,
  },
  {
    name: "a lone tag",
    method: "POST",
    path: "/v1/links",
    raw: '{"url":"https://example.com/a","tags":"a"}',
    status: 400,
    reason: /^tags: must be a JSON array/,
  },
  {
    name: "a quoted number",
    method: "POST",
    path: "/v1/links",
    raw: '{"url":"https://example.com/a","cacheSeconds":"60"}',
    status: 400,
    reason: /^cacheSeconds: must be a JSON number/,
  },
  {
    name: "a value nested beyond reason",
    method: "POST",
    path: "/v1/links",
    raw: `{"url":"https://example.com/a","tags":${"[".repeat(5000)}${"]".repeat(5000)}}`,
    status: 400,
    reason: /nested deeper/,
  },
];

for (const bypass of BYPASSES) {
  test(`low: ${bypass.name} (${bypass.method} ${bypass.path}) is refused with ${bypass.status} and changes nothing`, async () => {
    const before = (await getLink(writer, fixtureCode)).json;
    await refused(
      bypass.status,
      () =>
        request(bypass.method, bypass.path, {
          key: writer,
          ...(bypass.raw === undefined ? {} : { rawBody: bypass.raw }),
        }),
      bypass.reason,
    );
    assert.equal((await getLink(writer, fixtureCode)).json, before, "the fixture link is unchanged");
  });
}

// --- Low: a write could commit while the client was told it failed

for (const [header, value] of [
  ["grpc-timeout", "1n"],
  ["grpc-timeout", "1u"],
  ["x-envoy-upstream-rq-timeout-ms", "1"],
  ["x-envoy-expected-rq-timeout-ms", "1"],
] as const) {
  test(`low: a client's ${header}: ${value} cannot cut a write off: what answered success exists, and only that`, async () => {
    const code = uniqueCode("deadline");
    const answer = await request("POST", "/v1/links", {
      key: writer,
      headers: { [header]: value },
      body: { url: "https://example.com/deadline", code },
    });
    assert.ok(isCreated(answer), `the header is not the client's to set: ${describe(answer)}`);
    assert.is((await getLink(writer, code)).status, 200);
  });
}

// --- Low: gRPC on the public port was answered 200 with an empty body

test("low: raw gRPC on the public port is a real 4xx, and a gRPC client hears UNIMPLEMENTED", async () => {
  const answer = await request("POST", "/kurt.v1.LinkService/GetLink", {
    headers: { "content-type": "application/grpc" },
    rawBody: "",
  });
  assert.is(answer.status, 415, describe(answer));
  assert.is(answer.headers.get("grpc-status"), "12");
  const publicClient = linkClient(`${topology.host}:${topology.envoy.httpPort}`);
  const error = await callError(publicClient.getLink.bind(publicClient), { code: fixtureCode }, { key: writer });
  assert.is(error.code, GrpcStatus.UNIMPLEMENTED, error.message);
  assert.match(error.details, /internal gRPC listener/);
  publicClient.close();
});

// --- Info

test("info: a key in the query string never reaches Envoy's access log", async () => {
  const secret = `kurt_${randomBytes(20).toString("hex")}`;
  const mark = markLogs(["envoy"]);
  const answers = [
    await request("GET", `/v1/links?access_token=${secret}`),
    await request("GET", `/${fixtureCode}?access_token=${secret}`),
  ];
  const ids = answers.map((a) => a.headers.get("x-request-id") ?? "");
  let lines: string[] = [];
  for (let waited = 0; waited < 15_000 && !ids.every((id) => lines.some((l) => l.includes(id))); waited += 250) {
    await sleep(250);
    lines = rawLinesSince(mark).map((l) => l.line);
  }
  assert.ok(
    ids.every((id) => lines.some((l) => l.includes(id))),
    "both requests were logged",
  );
  assert.not.ok(
    lines.some((l) => l.includes(secret)),
    "the secret is not in the access log",
  );
  assert.ok(
    lines.some((l) => l.includes(`"path":"/${fixtureCode}"`)),
    "the path is logged, without its query",
  );
});

test("info: Envoy's admin stats and the benchmark routes are not on the public listener", async () => {
  for (const path of ["/metrics", "/stats/prometheus", "/__ceiling/x", "/__floor-http/x"]) {
    const answer = await request("GET", path);
    assert.is(answer.status, 404, `${path}: ${describe(answer)}`);
  }
});

test("info: a request whose headers trickle in is cut off (slowloris)", async () => {
  const sockets: Socket[] = [];
  const closed = Array.from({ length: 20 }, () => {
    const socket = connect(topology.envoy.httpPort, topology.host);
    sockets.push(socket);
    socket.on("error", () => {});
    socket.write("GET /v1/links HTTP/1.1\r\nHost: kurt\r\n");
    const timer = setInterval(() => socket.writable && socket.write("X-Slow: 1\r\n"), 1_000);
    return new Promise<number>((resolve) => {
      const started = Date.now();
      socket.once("close", () => {
        clearInterval(timer);
        resolve(Date.now() - started);
      });
    });
  });
  const outcome = await Promise.race([Promise.all(closed), sleep(30_000).then(() => "open")]);
  for (const socket of sockets) socket.destroy();
  assert.ok(Array.isArray(outcome), "every trickling connection was closed by Envoy within 30 s");
});

test("info: CORS admits no origin by default", async () => {
  const preflight = await request("OPTIONS", "/v1/links", {
    headers: {
      origin: "https://evil.example",
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization",
    },
  });
  assert.is(preflight.headers.get("access-control-allow-origin"), null, describe(preflight));
  const simple = await request("GET", "/v1/links", { key: writer, headers: { origin: "https://evil.example" } });
  assert.is(simple.status, 200);
  assert.is(simple.headers.get("access-control-allow-origin"), null);
});

test.run();
