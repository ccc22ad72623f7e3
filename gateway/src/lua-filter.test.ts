import { test } from "uvu";
import * as assert from "uvu/assert";
import { type LuaFilter, loadLuaFilter, type RequestOutcome, routeRules } from "./lua-filter-harness.js";

/** One request through a fresh copy of envoy/lua/kurt-gateway.lua. */
async function withFilter<T>(run: (filter: LuaFilter) => Promise<T>): Promise<T> {
  const filter = await loadLuaFilter();
  try {
    return await run(filter);
  } finally {
    filter.close();
  }
}

const request = (method: string, path: string, call: string | undefined, extra: { body?: string } = {}) =>
  withFilter((filter) =>
    filter.onRequest({ headers: { ":method": method, ":path": path }, route: routeRules(call), ...extra }),
  );

const createLink = (body: string) => request("POST", "/v1/links", "create-link", { body });

function refusal(outcome: RequestOutcome): string | undefined {
  if (outcome.reply === undefined) return undefined;
  assert.is(outcome.reply.headers[":status"], "400", outcome.reply.body);
  return outcome.reply.body;
}

// --- Requests

test("a bare OPTIONS is answered 204 with the methods the API allows", async () => {
  const outcome = await request("OPTIONS", "/v1/links", "create-link");
  assert.equal(outcome.reply, {
    headers: { ":status": "204", allow: "GET, HEAD, POST, PATCH, DELETE, OPTIONS" },
    body: "",
  });
});

test("a path or method the API lacks is 404 naming it, without its query string", async () => {
  const outcome = await request("GET", "/v1/links/abc/?pageSize=1", undefined);
  assert.equal(outcome.reply, { headers: { ":status": "404" }, body: "no such call: GET /v1/links/abc/" });
});

test("a client's grpc-* and x-envoy-* headers are dropped before the router reads them; others pass", async () => {
  const outcome = await withFilter((filter) =>
    filter.onRequest({
      headers: {
        ":method": "GET",
        ":path": "/v1/links/abc",
        authorization: "Bearer k",
        "grpc-timeout": "1n",
        "x-envoy-upstream-rq-timeout-ms": "1",
        "x-request-id": "r1",
      },
      route: routeRules("get-link"),
    }),
  );
  assert.is(outcome.reply, undefined);
  assert.equal(outcome.headers, {
    ":method": "GET",
    ":path": "/v1/links/abc",
    authorization: "Bearer k",
    "x-request-id": "r1",
  });
  assert.equal(outcome.dynamic.kurt, { method: "GET" }, "the client's method is kept for the access log");
});

test("HEAD is passed on as a GET and marked for the way out", async () => {
  const outcome = await request("HEAD", "/v1/links/abc", "get-link");
  assert.is(outcome.reply, undefined);
  assert.is(outcome.headers[":method"], "GET");
  assert.equal(outcome.dynamic.kurt, { method: "HEAD", head: true });
});

test("a query parameter the call does not name is refused, decoded and named; the call's own pass", async () => {
  assert.is(refusal(await request("GET", "/v1/links?pageSize=5&pageToken=a+b%3D", "list-links")), undefined);
  assert.is(
    refusal(await request("GET", "/v1/links?page_size=5&page_token=x", "list-links")),
    undefined,
    "proto names too",
  );
  assert.is(
    refusal(await request("GET", "/v1/links?pageSize=5&access%5Ftoken=s", "list-links")),
    "access_token: not a query parameter of GET /v1/links",
  );
  assert.is(
    refusal(await request("GET", "/v1/links/abc?=1", "get-link")),
    "(empty name): not a query parameter of GET /v1/links/{code}",
  );
});

test("a body of the call's members with values of the right JSON kind passes", async () => {
  const body = JSON.stringify({
    url: "https://example.com/a?b=c",
    code: "abc",
    redirectStatus: 301,
    cache_seconds: 0,
    expiresAt: "2090-01-01T00:00:00Z",
    tags: ["a", "b"],
    title: null,
  });
  const outcome = await createLink(` \n${body}\t`);
  assert.is(refusal(outcome), undefined);
  assert.ok(outcome.bodyRead);
});

test("a call without a body is not buffered", async () => {
  assert.is((await request("GET", "/v1/links/abc", "get-link")).bodyRead, false);
});

test("an unknown member or a value of the wrong JSON kind is refused, naming the field", async () => {
  assert.is(
    refusal(await createLink('{"url":"https://e.com","bogus":1}')),
    "bogus: unknown field (CreateLinkRequest has no such field)",
  );
  assert.is(
    refusal(await createLink('{"url":"https://e.com","redirectStatus":"301"}')),
    "redirectStatus: must be a JSON number without fraction or exponent, got a string",
  );
  assert.is(
    refusal(await createLink('{"url":"https://e.com","cacheSeconds":1.5}')),
    "cacheSeconds: must be a JSON number without fraction or exponent, got a number with a fraction or exponent",
  );
  assert.is(
    refusal(await createLink('{"url":"https://e.com","tags":["a",1]}')),
    "tags: must be a JSON array of strings, got an array with an element that is not a string",
  );
  assert.is(refusal(await createLink('["https://e.com"]')), "request body: must be a JSON object");
});

test("a body that is not RFC 8259 JSON is refused, saying where", async () => {
  const cases: ReadonlyArray<readonly [body: string, why: string]> = [
    ['{"url":"https://e.com",}', "request body: not valid JSON (RFC 8259): trailing comma at byte 24"],
    ["{'url':'x'}", "request body: not valid JSON (RFC 8259): a member name must be a double-quoted string at byte 2"],
    ['{"maxVisits":01}', "request body: not valid JSON (RFC 8259): leading zero in a number at byte 14"],
    [
      '{"title":"a\tb"}',
      "request body: not valid JSON (RFC 8259): control character in a string (escape it) at byte 12",
    ],
    ['{"title":"\\x"}', "request body: not valid JSON (RFC 8259): bad escape \\x at byte 11"],
    ['{"url":"a"} {}', "request body: not valid JSON (RFC 8259): text after the JSON object at byte 13"],
    ['{"url":"a","url":"b"}', "request body: member url appears twice"],
    ['{"url":tru}', 'request body: not valid JSON (RFC 8259): unexpected character "t" at byte 8'],
    ['{"url":"a"', "request body: not valid JSON (RFC 8259): expected , or } in an object at byte 11"],
  ];
  for (const [body, why] of cases) assert.is(refusal(await createLink(body)), why, body);
});

test("nesting deeper than 32 levels is refused before it can exhaust the filter", async () => {
  const deep = `{"rules":${"[".repeat(40)}${"]".repeat(40)}}`;
  assert.match(refusal(await createLink(deep)) ?? "", /nested deeper than 32 levels/);
});

test("a \\u escape in a member name is decoded before the name is checked", async () => {
  assert.is(refusal(await createLink('{"\\u0075rl":"https://e.com"}')), undefined);
});

// --- Redirect rules, visit caps, passwords and batches

const updateLink = (body: string) => request("PATCH", "/v1/links/abc", "update-link", { body });
const batchCreate = (body: string) => request("POST", "/v1/links:batchCreate", "batch-create-links", { body });

const RULES = [
  { device: "ios", url: "https://apps.apple.com/app/1" },
  { country: "DE", language: "de", url: "https://example.de/" },
  { query: { name: "ref", value: "mail" }, url: "https://example.com/mail" },
  { query: { name: "beta" }, device: null, url: "https://example.com/beta" },
];

test("a create, an update and a batch with rules, a visit cap and a password pass unchanged", async () => {
  const create = JSON.stringify({
    url: "https://example.com/",
    maxVisits: 10,
    password: "s3cret!",
    rules: RULES,
  });
  const update = JSON.stringify({
    max_visits: 20,
    clearMaxVisits: false,
    password: "",
    rules: RULES,
  });
  const links = [
    JSON.parse(create),
    { url: "https://example.com/2", code: "two", tags: ["a"], rules: [] },
    { url: "https://example.com/3", redirect_status: 301, rules: null, password: null },
  ];
  for (const [outcome, body] of [
    [await createLink(create), create],
    [await updateLink(update), update],
    [await updateLink('{"rules":[]}'), "[] removes the rules"],
    [await batchCreate(JSON.stringify({ links })), "batch"],
    [await batchCreate('{"links":null}'), "no links: left to the service"],
    [await batchCreate('{"links":[{}]}'), "an empty item: left to the service (url is required)"],
  ] as const) {
    assert.is(refusal(outcome), undefined, body);
    assert.ok(outcome.bodyRead, body);
    assert.equal(Object.keys(outcome.headers).sort(), [":method", ":path"], body);
  }
});

test("escapes in values are read over, not decoded, and still checked", async () => {
  assert.is(refusal(await createLink(String.raw`{"url":"https:\/\/e.com\u002F","title":"a\n\"b\"\u00e9"}`)), undefined);
  assert.is(
    refusal(await createLink(String.raw`{"rules":[{"url":"\u12"}]}`)),
    "request body: not valid JSON (RFC 8259): bad \\u escape at byte 19",
  );
});

test("a rule without url is left to the service, which names the rule", async () => {
  assert.is(refusal(await createLink('{"url":"https://e.com","rules":[{"device":"ios"}]}')), undefined);
});

const url = '"url":"https://e.com"';
/** Bodies whose rules, or a batch's items, break the contract's shape, and the path each refusal names. */
const BAD_SHAPES: ReadonlyArray<readonly [call: "create" | "update" | "batch", body: string, why: string]> = [
  [
    "create",
    `{${url},"maxVisits":"10"}`,
    "maxVisits: must be a JSON number without fraction or exponent, got a string",
  ],
  [
    "create",
    `{${url},"max_visits":1.5}`,
    "max_visits: must be a JSON number without fraction or exponent, got a number with a fraction or exponent",
  ],
  ["create", `{${url},"password":1234}`, "password: must be a JSON string, got a whole number"],
  ["create", `{${url},"rules":{"url":"https://e.com"}}`, "rules: must be a JSON array of objects, got an object"],
  ["create", `{${url},"rules":"https://e.com"}`, "rules: must be a JSON array of objects, got a string"],
  ["create", `{${url},"rules":["https://e.com"]}`, "rules[0]: must be a JSON object, got a string"],
  ["create", `{${url},"rules":[{"url":"https://e.com"},null]}`, "rules[1]: must be a JSON object, got null"],
  ["create", `{${url},"rules":[{"url":"https://e.com"},[]]}`, "rules[1]: must be a JSON object, got an array"],
  [
    "create",
    `{${url},"rules":[{"url":"https://e.com","bogus":1}]}`,
    "rules[0].bogus: unknown field (RedirectRule has no such field)",
  ],
  [
    "create",
    `{${url},"rules":[{"url":"https://e.com","Device":"ios"}]}`,
    "rules[0].Device: unknown field (RedirectRule has no such field)",
  ],
  ["create", `{${url},"rules":[{"url":5}]}`, "rules[0].url: must be a JSON string, got a whole number"],
  [
    "create",
    `{${url},"rules":[{"url":"https://e.com","device":true}]}`,
    "rules[0].device: must be a JSON string, got true or false",
  ],
  [
    "create",
    `{${url},"rules":[{"url":"https://e.com","country":["DE"]}]}`,
    "rules[0].country: must be a JSON string, got an array",
  ],
  [
    "create",
    `{${url},"rules":[{"url":"https://e.com","language":{}}]}`,
    "rules[0].language: must be a JSON string, got an object",
  ],
  [
    "create",
    `{${url},"rules":[{"url":"https://e.com","query":"ref"}]}`,
    "rules[0].query: must be a JSON object, got a string",
  ],
  [
    "create",
    `{${url},"rules":[{"url":"https://e.com","query":["ref"]}]}`,
    "rules[0].query: must be a JSON object, got an array",
  ],
  [
    "create",
    `{${url},"rules":[{"url":"https://e.com","query":{"name":1}}]}`,
    "rules[0].query.name: must be a JSON string, got a whole number",
  ],
  [
    "create",
    `{${url},"rules":[{"url":"a"},{"url":"b"},{"url":"c","query":{"name":"x","value":2}}]}`,
    "rules[2].query.value: must be a JSON string, got a whole number",
  ],
  [
    "create",
    `{${url},"rules":[{"url":"a","query":{"name":"x","values":["y"]}}]}`,
    "rules[0].query.values: unknown field (RedirectRuleQuery has no such field)",
  ],
  ["update", '{"clearMaxVisits":"true"}', "clearMaxVisits: must be true or false, got a string"],
  [
    "update",
    '{"maxVisits":-1.0}',
    "maxVisits: must be a JSON number without fraction or exponent, got a number with a fraction or exponent",
  ],
  ["update", '{"password":false}', "password: must be a JSON string, got true or false"],
  ["update", '{"rules":{}}', "rules: must be a JSON array of objects, got an object"],
  [
    "update",
    '{"rules":[{"url":"a","when":"always"}]}',
    "rules[0].when: unknown field (RedirectRule has no such field)",
  ],
  ["update", '{"rules":[1]}', "rules[0]: must be a JSON object, got a whole number"],
  [
    "update",
    '{"rules":[{"url":"a","query":{"name":"x","value":null,"extra":true}}]}',
    "rules[0].query.extra: unknown field (RedirectRuleQuery has no such field)",
  ],
  ["update", '{"code":"other"}', "code: unknown field (UpdateLinkRequest has no such field)"],
  ["batch", '{"links":{"url":"https://e.com"}}', "links: must be a JSON array of objects, got an object"],
  ["batch", '{"links":"https://e.com"}', "links: must be a JSON array of objects, got a string"],
  ["batch", `{"links":[{${url}},"https://e.com"]}`, "links[1]: must be a JSON object, got a string"],
  ["batch", `{"links":[{${url}},null]}`, "links[1]: must be a JSON object, got null"],
  [
    "batch",
    `{"links":[{${url}},{${url},"bogus":1}]}`,
    "links[1].bogus: unknown field (CreateLinkRequest has no such field)",
  ],
  [
    "batch",
    `{"links":[{${url},"disabled":true}]}`,
    "links[0].disabled: unknown field (CreateLinkRequest has no such field)",
  ],
  ["batch", `{"links":[{"url":8}]}`, "links[0].url: must be a JSON string, got a whole number"],
  [
    "batch",
    `{"links":[{${url},"tags":["a",2]}]}`,
    "links[0].tags: must be a JSON array of strings, got an array with an element that is not a string",
  ],
  [
    "batch",
    `{"links":[{${url},"expiresAt":1700000000}]}`,
    "links[0].expiresAt: must be an RFC 3339 timestamp string, got a whole number",
  ],
  [
    "batch",
    `{"links":[{${url},"rules":[{"url":"a"},{"url":"b","query":{"name":"x","value":3}}]}]}`,
    "links[0].rules[1].query.value: must be a JSON string, got a whole number",
  ],
  [
    "batch",
    `{"links":[{${url},"rules":[{"url":"a","device":"ios","os":"x"}]}]}`,
    "links[0].rules[0].os: unknown field (RedirectRule has no such field)",
  ],
  ["batch", `{"links":[{${url},"rules":"x"}]}`, "links[0].rules: must be a JSON array of objects, got a string"],
  ["batch", `{"links":[{${url}}],"dryRun":true}`, "dryRun: unknown field (BatchCreateLinksRequest has no such field)"],
];

test("an unknown member or a wrong JSON type anywhere inside rules or a batch is refused, naming its path", async () => {
  const send = { create: createLink, update: updateLink, batch: batchCreate };
  for (const [call, body, why] of BAD_SHAPES) assert.is(refusal(await send[call](body)), why, body);
  assert.ok(BAD_SHAPES.length >= 25);
});

test("the first problem in the body is named, and a body that is not JSON is refused as such first", async () => {
  assert.is(
    refusal(await batchCreate(`{"links":[{"url":1},{"bogus":2}]}`)),
    "links[0].url: must be a JSON string, got a whole number",
  );
  assert.is(
    refusal(await batchCreate(`{"links":[{"url":1},{"bogus":2},]}`)),
    "request body: not valid JSON (RFC 8259): trailing comma at byte 33",
  );
  assert.is(
    refusal(await createLink(`{${url},"rules":[{"url":"a","url":"b"}]}`)),
    "request body: member url of rules[0] appears twice",
  );
});

test("a batch of 1,000 links with rules is checked in one pass, the last item's fault named", async () => {
  const item = {
    url: "https://example.com/a/fairly/long/path/of/a/realistic/campaign?utm_source=newsletter&utm_medium=email",
    title: "A realistic title for a link in a campaign",
    tags: ["campaign", "2026"],
    rules: RULES,
  };
  const links = Array.from({ length: 1000 }, (_, n) => ({ ...item, code: `code-${n}` }));
  const good = JSON.stringify({ links });
  assert.ok(good.length < 1024 * 1024, `${good.length} bytes`);
  assert.is(refusal(await batchCreate(good)), undefined);
  const bad = JSON.stringify({
    links: [...links.slice(0, 999), { ...item, rules: [{ url: "x", query: { name: 1 } }] }],
  });
  assert.is(
    refusal(await batchCreate(bad)),
    "links[999].rules[0].query.name: must be a JSON string, got a whole number",
  );
});

// --- Raw gRPC

test("raw gRPC is refused: 415 in HTTP's terms and UNIMPLEMENTED in gRPC's, naming the internal listener", async () => {
  await withFilter(async (filter) => {
    const asked = await filter.onRequest({
      headers: { ":method": "POST", ":path": "/kurt.v1.LinkService/GetLink", "content-type": "application/grpc+proto" },
      route: routeRules(undefined),
    });
    assert.is(asked.reply?.headers[":status"], "415");
    // Envoy turns a gRPC request's local reply into HTTP 200 + grpc-status; the way out restores the 415.
    const answered = await filter.onResponse({
      headers: { ":status": "200", "content-type": "application/grpc", "grpc-status": "2" },
      dynamic: asked.dynamic,
    });
    assert.equal(answered.headers, {
      ":status": "415",
      "content-type": "application/grpc",
      "grpc-status": "12",
      "grpc-message": "gRPC is served on the internal gRPC listener, not the public HTTP one",
    });
  });
});

test("raw gRPC is refused whatever its method, OPTIONS too (found by the REST fuzzing)", async () => {
  for (const method of ["OPTIONS", "GET"]) {
    const asked = await withFilter((filter) =>
      filter.onRequest({
        headers: { ":method": method, ":path": "/v1/api-keys", "content-type": "application/grpc+proto" },
        route: routeRules("create-api-key"),
      }),
    );
    assert.is(asked.reply?.headers[":status"], "415", method);
  }
});

// --- Responses

test("an answer's gRPC headers are removed and its status is never rewritten from its body", async () => {
  // FAILED_PRECONDITION through the transcoder: no transcoded call raises it, and nothing turns it into a 410.
  const body = '{"code":9,"message":"link is disabled","details":[]}';
  const answered = await withFilter((filter) =>
    filter.onResponse({
      headers: { ":status": "400", "content-type": "application/json", "grpc-status": "9", "grpc-message": "x" },
      body,
      dynamic: { kurt: { method: "GET" } },
    }),
  );
  assert.equal(answered.headers, { ":status": "400", "content-type": "application/json" });
  assert.is(answered.body, body);
  assert.is(answered.bodyRead, false, "the body of an answer to a GET is streamed, not buffered");
});

test("the answer to a HEAD has no body and the Content-Length a GET would have had", async () => {
  await withFilter(async (filter) => {
    const asked = await filter.onRequest({
      headers: { ":method": "HEAD", ":path": "/v1/links/abc" },
      route: routeRules("get-link"),
    });
    const answered = await filter.onResponse({
      headers: { ":status": "200", "content-type": "application/json" },
      body: '{"code":"abc"}',
      dynamic: asked.dynamic,
    });
    assert.is(answered.body, "");
    assert.equal(answered.headers, { ":status": "200", "content-type": "application/json", "content-length": "14" });
  });
});

test.run();
