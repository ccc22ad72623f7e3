import { CUSTOM_CODE_PATTERN } from "@kurt/core/link-code";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { adminKey, createApiKey, revokeApiKey } from "../support/api-keys.js";
import { describe, request } from "../support/http-client.js";
import { createLink, getLink, isCreated, type LinkJson, uniqueCode } from "../support/links-api.js";
import { linksFingerprint } from "../support/links-table.js";
import { publicUrl } from "../support/stack.js";

// Bad input through the gateway: each case gets the exact 4xx, a JSON body
// (google.rpc.Status) whose message names the field at fault and the reason,
// and changes nothing: the links table on the primary, the caller's list and
// the custom code (if any) are checked before and after.

type KeyName = "writer" | "reader" | "stats" | "revoked" | "none";

interface BadCase {
  readonly name: string;
  readonly method?: string;
  /** Default: POST /v1/links. */
  readonly path?: string;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly key?: KeyName;
  /** Replaces the Authorization header the key would give. */
  readonly authorization?: string;
  readonly status: number;
  /** The message must name this field (in lowerCamelCase or snake_case). */
  readonly field?: string;
  readonly reason: RegExp;
  /** A custom code in the request, which must not exist afterwards. */
  readonly code?: string;
}

const keys: Record<Exclude<KeyName, "none">, string> = { writer: "", reader: "", stats: "", revoked: "" };
/** An existing link of the writer's that the PATCH cases try to spoil. */
const fixtureCode = uniqueCode("fixture");
let fixture: LinkJson | undefined;
let writerKeyId = "";

test.before(async () => {
  const writer = await createApiKey(["links:write", "links:read"]);
  keys.writer = writer.secret;
  writerKeyId = writer.id;
  keys.reader = (await createApiKey(["links:read"])).secret;
  keys.stats = (await createApiKey(["stats:read"])).secret;
  const revoked = await createApiKey(["links:write", "links:read", "admin"]);
  await revokeApiKey(revoked.id);
  keys.revoked = revoked.secret;
  fixture = await createLink(keys.writer, {
    url: "https://example.com/fixture",
    code: fixtureCode,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
});

const ok = "https://example.com/ok";
const create = (body: Record<string, unknown>) => ({ body: { url: ok, ...body } });
const longUrl = (length: number) => {
  const head = "https://example.com/";
  return head + "a".repeat(length - head.length);
};
const patch = { method: "PATCH", path: `/v1/links/${fixtureCode}` } as const;

const badSchemes = [
  "javascript:alert(1)",
  "JavaScript:alert(document.cookie)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "ftp://example.com/file.txt",
  "file:///etc/passwd",
  "mailto:someone@example.com",
  "ws://example.com/socket",
];

const cases: BadCase[] = [
  // --- URL: scheme, host, form
  ...badSchemes.map(
    (url): BadCase => ({
      name: `url with scheme ${url.split(":")[0]}`,
      ...create({ url }),
      status: 400,
      field: "url",
      reason: /scheme|http/i,
    }),
  ),
  {
    name: "url without a host (http://)",
    ...create({ url: "http://" }),
    status: 400,
    field: "url",
    reason: /host|invalid|absolute/i,
  },
  {
    name: "url without a host (https:///path)",
    ...create({ url: "https:///path" }),
    status: 400,
    field: "url",
    reason: /host|invalid/i,
  },
  {
    name: "relative url (/path)",
    ...create({ url: "/relative/path" }),
    status: 400,
    field: "url",
    reason: /absolute|scheme|invalid|http/i,
  },
  {
    name: "relative url (no scheme)",
    ...create({ url: "example.com/page" }),
    status: 400,
    field: "url",
    reason: /absolute|scheme|invalid|http/i,
  },
  {
    name: "protocol-relative url",
    ...create({ url: "//example.com/page" }),
    status: 400,
    field: "url",
    reason: /absolute|scheme|invalid|http/i,
  },
  {
    name: "url of 8,193 characters",
    ...create({ url: longUrl(8193) }),
    status: 400,
    field: "url",
    reason: /8,?192|long|length|characters/i,
  },
  {
    name: "url with a control character",
    ...create({ url: "https://example.com/a\u0001b" }),
    status: 400,
    field: "url",
    reason: /control|character|invalid/i,
  },
  {
    name: "url with a NUL character",
    ...create({ url: "https://example.com/\u0000" }),
    status: 400,
    field: "url",
    reason: /control|character|invalid/i,
  },
  {
    name: "url with a newline",
    ...create({ url: "https://example.com/a\nb" }),
    status: 400,
    field: "url",
    reason: /control|character|invalid|space/i,
  },
  {
    name: "url with a space in the host",
    ...create({ url: "https://exa mple.com/" }),
    status: 400,
    field: "url",
    reason: /space|host|invalid|character/i,
  },
  {
    name: "url with a space in the path",
    ...create({ url: "https://example.com/a b" }),
    status: 400,
    field: "url",
    reason: /space|invalid|character/i,
  },
  {
    name: "url with a leading space",
    ...create({ url: " https://example.com/" }),
    status: 400,
    field: "url",
    reason: /space|invalid|character|absolute/i,
  },
  {
    name: "url pointing back at Kurt (redirect loop)",
    ...create({ url: `${publicUrl}/abc1234` }),
    status: 400,
    field: "url",
    reason: /loop|kurt|itself|short/i,
  },
  {
    name: "url pointing back at Kurt, scheme in capitals",
    ...create({ url: `${publicUrl.replace("http", "HTTP")}/x` }),
    status: 400,
    field: "url",
    reason: /loop|kurt|itself|short/i,
  },
  { name: "empty url", ...create({ url: "" }), status: 400, field: "url", reason: /required|empty|missing/i },
  { name: "missing url", body: { title: "no url" }, status: 400, field: "url", reason: /required|empty|missing/i },
  // --- codes
  ...[
    ["code too short", "ab", /3|short|length|characters/i],
    ["code too long", "a".repeat(65), /64|long|length|characters/i],
    ["code with a space", "bad code", /character|invalid|A-Za-z/i],
    ["code with a slash", "bad/code", /character|invalid|A-Za-z/i],
    ["code with a dot", "bad.code", /character|invalid|A-Za-z/i],
    ["code with a non-ASCII letter", "caf\u00e9-code", /character|invalid|A-Za-z/i],
    ["empty code", "", /empty|required|short|3|length|characters/i],
    ["reserved code v1", "v1", /reserved|short|3|length/i],
    ["reserved code healthz", "healthz", /reserved/i],
    ["reserved code metrics", "metrics", /reserved/i],
    ["reserved code __ceiling", "__ceiling", /reserved/i],
    ["reserved code HEALTHZ (other letter case)", "HEALTHZ", /reserved/i],
    ["reserved code Metrics (other letter case)", "Metrics", /reserved/i],
  ].map(
    ([name, code, reason]): BadCase => ({
      name: name as string,
      ...create({ code }),
      status: 400,
      field: "code",
      reason: reason as RegExp,
      code: code as string,
    }),
  ),
  // --- redirect status
  ...[303, 0, 200, 399].map(
    (status): BadCase => ({
      name: `redirectStatus ${status}`,
      ...create({ redirectStatus: status }),
      status: 400,
      field: "redirectStatus",
      reason: /301|redirect|status|invalid/i,
    }),
  ),
  // --- wrong JSON types (refused by the transcoder)
  { name: "url as a number", body: { url: 5 }, status: 400, field: "url", reason: /must be a JSON string/i },
  { name: "url as a boolean", body: { url: true }, status: 400, field: "url", reason: /must be a JSON string/i },
  {
    name: "redirectStatus as a word",
    ...create({ redirectStatus: "abc" }),
    status: 400,
    field: "redirectStatus",
    reason: /must be a JSON number/i,
  },
  {
    name: "redirectStatus as a fraction",
    ...create({ redirectStatus: 301.5 }),
    status: 400,
    field: "redirectStatus",
    reason: /without fraction/i,
  },
  {
    name: "title as an object",
    ...create({ title: { text: "x" } }),
    status: 400,
    field: "title",
    reason: /invalid|type|object/i,
  },
  { name: "tags as a string", ...create({ tags: "a,b" }), status: 400, field: "tags", reason: /array/i },
  {
    name: "tags with a number",
    ...create({ tags: ["a", 1] }),
    status: 400,
    field: "tags",
    reason: /invalid|type|string/i,
  },
  { name: "body that is an array", rawBody: "[]", status: 400, reason: /root|message|object/i },
  {
    name: "body that is not JSON",
    rawBody: "url=https://example.com/",
    status: 400,
    reason: /unexpected|invalid|json|token/i,
  },
  { name: "body cut short", rawBody: '{"url": "https://exa', status: 400, reason: /expected|invalid|end|json/i },
  // --- unknown fields (docs/adr/0005-unknown-json-fields.md)
  { name: "unknown field", ...create({ bogus: 1 }), status: 400, field: "bogus", reason: /unknown field/i },
  {
    name: "output-only field shortUrl",
    ...create({ shortUrl: `${publicUrl}/x` }),
    status: 400,
    field: "shortUrl",
    reason: /unknown field/i,
  },
  {
    name: "update-only field disabled on create",
    ...create({ disabled: true }),
    status: 400,
    field: "disabled",
    reason: /unknown field/i,
  },
  {
    name: "code in the body of an update",
    ...patch,
    body: { code: "elsewhere" },
    status: 400,
    field: "code",
    reason: /conflict|unknown|path/i,
  },
  {
    name: "code as a query parameter of a create",
    path: "/v1/links?code=from-query",
    body: { url: ok },
    status: 400,
    field: "code",
    reason: /path|query/i,
    code: "from-query",
  },
  {
    name: "url as a query parameter of a create",
    path: "/v1/links?url=https://example.com/q",
    body: { title: "t" },
    status: 400,
    field: "url",
    reason: /body|query/i,
  },
  {
    name: "delete naming another code in the query",
    method: "DELETE",
    path: `/v1/links/${fixtureCode}?code=someone-elses`,
    status: 400,
    field: "code",
    reason: /path|query/i,
  },
  // --- huge bodies
  {
    name: "body over the 64 KiB limit",
    ...create({ title: "t".repeat(100_000) }),
    status: 413,
    reason: /request body.*larger/i,
  },
  {
    name: "body far over the limit (2 MiB)",
    ...create({ title: "t".repeat(2_000_000) }),
    status: 413,
    reason: /request body.*larger/i,
  },
  // --- timestamps
  {
    name: "expiresAt not a timestamp",
    ...create({ expiresAt: "tomorrow" }),
    status: 400,
    field: "expiresAt",
    reason: /invalid|timestamp|format/i,
  },
  {
    name: "expiresAt with month 13",
    ...create({ expiresAt: "2030-13-01T00:00:00Z" }),
    status: 400,
    field: "expiresAt",
    reason: /invalid|timestamp|format/i,
  },
  {
    name: "expiresAt without a time zone",
    ...create({ expiresAt: "2030-01-01T00:00:00" }),
    status: 400,
    field: "expiresAt",
    reason: /invalid|timestamp|zone|format/i,
  },
  {
    name: "expiresAt in the past",
    ...create({ expiresAt: "2000-01-01T00:00:00Z" }),
    status: 400,
    field: "expiresAt",
    reason: /past|future/i,
  },
  // --- updates of an existing link
  {
    name: "update to a javascript: url",
    ...patch,
    body: { url: "javascript:alert(1)" },
    status: 400,
    field: "url",
    reason: /scheme|http/i,
  },
  {
    name: "update to a loop",
    ...patch,
    body: { url: `${publicUrl}/${fixtureCode}` },
    status: 400,
    field: "url",
    reason: /loop|kurt|itself|short/i,
  },
  {
    name: "update to redirectStatus 303",
    ...patch,
    body: { redirectStatus: 303 },
    status: 400,
    field: "redirectStatus",
    reason: /301|redirect|status|invalid/i,
  },
  {
    name: "update with expiresAt in the past",
    ...patch,
    body: { expiresAt: "2001-01-01T00:00:00Z" },
    status: 400,
    field: "expiresAt",
    reason: /past|future/i,
  },
  {
    name: "update with expiresAt and clearExpiresAt",
    ...patch,
    body: { expiresAt: "2099-01-01T00:00:00Z", clearExpiresAt: true },
    status: 400,
    field: "expiresAt",
    reason: /clear|both|together|conflict/i,
  },
  {
    name: "update with a tag that is not a string",
    ...patch,
    body: { tags: ["ok", 7] },
    status: 400,
    field: "tags",
    reason: /string/i,
  },
  {
    name: "update with an unknown field",
    ...patch,
    body: { colour: "red" },
    status: 400,
    field: "colour",
    reason: /unknown field/i,
  },
  // --- keys and scopes
  { name: "create without a key", ...create({}), key: "none", status: 401, reason: /key|authori[sz]/i },
  {
    name: "create with Basic authorization",
    ...create({}),
    authorization: "Basic dXNlcjpwYXNz",
    status: 401,
    reason: /key|bearer|authori[sz]/i,
  },
  {
    name: "create with an empty Bearer",
    ...create({}),
    authorization: "Bearer ",
    status: 401,
    reason: /key|bearer|authori[sz]/i,
  },
  {
    name: "create with an unknown key",
    ...create({}),
    authorization: "Bearer kurt_0000000000000000",
    status: 401,
    reason: /key|authori[sz]/i,
  },
  { name: "create with a revoked key", ...create({}), key: "revoked", status: 401, reason: /key|revoked|authori[sz]/i },
  {
    name: "update with a revoked key",
    ...patch,
    body: { title: "revoked" },
    key: "revoked",
    status: 401,
    reason: /key|revoked|authori[sz]/i,
  },
  {
    name: "create with a links:read key",
    ...create({}),
    key: "reader",
    status: 403,
    reason: /scope|links:write|permission/i,
  },
  {
    name: "create with a stats:read key",
    ...create({}),
    key: "stats",
    status: 403,
    reason: /scope|links:write|permission/i,
  },
  {
    name: "delete with a links:read key",
    method: "DELETE",
    path: `/v1/links/${fixtureCode}`,
    key: "reader",
    status: 403,
    reason: /scope|links:write|permission/i,
  },
  {
    name: "create an API key with a links:write key",
    path: "/v1/api-keys",
    body: { name: "x", scopes: ["admin"] },
    status: 403,
    reason: /scope|admin|permission/i,
  },
  {
    name: "list API keys with a links:write key",
    method: "GET",
    path: "/v1/api-keys",
    status: 403,
    reason: /scope|admin|permission/i,
  },
  // --- API keys (admin)
  {
    name: "API key with an unknown scope",
    path: "/v1/api-keys",
    authorization: "admin",
    body: { name: "x", scopes: ["links:delete"] },
    status: 400,
    field: "scopes",
    reason: /unknown|scope|invalid/i,
  },
  {
    name: "API key without scopes",
    path: "/v1/api-keys",
    authorization: "admin",
    body: { name: "x", scopes: [] },
    status: 400,
    field: "scopes",
    reason: /at least|required|empty|scope/i,
  },
  {
    name: "API key scopes as a string",
    path: "/v1/api-keys",
    authorization: "admin",
    body: { name: "x", scopes: "admin" },
    status: 400,
    field: "scopes",
    reason: /array/i,
  },
  {
    name: "API key without a name",
    path: "/v1/api-keys",
    authorization: "admin",
    body: { scopes: ["links:read"] },
    status: 400,
    field: "name",
    reason: /required|empty|missing/i,
  },
  // --- maxVisits (issue 15)
  ...[0, -1, -2_147_483_648].map(
    (maxVisits): BadCase => ({
      name: `maxVisits ${maxVisits}`,
      ...create({ maxVisits, code: uniqueCode("mv") }),
      status: 400,
      field: "maxVisits",
      reason: /1|whole number|positive|least/i,
    }),
  ),
  ...[1.5, "5", true, [3], { n: 3 }, 2_147_483_648].map(
    (maxVisits): BadCase => ({
      name: `maxVisits of the wrong type or range: ${JSON.stringify(maxVisits)}`,
      ...create({ maxVisits }),
      status: 400,
      field: "maxVisits",
      reason: /integer|number|whole|int32|range|type|invalid/i,
    }),
  ),
  {
    name: "maxVisits 0 on an update",
    ...patch,
    body: { maxVisits: 0 },
    status: 400,
    field: "maxVisits",
    reason: /1|whole number/i,
  },
  {
    name: "maxVisits together with clearMaxVisits",
    ...patch,
    body: { maxVisits: 5, clearMaxVisits: true },
    status: 400,
    field: "maxVisits",
    reason: /together|clearMaxVisits/i,
  },
  {
    name: "clearMaxVisits not a boolean",
    ...patch,
    body: { clearMaxVisits: "yes" },
    status: 400,
    field: "clearMaxVisits",
    reason: /boolean|true or false|type|invalid/i,
  },
  // --- password
  ...["abc", "", "a".repeat(129), "tab\there", "new\nline", "nul\u0000byte"].map(
    (password): BadCase => ({
      name: `password ${JSON.stringify(password.slice(0, 12))}${password.length > 12 ? "…" : ""} (${password.length} characters) on a create`,
      ...create({ password, code: uniqueCode("pw") }),
      status: 400,
      field: "password",
      reason: /4 to 128|characters|control/i,
    }),
  ),
  ...[1234, true, ["secret"], { value: "secret" }].map(
    (password): BadCase => ({
      name: `password of the wrong type: ${JSON.stringify(password)}`,
      ...create({ password }),
      status: 400,
      field: "password",
      reason: /string|type|invalid/i,
    }),
  ),
  {
    name: "password too short on an update",
    ...patch,
    body: { password: "abc" },
    status: 400,
    field: "password",
    reason: /4 to 128/i,
  },
  // --- rules
  ...[
    ["rules not an array", { device: "ios", url: ok }, /array|list|type|invalid/i],
    ["rules a string", "device=ios", /array|list|type|invalid/i],
    ["a rule that is a string", ["ios"], /object|rule|type|invalid/i],
    ["a rule that is null inside the list", [null], /object|rule|null|type|invalid/i],
    ["a rule that is an array", [["ios", ok]], /object|rule|type|invalid/i],
    ["a rule without a url", [{ device: "ios" }], /url|required/i],
    ["a rule with an empty url", [{ device: "ios", url: "" }], /url|required/i],
    ["a rule without a condition", [{ url: ok }], /condition/i],
    ["a rule with a javascript: url", [{ device: "ios", url: "javascript:alert(1)" }], /scheme|http/i],
    ["a rule with a relative url", [{ device: "ios", url: "/somewhere" }], /absolute|scheme|host|invalid/i],
    ["a rule pointing back at Kurt", [{ device: "ios", url: `${publicUrl}/abc123` }], /loop|Kurt|own/i],
    ["a rule with an unknown device", [{ device: "tablet", url: ok }], /device|ios|android|mobile|desktop/i],
    ["a rule with a device in capitals", [{ device: "IOS", url: ok }], /device|ios/i],
    ["a rule with the country UK (reserved; GB is right)", [{ country: "UK", url: ok }], /country|ISO|alpha-2/i],
    ["a rule with the country XX", [{ country: "XX", url: ok }], /country|ISO/i],
    ["a rule with a three-letter country", [{ country: "DEU", url: ok }], /country|ISO|alpha-2/i],
    ["a rule with an empty country", [{ country: "", url: ok }], /country|ISO/i],
    ["a rule with a language name instead of a subtag", [{ language: "english", url: ok }], /language|subtag/i],
    ["a rule with a full language tag", [{ language: "de-AT", url: ok }], /language|subtag/i],
    ["a rule with a one-letter language", [{ language: "d", url: ok }], /language|subtag/i],
    ["a rule whose query is a string", [{ query: "utm=x", url: ok }], /query|object|type|invalid/i],
    ["a rule whose query has no name", [{ query: { value: "x" }, url: ok }], /name|required/i],
    ["a rule whose query name is empty", [{ query: { name: "" }, url: ok }], /name|required/i],
    ["a rule whose query name is too long", [{ query: { name: "n".repeat(129) }, url: ok }], /name|128|characters/i],
    [
      "a rule whose query value is too long",
      [{ query: { name: "n", value: "v".repeat(1_025) }, url: ok }],
      /value|1024|1,024|characters/i,
    ],
    [
      "a rule whose query value is a number",
      [{ query: { name: "n", value: 5 }, url: ok }],
      /value|string|type|invalid/i,
    ],
    ["a rule whose device is a number", [{ device: 1, url: ok }], /device|string|type|invalid/i],
    ["a rule with an unknown member", [{ device: "ios", url: ok, weight: 2 }], /weight|unknown|member|field/i],
    [
      "a rule whose query has an unknown member",
      [{ query: { name: "n", regex: ".*" }, url: ok }],
      /regex|unknown|member|field/i,
    ],
    ["33 rules", Array.from({ length: 33 }, () => ({ device: "ios", url: ok })), /32|at most|rules/i],
  ].flatMap(([label, rules, reason]): BadCase[] => [
    {
      name: `${label as string} on a create`,
      ...create({ rules, code: uniqueCode("rule") }),
      status: 400,
      field: "rules",
      reason: reason as RegExp,
    },
    {
      name: `${label as string} on an update`,
      ...patch,
      body: { rules },
      status: 400,
      field: "rules",
      reason: reason as RegExp,
    },
  ]),
  // --- batch create
  ...[
    ["a batch without links", {}, /links|at least 1/i],
    ["an empty batch", { links: [] }, /links|at least 1/i],
    [
      "a batch of 1,001 links",
      { links: Array.from({ length: 1_001 }, (_, i) => ({ url: `${ok}/${i}` })) },
      /1,000|1000|at most/i,
    ],
    ["a batch whose links is an object", { links: { url: ok } }, /links|array|type|invalid/i],
    ["a batch whose item is a string", { links: [ok] }, /links|object|type|invalid/i],
    [
      "a batch item with an unknown member",
      { links: [{ url: ok, shortUrl: "x" }] },
      /shortUrl|short_url|unknown|member|field/i,
    ],
    [
      "a batch item whose maxVisits is a string",
      { links: [{ url: ok, maxVisits: "3" }] },
      /maxVisits|max_visits|integer|type|invalid/i,
    ],
    [
      "a batch item whose rule has an unknown member",
      { links: [{ url: ok, rules: [{ device: "ios", url: ok, x: 1 }] }] },
      /unknown|member|field|x/i,
    ],
    [
      "a batch with an unknown top-level member",
      { links: [{ url: ok }], dryRun: true },
      /dryRun|dry_run|unknown|member|field/i,
    ],
  ].map(
    ([label, body, reason]): BadCase => ({
      name: label as string,
      path: "/v1/links:batchCreate",
      body,
      status: 400,
      field: (label as string).includes("unknown top-level") ? "dryRun" : "links",
      reason: reason as RegExp,
    }),
  ),
];

function snake(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function authorizationFor(c: BadCase): Record<string, string> {
  if (c.authorization === "admin") return { authorization: `Bearer ${adminKey()}` };
  if (c.authorization !== undefined) return { authorization: c.authorization };
  const name = c.key ?? "writer";
  return name === "none" ? {} : { authorization: `Bearer ${keys[name]}` };
}

async function writerList(): Promise<string> {
  const answer = await request("GET", "/v1/links?pageSize=100", { key: keys.writer });
  return JSON.stringify(answer.json);
}

async function apiKeyCount(): Promise<number> {
  const answer = await request("GET", "/v1/api-keys?pageSize=1000", { key: adminKey() });
  return (answer.json?.apiKeys ?? []).length;
}

for (const c of cases) {
  const method = c.method ?? (c.body === undefined && c.rawBody === undefined ? "GET" : "POST");
  const path = c.path ?? "/v1/links";
  test(`${c.name}: ${method} ${path.slice(0, 40)} answers ${c.status}${c.field ? ` naming ${c.field}` : ""} and stores nothing`, async () => {
    const before = { table: await linksFingerprint(), list: await writerList(), keys: await apiKeyCount() };
    const answer = await request(method, path, {
      headers: authorizationFor(c),
      ...(c.rawBody !== undefined ? { rawBody: c.rawBody } : c.body !== undefined ? { body: c.body } : {}),
    });
    assert.is(answer.status, c.status, describe(answer));
    assert.match(answer.headers.get("content-type") ?? "", /application\/json/, "a JSON body");
    assert.type(answer.json?.message, "string", `a google.rpc.Status body: ${answer.text.slice(0, 200)}`);
    const message: string = answer.json.message;
    if (c.field) {
      assert.ok(
        message.includes(c.field) || message.includes(snake(c.field)),
        `the message names ${c.field}: ${JSON.stringify(message)}`,
      );
    }
    assert.match(message, c.reason, `the message gives the reason: ${JSON.stringify(message)}`);
    assert.is(await linksFingerprint(), before.table, "the links table is unchanged");
    assert.is(await writerList(), before.list, "the caller's links are unchanged");
    assert.is(await apiKeyCount(), before.keys, "no API key was created");
    if (c.code && CUSTOM_CODE_PATTERN.test(c.code)) {
      assert.is((await getLink(adminKey(), c.code)).status, 404, `no link ${c.code}`);
    }
  });
}

test("the fixture the updates aimed at is exactly as created", async () => {
  assert.equal((await getLink(keys.writer, fixtureCode)).json, fixture);
});

test("a url of exactly 8,192 characters is accepted", async () => {
  const answer = await request("POST", "/v1/links", { key: keys.writer, body: { url: longUrl(8192) } });
  assert.ok(isCreated(answer), describe(answer));
  assert.is(answer.json.url.length, 8192);
});

test("a body in unusual but valid JSON is accepted as it means (the gateway's member check reads it right)", async () => {
  // A title that looks like more members, brackets and escapes inside strings, an escaped member name.
  const title = 'q"}, "bogus": [1, {"c\\"}';
  const rawBody = `{ "\\u0075rl" :\t"https://example.com/unusual?a=1",\n"redirect_status" : 301 ,\n"tags" : [ "a" ,"b" ],\n"title":${JSON.stringify(title)}}`;
  const answer = await request("POST", "/v1/links", { key: keys.writer, rawBody });
  assert.ok(isCreated(answer), describe(answer));
  assert.is(answer.json.url, "https://example.com/unusual?a=1");
  assert.is(answer.json.redirectStatus, 301);
  assert.equal(answer.json.tags, ["a", "b"]);
  assert.is(answer.json.title, title);
});

test("a quoted number for redirectStatus is a string, not a number: 400 (strict input, DESIGN.md §2)", async () => {
  const answer = await request("POST", "/v1/links", { key: keys.writer, body: { url: ok, redirectStatus: "301" } });
  assert.is(answer.status, 400, describe(answer));
  assert.match(answer.json.message, /^redirectStatus: must be a JSON number/);
});

test("an internationalised host is stored in punycode", async () => {
  const answer = await request("POST", "/v1/links", {
    key: keys.writer,
    body: { url: "https://b\u00fccher.example/x" },
  });
  assert.ok(isCreated(answer), describe(answer));
  assert.is(answer.json.url, "https://xn--bcher-kva.example/x");
});

test("the key that made the cases is still usable (no case revoked it)", async () => {
  assert.ok(writerKeyId);
  const answer = await request("GET", "/v1/links?pageSize=1", { key: keys.writer });
  assert.is(answer.status, 200, describe(answer));
});

test.run();
