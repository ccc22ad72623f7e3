/**
 * Property-based fuzzing of the public REST API (issue 12, "Beyond the
 * findings"), with fast-check (docs/adr/0018-fast-check-fuzzing.md).
 *
 * Every generated case is one HTTP request to the gateway: one of the ten
 * REST calls of proto/kurt/v1 (links: create, get, list, update, delete,
 * stats, qr; API keys: create, list, revoke), built valid, then given hostile
 * methods, paths, query strings, headers, keys or bodies. Each case knows
 * what DESIGN.md §2 says of it: `accept` (a valid request: 2xx, or a refusal
 * the stack's state explains, such as 410 for a link already deleted),
 * `refuse` (the contract refuses it: a 4xx), or `any` (the contract does not
 * say; only the invariants below apply).
 *
 * Invariants, for every case:
 *   - an answer within 10 s, and never a 5xx (a 502, 503 or 504 included);
 *   - every 4xx carries a google.rpc.Status JSON body `{code, message, details}`;
 *   - `refuse` cases get a 4xx, `accept` cases succeed;
 *   - a refused request changes nothing: around each batch, the links table
 *     (linksFingerprint, and the rows of the suite's links and of every row
 *     written meanwhile) and the api_keys table are compared, and each change
 *     must be explained by a request of the batch that succeeded and named
 *     that row (in its path, or as the link or key it answered);
 *   - after each batch a plain `GET /v1/links` still answers 200;
 * and after the run, no API key secret and no `access_token` value the suite
 * sent appears in any service's log or in Envoy's access log.
 *
 * Cases are sent with a raw HTTP/1.1 client (node:net): fetch would normalise
 * dot segments, re-encode paths and refuse some methods and header bytes.
 * Batches of BATCH cases run CONCURRENCY at a time; one fast-check run is one
 * batch, so that the state check brackets it. A link that a refused request
 * made or changed is deleted or loses its expiry afterwards, so that one bug
 * (an expiry past 9999 breaks every listing) does not fail the rest of the
 * run; the suite's other links stay, as with the other suites, and the API
 * keys it made are revoked at the end.
 *
 * Run (against the stack of `./kurt up`, same KURT_PORT_BASE/KURT_STATE_DIR):
 *   node --import tsx node_modules/.bin/uvu tests/e2e rest-fuzz
 * Environment:
 *   KURT_FUZZ_RUNS        generated requests, at least (default 10,000)
 *   KURT_FUZZ_SEED        fast-check's seed (default 20261204)
 *   KURT_FUZZ_FAMILY      run one family only (bodies, queries, paths, headers, mixed)
 *   KURT_FUZZ_PATH        replay one batch: fast-check's path, with KURT_FUZZ_FAMILY
 *   KURT_FUZZ_KEEP_GOING  1: do not stop at the first failure; print every
 *                         failure at the end of each family, grouped by
 *                         invariant, call, status and kind of mutation
 * A failure prints fast-check's seed, path and counterexample (the batch, as
 * generated: `{fixture:3}` and the like are the suite's own links, resolved
 * when sent) and, in the error, each failing request as it was sent.
 */
import { connect } from "node:net";
import type { ApiKeyScope } from "@kurt/contract";
import { CUSTOM_CODE_PATTERN } from "@kurt/core/link-code";
import fc from "fast-check";
import pg from "pg";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { adminKey, createApiKey, revokeApiKey } from "../support/api-keys.js";
import { describe, request } from "../support/http-client.js";
import { createLink, isDeleted, uniqueCode } from "../support/links-api.js";
import { linksFingerprint } from "../support/links-table.js";
import { ALL_SERVICE_DAEMONS, type LogMark, markLogs, rawLinesSince, waitForLine } from "../support/service-logs.js";
import { topology } from "../support/stack.js";
import { primaryConnectionString } from "../support/tool.js";

// ---------------------------------------------------------------- settings

function integerFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${raw}`);
  return value;
}

const RUNS = integerFromEnv("KURT_FUZZ_RUNS", 10_000, 1);
const SEED = integerFromEnv("KURT_FUZZ_SEED", 20_261_204, -(2 ** 31));
const ONLY_FAMILY = process.env.KURT_FUZZ_FAMILY || undefined;
const REPLAY_PATH = process.env.KURT_FUZZ_PATH || undefined;
const KEEP_GOING = process.env.KURT_FUZZ_KEEP_GOING === "1";
/** Cases per fast-check run: the unit the state check brackets. */
const BATCH = 8;
/** Requests in flight at once: enough to keep a 2-core machine busy without starving the stack. */
const CONCURRENCY = 4;
const REQUEST_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------- the suite's own links and keys

const FIXTURES = 8; // stable links: read and updated, never deleted by a valid case
const DOOMED = 48; // links the valid deletes take
const GONE = 3; // links deleted during setup
const DOOMED_KEYS = 4; // API keys the valid revokes take

type Role = "admin" | "writer" | "reader" | "stats" | "revoked";
const ROLE_SCOPES: Record<Role, readonly string[]> = {
  admin: ["admin"],
  writer: ["links:write", "links:read"],
  reader: ["links:read"],
  stats: ["stats:read"],
  revoked: [],
};

interface World {
  readonly prefix: string;
  readonly secrets: Record<Role, string>;
  readonly doomedKeyIds: string[];
  /** Every secret the suite made or sent (real keys, made-up tokens): none may reach a log. */
  readonly sentSecrets: Set<string>;
  /** The real keys among them, which test output shows only as placeholders. */
  readonly realSecrets: Set<string>;
  newCodes: number;
}

let world: World | undefined;
let db: pg.Client | undefined;
let logMark: LogMark | undefined;
const suiteKeyIds: string[] = [];

const fixtureCode = (w: World, i: number) => `${w.prefix}-f${i}`;
const doomedCode = (w: World, i: number) => `${w.prefix}-d${i}`;
const goneCode = (w: World, i: number) => `${w.prefix}-g${i}`;
const missingCode = (w: World, i: number) => `${w.prefix}-m${i}`;

// ---------------------------------------------------------------- the cases

type CallName =
  | "createLink"
  | "getLink"
  | "listLinks"
  | "updateLink"
  | "deleteLink"
  | "linkStats"
  | "linkQr"
  | "createApiKey"
  | "listApiKeys"
  | "revokeApiKey";

interface CallSpec {
  readonly method: string;
  /** `{code}` and `{id}` are filled by the base case. */
  readonly template: string;
  readonly scope: string;
  /** Statuses a valid request may get from the state it meets (a link already deleted, the write rate limit). */
  readonly alsoOk: readonly number[];
}

const CALLS: Record<CallName, CallSpec> = {
  createLink: { method: "POST", template: "/v1/links", scope: "links:write", alsoOk: [429] },
  getLink: { method: "GET", template: "/v1/links/{code}", scope: "links:read", alsoOk: [] },
  listLinks: {
    method: "GET",
    template: "/v1/links",
    scope: "links:read",
    alsoOk: [],
  },
  updateLink: { method: "PATCH", template: "/v1/links/{code}", scope: "links:write", alsoOk: [429] },
  deleteLink: {
    method: "DELETE",
    template: "/v1/links/{code}",
    scope: "links:write",
    alsoOk: [404, 410, 429],
  },
  linkStats: {
    method: "GET",
    template: "/v1/links/{code}/stats",
    scope: "stats:read",
    alsoOk: [],
  },
  linkQr: { method: "GET", template: "/v1/links/{code}/qr", scope: "links:read", alsoOk: [] },
  createApiKey: { method: "POST", template: "/v1/api-keys", scope: "admin", alsoOk: [429] },
  listApiKeys: {
    method: "GET",
    template: "/v1/api-keys",
    scope: "admin",
    alsoOk: [],
  },
  revokeApiKey: { method: "DELETE", template: "/v1/api-keys/{id}", scope: "admin", alsoOk: [429] },
};

/** Methods no call binds to each path template: any of them is refused. */
const FOREIGN_METHODS: Record<string, readonly string[]> = {
  "/v1/links": ["PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "FUZZ"],
  "/v1/links/{code}": ["POST", "PUT", "TRACE", "MKCOL", "FUZZ"],
  "/v1/links/{code}/stats": ["POST", "PUT", "PATCH", "DELETE", "FUZZ"],
  "/v1/links/{code}/qr": ["POST", "PUT", "PATCH", "DELETE", "FUZZ"],
  "/v1/api-keys": ["PUT", "PATCH", "DELETE", "TRACE", "FUZZ"],
  "/v1/api-keys/{id}": ["GET", "POST", "PUT", "PATCH", "FUZZ"],
};

const roleAllows = (role: Role, scope: string) =>
  ROLE_SCOPES[role].includes("admin") || ROLE_SCOPES[role].includes(scope);

type Expect = "accept" | "refuse" | "any";
/** What a mutation does to a valid request, by DESIGN.md §2: keeps it valid, makes it invalid, or the contract is silent. */
type Effect = "valid" | "invalid" | "unknown";

type Auth =
  | { readonly kind: "key"; readonly role: Role }
  | { readonly kind: "none" }
  /** `{secret:ROLE}` in it is replaced by that key's secret when sent. */
  | { readonly kind: "raw"; readonly value: string }
  | { readonly kind: "twice"; readonly first: string; readonly second: string };

/**
 * One generated request, as fast-check prints it. Placeholders, replaced when
 * it is sent: `{fixture:N}`, `{doomed:N}`, `{gone:N}`, `{missing:N}` (the
 * suite's links), `{new}` (a fresh custom code), `{doomedKey:N}` (an API key
 * id), `{secret:ROLE}`; `|upper` or `|pct` after the name spells it in capitals or
 * percent-encodes every character. `⟨ff⟩` is the raw byte 0xff.
 */
interface FuzzCase {
  readonly call: CallName;
  readonly mutations: readonly string[];
  readonly expect: Expect;
  readonly alsoOk: readonly number[];
  readonly method: string;
  readonly target: string;
  readonly auth: Auth;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: string;
}

/** A JSON body as members (name, JSON text of the value), rendered once every mutation is in. */
interface JsonBody {
  members: [string, string][];
  open: string;
  close: string;
  separator: string;
  colon: string;
  /** How the first member's name is written: a JSON string, with an escape, bare, in single quotes. */
  firstName: "json" | "escaped" | "bare" | "single";
  /** Applied in order to the rendered text. */
  edits: ((text: string) => string)[];
}

interface Draft {
  call: CallName;
  method: string;
  path: string;
  query: string[];
  auth: Auth;
  headers: [string, string][];
  json?: JsonBody;
  /** A body sent as is (no JSON rendering). */
  rawBody?: string;
  labels: string[];
  /** The effect of the last mutation of each slot (a member, a header, the key…): a later one on the same slot replaces it. */
  effects: Map<string, Effect>;
  /** HEAD, OPTIONS, a lowercase method: the contract says nothing of the rest of the request. */
  looseMethod: boolean;
  /** A method no call binds to the path: refused, whatever else the request says. */
  foreignMethod: boolean;
}

/**
 * What a mutation changed: a slot, whose earlier effect it replaces (`member:url`,
 * `auth`, `header:content-type`…; `body` replaces every member too), UNIQUE
 * for a change that adds to the others, or NOTHING when the request gave it
 * nothing to change (a path another mutation already rewrote): its effect
 * then does not count.
 */
const UNIQUE = Symbol("unique");
const NOTHING = Symbol("nothing");
type Slot = string | typeof UNIQUE | typeof NOTHING;

interface Mutation {
  readonly label: string;
  readonly effect: Effect;
  readonly apply: (draft: Draft) => Slot;
}

const mutation = (label: string, effect: Effect, apply: (draft: Draft) => Slot): Mutation => ({
  label,
  effect,
  apply,
});

function applyMutation(draft: Draft, m: Mutation, index: number): void {
  const slot = m.apply(draft);
  if (slot === NOTHING) {
    draft.labels.push(`${m.label} (nothing to change)`);
    return;
  }
  draft.labels.push(m.label);
  if (slot === "body" || slot === "members")
    for (const key of [...draft.effects.keys()])
      if (key.startsWith("member:") || key === "json:name" || (slot === "body" && key.startsWith("json:")))
        draft.effects.delete(key);
  draft.effects.set(slot === UNIQUE ? `#${index}` : slot, m.effect);
}

function renderJson(body: JsonBody): string {
  const members = body.members.map(([name, value], index) => {
    let key = JSON.stringify(name);
    if (index === 0 && body.firstName === "escaped" && name !== "")
      key = `"\\u${name.charCodeAt(0).toString(16).padStart(4, "0")}${JSON.stringify(name).slice(2)}`;
    if (index === 0 && body.firstName === "bare") key = name;
    if (index === 0 && body.firstName === "single") key = `'${name}'`;
    return `${key}${body.colon}${value}`;
  });
  const text = `${body.open}${members.join(body.separator)}${body.close}`;
  return body.edits.reduce((current, edit) => edit(current), text);
}

function finish(draft: Draft): FuzzCase {
  const spec = CALLS[draft.call];
  let expect: Expect;
  if (draft.looseMethod) expect = "any";
  else if (draft.foreignMethod || [...draft.effects.values()].includes("invalid")) expect = "refuse";
  else if ([...draft.effects.values()].includes("unknown")) expect = "any";
  else expect = "accept";
  const query = draft.query.length > 0 ? `?${draft.query.join("&")}` : "";
  const body = draft.rawBody ?? (draft.json ? renderJson(draft.json) : undefined);
  return {
    call: draft.call,
    mutations: draft.labels,
    expect,
    alsoOk: spec.alsoOk,
    method: draft.method,
    target: `${draft.path}${query}`,
    auth: draft.auth,
    headers: draft.headers,
    ...(body === undefined ? {} : { body }),
  };
}

// ---- valid values

const VALID_URLS = [
  "https://example.com/fuzz",
  "http://example.org/a/b?c=d&e=f#g",
  "https://sub.example.net:8443/p%20q/r",
  "https://xn--bcher-kva.example/x",
  "https://b\u00fccher.example/\u00fc",
  "HTTPS://EXAMPLE.COM/UPPER",
  `https://example.com/${"long/".repeat(300)}`,
];
const VALID_EXPIRY = [
  "2090-01-01T00:00:00Z",
  "2099-12-31T23:59:59.999Z",
  "2085-06-15T12:30:00+02:00",
  "2088-02-29T00:00:00.123456789Z",
];
const VALID_TITLES = [
  "",
  "Fuzz",
  "B\u00fccher \u65e5\u672c\u8a9e \ud83d\ude00",
  "t".repeat(200),
  'quote " and \\ backslash',
  "<script>alert(1)</script>",
  "'; drop table links; --",
];
const VALID_TAGS = ["a", "campaign:spring-24", "v1.2", "x_y-z", "A".repeat(50), "fuzz"];
const SCOPES: readonly ApiKeyScope[] = ["links:write", "links:read", "stats:read", "admin"];

const json = (value: unknown) => JSON.stringify(value);
const arbUrl = fc.constantFrom(...VALID_URLS).map(json);
const arbRedirectStatus = fc.constantFrom("301", "302", "307", "308");
const arbCacheSeconds = fc.oneof(
  fc.constantFrom("0", "1", "31536000"),
  fc.integer({ min: 0, max: 31_536_000 }).map(String),
);
const arbExpiry = fc.constantFrom(...VALID_EXPIRY).map(json);
const arbTitle = fc.constantFrom(...VALID_TITLES).map(json);
const arbTags = fc.array(fc.constantFrom(...VALID_TAGS), { maxLength: 20 }).map(json);
const arbKeyName = fc.constantFrom("fuzz", "ci key", "\u65e5\u672c", "k".repeat(100)).map(json);
const arbScopes = fc.subarray([...SCOPES], { minLength: 1 }).map(json);

// ---- base cases: one valid request per call

interface Base {
  readonly call: CallName;
  readonly code?: string;
  readonly members?: [string, string][];
  readonly query?: string[];
  readonly role: Role;
}

const rolesFor = (scope: string) => (Object.keys(ROLE_SCOPES) as Role[]).filter((role) => roleAllows(role, scope));

const arbRole = (call: CallName) => fc.constantFrom(...rolesFor(CALLS[call].scope));
const arbFixture = fc.integer({ min: 0, max: FIXTURES - 1 }).map((i) => `{fixture:${i}}`);
const arbDoomed = fc.integer({ min: 0, max: DOOMED - 1 }).map((i) => `{doomed:${i}}`);

/** Optional members, each present or not. */
function optionalMembers(entries: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<[string, string][]> {
  return fc
    .record(
      Object.fromEntries(Object.entries(entries).map(([name, arb]) => [name, fc.option(arb, { nil: undefined })])),
    )
    .map((record) =>
      Object.entries(record).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, value] as [string, string]],
      ),
    );
}

const arbCreateMembers = fc
  .tuple(
    arbUrl,
    optionalMembers({
      code: fc.constant('"{new}"'),
      redirectStatus: arbRedirectStatus,
      cacheSeconds: arbCacheSeconds,
      expiresAt: arbExpiry,
      title: arbTitle,
      tags: arbTags,
    }),
  )
  .map(([url, rest]): [string, string][] => [["url", url], ...rest]);

const arbUpdateMembers = optionalMembers({
  url: arbUrl,
  redirectStatus: arbRedirectStatus,
  cacheSeconds: arbCacheSeconds,
  expiresAt: arbExpiry,
  disabled: fc.constantFrom("true", "false"),
  title: arbTitle,
  tags: fc.oneof(arbTags, fc.constant("[]")),
}).chain((members) =>
  // clearExpiresAt goes without expiresAt; an update with no member at all is valid too.
  members.some(([name]) => name === "expiresAt")
    ? fc.constant(members)
    : fc.boolean().map((clear): [string, string][] => (clear ? [...members, ["clearExpiresAt", "true"]] : members)),
);

const STATS_QUERIES: readonly (readonly string[])[] = [
  [],
  ["interval=day"],
  ["interval=hour"],
  ["interval=HOUR"],
  ["from=2026-11-01T00:00:00Z", "to=2026-11-08T00:00:00Z", "interval=hour"],
  ["from=2026-01-01T00:00:00Z", "to=2026-12-01T00:00:00Z", "interval=Day"],
  ["to=2026-11-08T00:00:00.5Z"],
];

const QR_QUERIES: readonly (readonly string[])[] = [
  [],
  ["format=svg"],
  ["format=png"],
  ["size=128"],
  ["format=png", "size=1024"],
  ["size=300", "format=svg"],
];

const arbBase: Record<CallName, fc.Arbitrary<Base>> = {
  createLink: fc.record({ call: fc.constant("createLink"), members: arbCreateMembers, role: arbRole("createLink") }),
  getLink: fc.record({ call: fc.constant("getLink"), code: arbFixture, role: arbRole("getLink") }),
  listLinks: fc.record({
    call: fc.constant("listLinks"),
    query: fc.constantFrom([], ["pageSize=1"], ["pageSize=100"], ["page_size=1000"], ["pageSize=0"], ["pageToken="]),
    role: arbRole("listLinks"),
  }),
  updateLink: fc.record({
    call: fc.constant("updateLink"),
    code: arbFixture,
    members: arbUpdateMembers,
    role: arbRole("updateLink"),
  }),
  deleteLink: fc.record({ call: fc.constant("deleteLink"), code: arbDoomed, role: arbRole("deleteLink") }),
  linkStats: fc.record({
    call: fc.constant("linkStats"),
    code: arbFixture,
    query: fc.constantFrom(...STATS_QUERIES).map((q) => [...q]),
    role: arbRole("linkStats"),
  }),
  linkQr: fc.record({
    call: fc.constant("linkQr"),
    code: arbFixture,
    query: fc.constantFrom(...QR_QUERIES).map((q) => [...q]),
    role: arbRole("linkQr"),
  }),
  createApiKey: fc.record({
    call: fc.constant("createApiKey"),
    members: fc.tuple(arbKeyName, arbScopes).map(([name, scopes]): [string, string][] => [
      ["name", name],
      ["scopes", scopes],
    ]),
    role: arbRole("createApiKey"),
  }),
  listApiKeys: fc.record({
    call: fc.constant("listApiKeys"),
    query: fc.constantFrom([], ["pageSize=2"], ["page_size=500"]),
    role: arbRole("listApiKeys"),
  }),
  revokeApiKey: fc.record({
    call: fc.constant("revokeApiKey"),
    code: fc.integer({ min: 0, max: DOOMED_KEYS - 1 }).map((i) => `{doomedKey:${i}}`),
    role: arbRole("revokeApiKey"),
  }),
};

/** Which calls a case is built from, weighted: mostly the link calls, rarely an API key made. */
const CALL_WEIGHTS: readonly [CallName, number][] = [
  ["createLink", 6],
  ["getLink", 3],
  ["listLinks", 2],
  ["updateLink", 6],
  ["deleteLink", 3],
  ["linkStats", 3],
  ["linkQr", 2],
  ["createApiKey", 2],
  ["listApiKeys", 1],
  ["revokeApiKey", 1],
];

function draftOf(base: Base): Draft {
  const spec = CALLS[base.call];
  const path = spec.template.replace("{code}", base.code ?? "").replace("{id}", base.code ?? "");
  const draft: Draft = {
    call: base.call,
    method: spec.method,
    path,
    query: [...(base.query ?? [])],
    auth: { kind: "key", role: base.role },
    headers: [],
    labels: [],
    effects: new Map(),
    looseMethod: false,
    foreignMethod: false,
  };
  if (base.members) {
    draft.json = {
      members: base.members,
      open: "{",
      close: "}",
      separator: ",",
      colon: ":",
      firstName: "json",
      edits: [],
    };
    draft.headers.push(["content-type", "application/json"]);
  }
  return draft;
}

const hasBody = (call: CallName) => call === "createLink" || call === "updateLink" || call === "createApiKey";
const hasCode = (call: CallName) => CALLS[call].template.includes("{code}");

// ---- body mutations

type FieldKind = "url" | "code" | "status" | "seconds" | "timestamp" | "title" | "tags" | "bool" | "name" | "scopes";

const BODY_FIELDS: Partial<Record<CallName, Record<string, FieldKind>>> = {
  createLink: {
    url: "url",
    code: "code",
    redirectStatus: "status",
    cacheSeconds: "seconds",
    expiresAt: "timestamp",
    title: "title",
    tags: "tags",
  },
  updateLink: {
    url: "url",
    redirectStatus: "status",
    cacheSeconds: "seconds",
    expiresAt: "timestamp",
    disabled: "bool",
    clearExpiresAt: "bool",
    title: "title",
    tags: "tags",
  },
  createApiKey: { name: "name", scopes: "scopes" },
};

/** JSON values of the wrong type for each kind of field (DESIGN.md §2: refused with 400). */
const WRONG_TYPES: Record<FieldKind, readonly string[]> = {
  url: ["5", "true", "[]", "{}", '["https://example.com/"]'],
  code: ["5", "true", '["abc-def"]', '{"code":"abc"}'],
  status: ['"abc"', "true", "[301]", "{}", "301.5", '"301.5"', '"0x12d"'],
  seconds: ['"soon"', "false", "[60]", "{}", "0.5", '"1e400"'],
  timestamp: ["12345", "true", "{}", '{"seconds":4102444800}', '["2090-01-01T00:00:00Z"]', "4102444800"],
  title: ["5", "true", '{"text":"x"}', '["x"]', '[[["x"]]]'],
  tags: ['"a"', '"a,b"', "5", '{"a":1}', "[1]", "[true]", "[null]", '[["a"]]', '[{"a":1}]', "[[]]", '[["a","b"],"c"]'],
  bool: ['"yes"', '"true"', "1", "0", '"false"', "[]", "{}", "[true]"],
  name: ["5", "[]", "{}", "true", '["fuzz"]'],
  scopes: ['"admin"', "[1]", '[["admin"]]', "{}", '"links:read"', "[null]"],
};

/** Values of the right type that the contract refuses. */
const BAD_VALUES: Record<FieldKind, readonly string[]> = {
  url: [
    '""',
    '"javascript:alert(1)"',
    '"ftp://example.com/f"',
    '"http://"',
    '"example.com/page"',
    '"//example.com/page"',
    '"https://exa mple.com/"',
    '"https://example.com/\\u0000"',
    '"https://example.com/a\\nb"',
    json(`https://example.com/${"a".repeat(8200)}`),
    '"http://127.0.0.1/loop"',
    '"http://[::1]/loop"',
    '"http://0.0.0.0/loop"',
  ],
  code: [
    '""',
    '"ab"',
    json("x".repeat(65)),
    '"bad code"',
    '"a/b"',
    '"a.b"',
    '"caf\u00e9"',
    '"v1"',
    '"healthz"',
    '"HEALTHZ"',
  ],
  status: ["0", "200", "303", "399", "-301", "2147483648", "1e10", "1e999", "-1e999", "99999999999999999999"],
  seconds: ["-1", "31536001", "2147483648", "1e999", "-2147483649", "99999999999999999999"],
  timestamp: [
    '"tomorrow"',
    '""',
    '"2030-13-01T00:00:00Z"',
    '"2030-02-30T00:00:00Z"',
    '"2030-01-01T00:00:00"',
    '"2030-01-01T25:00:00Z"',
    '"2000-01-01T00:00:00Z"',
    '"1969-12-31T23:59:59Z"',
    '"0001-01-01T00:00:00Z"',
    '"9999-12-31T23:59:59Z"',
    '"2200-01-01T00:00:00Z"',
    '"10000-01-01T00:00:00Z"',
    '"-2030-01-01T00:00:00Z"',
  ],
  title: [json("t".repeat(201)), '"a\\u0001b"', '"line\\nbreak"', '"tab\\tin title"'],
  tags: [
    '["bad tag"]',
    '[""]',
    '["caf\u00e9"]',
    json(Array.from({ length: 21 }, (_, i) => `t${i}`)),
    json(["a".repeat(51)]),
  ],
  bool: [],
  name: ['""', '"   "', json("n".repeat(101)), '"a\\u0007b"'],
  scopes: ["[]", '["links:delete"]', '["ADMIN"]', '[""]', '["admin "]'],
};

/** Member names the request message has no field for. */
const UNKNOWN_MEMBERS: Record<string, readonly string[]> = {
  createLink: [
    "bogus",
    "shortUrl",
    "createdAt",
    "visits",
    "URL",
    "Url",
    "url ",
    "__proto__",
    "constructor",
    "disabled",
    "clearExpiresAt",
    "expiresAt.seconds",
    "tags.values",
    "",
  ],
  updateLink: ["bogus", "code", "shortUrl", "updatedAt", "Title", "__proto__", "expires_at.seconds", "tags.values", ""],
  createApiKey: ["id", "secret", "createdAt", "Scopes", "__proto__", "bogus"],
};

const ARRAY_MEMBER: Partial<Record<CallName, string>> = {
  createLink: "tags",
  updateLink: "tags",
  createApiKey: "scopes",
};

function setMember(draft: Draft, name: string, value: string): Slot {
  const body = draft.json;
  if (!body || draft.rawBody !== undefined) return NOTHING;
  const index = body.members.findIndex(([member]) => member === name);
  if (index >= 0) body.members[index] = [name, value];
  else body.members.push([name, value]);
  return `member:${name}`;
}

/** A change to a JSON body still rendered from its members. */
function withJson(draft: Draft, slot: Slot, change: (body: JsonBody) => void): Slot {
  if (!draft.json || draft.rawBody !== undefined) return NOTHING;
  change(draft.json);
  return slot;
}

const firstStringMember = (draft: Draft): string =>
  draft.json?.members.find(([, value]) => value.startsWith('"'))?.[0] ?? "title";

/** Member-level mutations: valid JSON text, wrong members. */
function arbMemberMutation(call: CallName): fc.Arbitrary<Mutation> {
  const fields = Object.entries(BODY_FIELDS[call] ?? {});
  const fieldNames = fields.map(([name]) => name);
  const kindOf = (name: string) => BODY_FIELDS[call]?.[name] as FieldKind;
  const wrongType = fc
    .constantFrom(...fieldNames)
    .chain((name) =>
      fc
        .constantFrom(...WRONG_TYPES[kindOf(name)])
        .map((value) =>
          mutation(`body: wrong JSON type [${name}: ${value}]`, "invalid", (d) => setMember(d, name, value)),
        ),
    );
  const badNames = fieldNames.filter((name) => BAD_VALUES[kindOf(name)].length > 0);
  const badValue = fc
    .constantFrom(...badNames)
    .chain((name) =>
      fc
        .constantFrom(...BAD_VALUES[kindOf(name)])
        .map((value) =>
          mutation(`body: value against the rules [${name}: ${value.slice(0, 40)}]`, "invalid", (d) =>
            setMember(d, name, value),
          ),
        ),
    );
  const unknown = fc
    .constantFrom(...(UNKNOWN_MEMBERS[call] ?? ["bogus"]))
    .map((name) => mutation(`body: unknown member [${json(name)}]`, "invalid", (d) => setMember(d, name, '"x"')));
  const nullMember = fc
    .constantFrom(...fieldNames)
    .map((name) => mutation(`body: null member [${name}]`, "unknown", (d) => setMember(d, name, "null")));
  const duplicate = fc.constantFrom(...fieldNames).map((name) =>
    mutation(`body: member given twice [${name}]`, "unknown", (d) =>
      withJson(d, UNIQUE, (body) => {
        const present = body.members.find(([member]) => member === name);
        body.members.push([name, present ? present[1] : "null"]);
      }),
    ),
  );
  const bothSpellings = fc.constant(
    mutation("body: a member in both spellings", "unknown", (d) => {
      const camel = d.json?.members.find(([member]) => /[A-Z]/.test(member));
      if (!camel) return NOTHING;
      return withJson(d, UNIQUE, (body) => {
        body.members.push([camel[0].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), camel[1]]);
      });
    }),
  );
  const deepNesting = fc
    .constantFrom(64, 5_000)
    .map((depth) =>
      mutation(`body: nested arrays [${firstField(call)}, ${depth} deep]`, "invalid", (d) =>
        setMember(d, firstField(call), `${"[".repeat(depth)}${"]".repeat(depth)}`),
      ),
    );
  const huge = fc
    .constantFrom(70_000, 300_000)
    .map((size) =>
      mutation(`body: over 64 KiB [${size.toLocaleString("en")} bytes]`, "invalid", (d) =>
        setMember(d, firstField(call), json("h".repeat(size))),
      ),
    );
  // An update without members changes nothing and is valid; a create or an API key needs its required members.
  const missingRequired = fc.constant(
    mutation("body: empty object", call === "updateLink" ? "valid" : "invalid", (d) =>
      withJson(d, "members", (body) => {
        body.members = [];
      }),
    ),
  );
  const clearAndSet =
    call === "updateLink"
      ? fc.constant(
          mutation("body: expiresAt with clearExpiresAt", "invalid", (d) => {
            setMember(d, "clearExpiresAt", "true");
            return setMember(d, "expiresAt", '"2090-01-01T00:00:00Z"');
          }),
        )
      : wrongType;
  return fc.oneof(
    { arbitrary: wrongType, weight: 5 },
    { arbitrary: badValue, weight: 5 },
    { arbitrary: unknown, weight: 4 },
    { arbitrary: nullMember, weight: 1 },
    { arbitrary: duplicate, weight: 1 },
    { arbitrary: bothSpellings, weight: 1 },
    { arbitrary: deepNesting, weight: 1 },
    { arbitrary: huge, weight: 1 },
    { arbitrary: missingRequired, weight: 1 },
    { arbitrary: clearAndSet, weight: 1 },
  );
}

const firstField = (call: CallName) => (call === "createApiKey" ? "name" : "title");

const INVALID_UTF8 = ["⟨ff⟩", "⟨c0 af⟩", "⟨80⟩", "⟨e2 82⟩", "⟨ed a0 80⟩", "⟨f8 88 80 80 80⟩", "⟨fe fe ff ff⟩"];

/** Text-level mutations: the body stops being RFC 8259 JSON (or, for a few, stays it in an unusual way). */
function arbSyntaxMutation(call: CallName): fc.Arbitrary<Mutation> {
  const arrayMember = ARRAY_MEMBER[call] ?? "tags";
  const arrayItem = call === "createApiKey" ? '"links:read"' : '"fuzz"';
  const edit = (label: string, effect: Effect, change: (text: string) => string) =>
    mutation(label, effect, (d) =>
      withJson(d, UNIQUE, (body) => {
        body.edits.push(change);
      }),
    );
  const options = (label: string, effect: Effect, slot: string, change: (body: JsonBody) => void) =>
    mutation(label, effect, (d) =>
      // How the first member's name is written needs a first member.
      slot === "name" && d.json?.members.length === 0 ? NOTHING : withJson(d, `json:${slot}`, change),
    );
  const value = (label: string, text: string) =>
    mutation(label, "invalid", (d) => setMember(d, firstStringMember(d), text));
  return fc.oneof(
    fc.constant(options("json: unquoted member name", "invalid", "name", (b) => (b.firstName = "bare"))),
    fc.constant(options("json: single-quoted member name", "invalid", "name", (b) => (b.firstName = "single"))),
    fc.constant(value("json: single-quoted string", "'https://example.com/single'")),
    fc.constant(edit("json: trailing comma in the object", "invalid", (t) => t.replace(/}$/, ",}"))),
    fc.constant(
      mutation("json: trailing comma in an array", "invalid", (d) =>
        setMember(d, arrayMember, `[${arrayItem},${arrayItem},]`),
      ),
    ),
    fc
      .constantFrom(["\\f", "\f"], ["\\v", "\v"], ["NBSP", "\u00a0"], ["U+2028", "\u2028"], ["U+FEFF", "\ufeff"])
      .map(([name, space]) =>
        options(`json: not JSON whitespace [${name}]`, "invalid", "open", (b) => (b.open = `{${space}`)),
      ),
    fc
      .constantFrom("/* fuzz */", "// fuzz\n", "# fuzz\n")
      .map((comment) =>
        options(`json: comment [${json(comment.trim())}]`, "invalid", "open", (b) => (b.open = `{${comment}`)),
      ),
    fc
      .constantFrom("NaN", "Infinity", "-Infinity", "0301", "+301", ".5", "0x12D", "1.", "True", "None", "undefined")
      .chain((literal) =>
        fc
          .constantFrom(...Object.keys(BODY_FIELDS[call] ?? { title: "title" }))
          .map((name) =>
            mutation(`json: not a JSON value [${name}: ${literal}]`, "invalid", (d) => setMember(d, name, literal)),
          ),
      ),
    fc
      .constantFrom(...INVALID_UTF8)
      .map((bytes) => value(`json: invalid UTF-8 in a string [${bytes}]`, `"ab${bytes}cd"`)),
    fc
      .constantFrom("\u0001", "\t", "\n", "\u001f", "\u0000")
      .map((control) =>
        value(
          `json: raw control character in a string [U+${control.charCodeAt(0).toString(16).padStart(4, "0")}]`,
          `"a${control}b"`,
        ),
      ),
    fc
      .constantFrom("\\x41", "\\'", "\\u12", "\\U0041", "\\a")
      .map((sequence) => value(`json: invalid escape [${sequence}]`, `"a${sequence}b"`)),
    fc
      .integer({ min: 1, max: 99 })
      .map((percent) =>
        edit(`json: truncated [at ${percent}%]`, "invalid", (t) =>
          t.slice(0, Math.max(1, Math.min(t.length - 1, Math.floor((t.length * percent) / 100)))),
        ),
      ),
    fc
      .constantFrom(" x", "}", "{}", ",", "\u0000", "]")
      .map((tail) => edit(`json: text after the object [${json(tail)}]`, "invalid", (t) => `${t}${tail}`)),
    fc.constantFrom("[]", "[{}]", '"x"', "1", "true", "{", "}").map((whole) =>
      mutation(`json: body not an object [${json(whole)}]`, "invalid", (d) => {
        d.rawBody = whole;
        return "body";
      }),
    ),
    fc.constantFrom("null", "", " ").map((whole) =>
      mutation(`json: body null or empty [${json(whole)}]`, "unknown", (d) => {
        d.rawBody = whole;
        return "body";
      }),
    ),
    fc.constant(edit("json: byte order mark", "unknown", (t) => `⟨ef bb bf⟩${t}`)),
    // Unusual but valid RFC 8259: the request stays valid.
    fc.constant(
      options("json: every kind of JSON whitespace", "valid", "open", (b) => {
        b.open = "{ \t\r\n";
        b.close = "\n\t }";
        b.separator = " ,\r\n\t";
        b.colon = " \t:\n ";
      }),
    ),
    fc.constant(options("json: escaped member name", "valid", "name", (b) => (b.firstName = "escaped"))),
    fc.constant(
      mutation("json: members reversed", "valid", (d) =>
        withJson(d, UNIQUE, (b) => {
          b.members.reverse();
        }),
      ),
    ),
    fc.constant(
      mutation("json: proto field names", "valid", (d) =>
        withJson(d, UNIQUE, (b) => {
          b.members = b.members.map(([name, v]) => [name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]);
        }),
      ),
    ),
    // proto3 JSON reads "301" as 301 (docs/adr/0005), DESIGN.md §2 calls a string for a number the wrong type.
    fc
      .constantFrom<[string, string]>(
        ...(call === "createApiKey"
          ? [["name", '"fuzz"'] as [string, string]]
          : [["redirectStatus", '"301"'] as [string, string], ["cacheSeconds", '"60"'] as [string, string]]),
      )
      .map(([name, text]) =>
        mutation(`json: number as a string [${name}: ${text}]`, name === "name" ? "valid" : "unknown", (d) =>
          setMember(d, name, text),
        ),
      ),
  );
}

// ---- query mutations

const UNKNOWN_PARAMS = [
  "foo=bar",
  "utm_source=fuzz",
  "callback=alert",
  "fields=code",
  "alt=json",
  "%24alt=json",
  "prettyPrint=false",
  "_=1",
  "a%5Bb%5D=1",
  "%00=1",
  "key=AIza",
  `long=${"q".repeat(10_000)}`,
];

/** Fields of the request bodies: as query parameters they are refused (`body: "*"`), and so on every other call. */
const BODY_FIELD_PARAMS = [
  "url=https%3A%2F%2Fexample.com%2Fq",
  "title=from-query",
  "title=a+b",
  "%74itle=encoded",
  "redirectStatus=301",
  "redirect_status=307",
  "cacheSeconds=60",
  "expiresAt=2090-01-01T00:00:00Z",
  "expiresAt.seconds=4102444800",
  "expires_at.seconds=253402300800",
  "expiresAt.nanos=5",
  "tags=x",
  "tags.values=x",
  "tags.values.string_value=x",
  "disabled=true",
  "clearExpiresAt=true",
  "clear_expires_at=true",
  "name=from-query",
  "scopes=admin",
];

const PATH_FIELD_PARAMS = ["code={fixture:0}", "code={missing:0}", "id={doomedKey:0}", "id=x"];

interface ParamValues {
  readonly valid: readonly string[];
  readonly invalid: readonly string[];
  readonly unknown: readonly string[];
}

const PAGE_PARAMS: Record<string, ParamValues> = {
  pageSize: {
    valid: ["1", "7", "1000", "5000", "0"],
    invalid: ["abc", "1.5", "%E2%91%A0", "true"],
    unknown: ["", "0x10", "-1", "2147483648", "99999999999999999999", "1e2", "+5", "%205", "05"],
  },
  pageToken: { valid: [""], invalid: [], unknown: ["zzz", "%00", "eyJ4IjoxfQ", "a".repeat(2000), "-1"] },
};

const STATS_PARAMS: Record<string, ParamValues> = {
  // Valid ranges come from the base cases (STATS_QUERIES): a lone `from` is valid only while it lies within a year of now.
  from: {
    valid: [],
    invalid: [
      "yesterday",
      "2026-13-01T00:00:00Z",
      "1969-12-31T23:59:59Z",
      "0001-01-01T00:00:00Z",
      "10000-01-01T00:00:00Z",
      "-0001-01-01T00:00:00Z",
      "1",
    ],
    unknown: ["2026-11-01T00:00:00Z", "2026-11-30T00:00:00%2B01:00", "2026-11-30T00:00:00+01:00", "2026-11-30"],
  },
  to: {
    valid: [],
    invalid: ["soon", "9999-13-31T00:00:00Z", "1960-01-01T00:00:00Z", "99999-01-01T00:00:00Z"],
    unknown: ["2026-11-08T00:00:00Z", "2030-01-01T00:00:00Z", "2026-11-08T00:00:00.999999999Z"],
  },
  // By hour, a range may span 31 days at most, and some base ranges are longer.
  interval: {
    valid: ["day", "Day", "DAY"],
    invalid: ["week", "1h", "hours", "%00"],
    unknown: ["hour", "HOUR", "", "0", "1", "2", "STATS_INTERVAL_UNSPECIFIED", "hour&interval=day"],
  },
  "from.seconds": {
    valid: [],
    invalid: ["-1", "-62135596801", "253402300800", "9223372036854775807", "99999999999999999999", "1e309", "abc"],
    unknown: ["1764547200", "0"],
  },
  "to.seconds": {
    valid: [],
    invalid: ["-99999999999", "253402300800", "9223372036854775808", "NaN"],
    unknown: ["1764547200"],
  },
  "from.nanos": { valid: [], invalid: ["-1", "1000000000", "2147483648", "x"], unknown: ["5"] },
};

const QR_PARAMS: Record<string, ParamValues> = {
  format: {
    valid: ["svg", "png"],
    invalid: ["gif", "PNG", "Svg", "", "jpeg", "svg%00", "%73vg%20"],
    // Twice: the transcoder refuses a proto3 optional set twice, in its own words.
    unknown: ["png&format=gif"],
  },
  size: {
    valid: ["128", "256", "1024"],
    // `+` is a space in a query (query_param_unescape_plus), and " 200" no number.
    invalid: ["0", "-1", "127", "1025", "99999", "abc", "1.5", "1e3", "", "+200", "2147483648", "0x100"],
    unknown: ["0256", "%2B200"],
  },
};

function arbParam(values: Record<string, ParamValues>): fc.Arbitrary<Mutation> {
  const options: fc.Arbitrary<Mutation>[] = [];
  for (const [name, { valid, invalid, unknown }] of Object.entries(values)) {
    for (const [effect, list] of [
      ["valid", valid],
      ["invalid", invalid],
      ["unknown", unknown],
    ] as const) {
      if (list.length === 0) continue;
      options.push(
        fc.constantFrom(...list).map((value) =>
          mutation(
            `query: ${name}, ${effect === "invalid" ? "invalid" : effect === "unknown" ? "unusual" : "valid"} [${value.slice(0, 30)}]`,
            effect,
            (d) => {
              // Replaces the parameter the base case may have set, in either spelling.
              const spellings = [name, name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
              d.query = d.query.filter((param) => !spellings.includes(param.split("=")[0] ?? ""));
              d.query.push(`${name}=${value}`);
              return `query:${name}`;
            },
          ),
        ),
      );
    }
  }
  return fc.oneof(...options);
}

const arbToken = (prefix: string, length: number) =>
  fc
    .string({
      unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      minLength: length,
      maxLength: length,
    })
    .map((s) => `${prefix}${s}`);

function arbQueryMutation(call: CallName): fc.Arbitrary<Mutation> {
  const add = (label: string, effect: Effect, param: string) =>
    mutation(label, effect, (d) => {
      d.query.push(param);
      return UNIQUE;
    });
  const list: fc.Arbitrary<Mutation>[] = [
    fc.constantFrom(...UNKNOWN_PARAMS).map((p) => add(`query: unknown parameter [${p.slice(0, 30)}]`, "invalid", p)),
    fc
      .constantFrom(...BODY_FIELD_PARAMS)
      .map((p) => add(`query: body field as a parameter [${p.slice(0, 40)}]`, "invalid", p)),
    fc.constantFrom(...PATH_FIELD_PARAMS).map((p) => add(`query: path field as a parameter [${p}]`, "invalid", p)),
    fc
      .oneof(arbToken("fzat_", 24), fc.constantFrom("{secret:reader}", "{secret:writer}"))
      .map((token) => add(`query: access_token [${token}]`, "invalid", `access_token=${token}`)),
    fc.constantFrom("", "&&", "=x", "&").map((p) => add(`query: empty parameters [${json(p)}]`, "unknown", p)),
  ];
  if (call === "listLinks" || call === "listApiKeys") list.push(arbParam(PAGE_PARAMS), arbParam(PAGE_PARAMS));
  if (call === "linkStats") list.push(...Array.from({ length: 6 }, () => arbParam(STATS_PARAMS)));
  if (call === "linkQr") list.push(...Array.from({ length: 4 }, () => arbParam(QR_PARAMS)));
  return fc.oneof(...list);
}

// ---- path and method mutations

const HOSTILE_CODES = [
  "ab",
  "x".repeat(65),
  "x".repeat(2_000),
  "x".repeat(70_000),
  "%2e",
  "%2E%2E",
  "a%2Fb",
  "a%5Cb",
  "%00",
  "caf%C3%A9",
  "caf\u00e9",
  "\u65e5\u672c",
  "\ud83d\ude00",
  "⟨ff⟩",
  "a%20b",
  "%20",
  "v1",
  "healthz",
  "metrics",
  "app",
  "__proto__",
  "*",
  "a;b",
  "a%3Fb",
  "{missing:1}",
  "{missing:3}",
  "{gone:0}",
  "{gone:1}",
  "{missing:2|upper}",
];

function arbPathMutation(call: CallName): fc.Arbitrary<Mutation> {
  const spec = CALLS[call];
  const at = (label: string, effect: Effect, change: (path: string) => string) =>
    mutation(label, effect, (d) => {
      const changed = change(d.path);
      if (changed === d.path) return NOTHING;
      d.path = changed;
      return UNIQUE;
    });
  /** Puts `replacement` for the code or key id of the path, if no other mutation did. */
  const code = (label: string, effect: Effect, pattern: RegExp, replacement: string) =>
    mutation(label, effect, (d) => {
      if (!pattern.test(d.path)) return NOTHING;
      d.path = d.path.replace(pattern, replacement);
      return "code";
    });
  const list: fc.Arbitrary<Mutation>[] = [
    fc.constant(at("path: trailing slash", "invalid", (p) => `${p}/`)),
    fc.constant(at("path: two trailing slashes", "invalid", (p) => `${p}//`)),
    fc.constant(at("path: trailing /.", "invalid", (p) => `${p}/.`)),
    // Envoy merges slashes (merge_slashes): inside the path they are another spelling; at the end, a trailing slash.
    fc.constant(at("path: /v1//", "unknown", (p) => p.replace(/^\/v1\//, "/v1//"))),
    fc.constant(at("path: leading //", "unknown", (p) => `/${p}`)),
    fc
      .constantFrom("/./", "/x/../", "/%2e/", "/x/%2E%2E/", "/./././")
      .map((dots) => at(`path: dot segments [${dots}]`, "unknown", (p) => p.replace(/^\/v1\//, `/v1${dots}`))),
    fc
      .constantFrom(...CASE_CHANGES.filter(([, from]) => spec.template.includes(from)))
      .map(([to, from]) => at(`path: other letter case [${to} for ${from}]`, "invalid", (p) => p.replace(from, to))),
    fc
      .constantFrom("%76", "%31")
      .map((encoded) =>
        at(`path: percent-encoded /v1/ [${encoded}]`, "unknown", (p) =>
          p.replace(/^\/v1\//, encoded === "%76" ? "/%761/" : "/v%31/"),
        ),
      ),
    fc
      .constantFrom("x", "x".repeat(1_000), "x".repeat(70_000), "\u00e9t\u00e9", "⟨c3⟩", ";x", "%2F")
      .map((segment) => at(`path: extra segment [${segment.slice(0, 12)}]`, "invalid", (p) => `${p}/${segment}`)),
    fc.constant(at("path: matrix ;x on the last segment", "unknown", (p) => `${p};x=1`)),
    fc.constant(at("path: fragment", "unknown", (p) => `${p}#frag`)),
  ];
  if (hasCode(call) || call === "revokeApiKey") {
    // Stats of a code no link has may be empty stats rather than a 404: the contract does not say.
    const hostile = fc
      .constantFrom(...HOSTILE_CODES)
      .map((text) =>
        code(
          `path: hostile code [${text.slice(0, 20)}]`,
          call === "linkStats" ? "unknown" : "invalid",
          /\{(?:fixture|doomed|doomedKey):\d+\}/,
          text,
        ),
      );
    list.push(
      // Many codes to try: as likely as four other mutations.
      hostile,
      hostile,
      hostile,
      hostile,
      fc.constant(
        code(
          "path: code in capitals",
          call === "linkStats" ? "unknown" : "invalid",
          /\{((?:fixture|doomed):\d+)\}/,
          "{$1|upper}",
        ),
      ),
      fc.constant(code("path: code percent-encoded", "unknown", /\{((?:fixture|doomed|doomedKey):\d+)\}/, "{$1|pct}")),
    );
  }
  const foreign = FOREIGN_METHODS[spec.template] ?? ["FUZZ"];
  list.push(
    fc.constantFrom(...foreign).map((method) =>
      mutation(`method: of no call on this path [${method}]`, "invalid", (d) => {
        d.method = method;
        d.foreignMethod = true;
        d.looseMethod = false;
        return "method";
      }),
    ),
    fc.constantFrom("HEAD", "OPTIONS", spec.method.toLowerCase()).map((method) =>
      mutation(
        method === method.toLowerCase() ? `method: lowercase [${method}]` : `method: ${method}`,
        "unknown",
        (d) => {
          d.method = method;
          d.looseMethod = true;
          d.foreignMethod = false;
          return "method";
        },
      ),
    ),
  );
  return fc.oneof(...list);
}

/** Paths are case-sensitive: another spelling of a literal part is no call. */
const CASE_CHANGES: readonly (readonly [string, string])[] = [
  ["/V1/", "/v1/"],
  ["/v2/", "/v1/"],
  ["/v1/Links", "/v1/links"],
  ["/v1/LINKS", "/v1/links"],
  ["/v1/API-KEYS", "/v1/api-keys"],
  ["/v1/api_keys", "/v1/api-keys"],
  ["/Stats", "/stats"],
];

// ---- header and authorization mutations

function arbHeaderMutation(call: CallName): fc.Arbitrary<Mutation> {
  const spec = CALLS[call];
  const header = (label: string, effect: Effect, name: string, value: string) =>
    mutation(label, effect, (d) => {
      d.headers = d.headers.filter(([n]) => n !== name.toLowerCase());
      d.headers.push([name, value]);
      return `header:${name}`;
    });
  const auth = (label: string, effect: Effect, value: Auth) =>
    mutation(label, effect, (d) => {
      d.auth = value;
      return "auth";
    });
  const wrongRoles = (Object.keys(ROLE_SCOPES) as Role[]).filter((role) => !roleAllows(role, spec.scope));
  return fc.oneof(
    { arbitrary: fc.constant(auth("auth: none", "invalid", { kind: "none" })), weight: 2 },
    {
      arbitrary: fc.constantFrom(...wrongRoles).map((role) =>
        auth(role === "revoked" ? "auth: revoked key" : `auth: key without the scope [${role}]`, "invalid", {
          kind: "key",
          role,
        }),
      ),
      weight: 3,
    },
    {
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            "Basic dXNlcjpwYXNz",
            "Bearer",
            "Bearer ",
            "Bearer not-a-key",
            "Token {secret:admin}",
            "Bearer {secret:writer}x",
            "Bearer {secret:admin}, Bearer {secret:admin}",
            `Bearer ${"k".repeat(10_000)}`,
            "Bearer kurt_\u00e9\u00e9\u00e9",
            "Bearer kurt_⟨ff fe⟩",
            "{secret:admin}",
          ),
          arbToken("Bearer kurt_", 43),
        )
        .map((value) => auth(`auth: malformed [${value.slice(0, 40)}]`, "invalid", { kind: "raw", value })),
      weight: 3,
    },
    {
      arbitrary: fc
        .constantFrom(
          "bearer {secret:admin}",
          "BEARER {secret:admin}",
          "Bearer  {secret:admin}",
          "Bearer\t{secret:admin}",
        )
        .map((value) => auth(`auth: unusual spelling [${value}]`, "unknown", { kind: "raw", value })),
      weight: 1,
    },
    {
      arbitrary: fc.constant(
        auth("auth: two Authorization headers", "unknown", {
          kind: "twice",
          first: "Bearer {secret:admin}",
          second: "Bearer not-a-key",
        }),
      ),
      weight: 1,
    },
    { arbitrary: fc.constant(auth("auth: admin key", "valid", { kind: "key", role: "admin" })), weight: 1 },
    {
      arbitrary: fc
        .constantFrom("application/json; charset=utf-8", "application/json;charset=UTF-8")
        .map((value) => header(`content-type: JSON with parameters [${value}]`, "valid", "content-type", value)),
      weight: 1,
    },
    {
      arbitrary: fc
        .constantFrom(
          "APPLICATION/JSON",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/xml",
          "",
          "application/json; charset=latin1",
        )
        .map((value) => header(`content-type: other [${value}]`, "unknown", "content-type", value)),
      weight: 2,
    },
    {
      arbitrary: fc.constant(
        mutation("content-type: none", "unknown", (d) => {
          d.headers = d.headers.filter(([n]) => n !== "content-type");
          return "header:content-type";
        }),
      ),
      weight: 1,
    },
    {
      arbitrary: fc
        .constantFrom(
          "application/grpc",
          "application/grpc+proto",
          "application/grpc+json",
          "application/grpc-web",
          "application/grpc-web-text",
        )
        .map((value) => header(`content-type: gRPC [${value}]`, "invalid", "content-type", value)),
      weight: 2,
    },
    {
      arbitrary: fc
        .constantFrom("1n", "1u", "1m", "0n", "0S", "1S", "100H", "99999999H", "-1S", "abc", "1", "1x")
        .map((value) => header(`header: grpc-timeout [${value}]`, "unknown", "grpc-timeout", value)),
      weight: 3,
    },
    {
      arbitrary: fc
        .constantFrom<[string, string]>(
          ["te", "trailers"],
          ["grpc-encoding", "gzip"],
          ["grpc-accept-encoding", "identity"],
          ["content-encoding", "gzip"],
          ["x-envoy-upstream-rq-timeout-ms", "1"],
          ["x-envoy-retry-on", "5xx"],
          ["x-envoy-max-retries", "10"],
          ["x-http-method-override", "DELETE"],
          ["x-grpc-web", "1"],
          ["accept", "application/grpc"],
          ["accept", "application/xml"],
          ["accept-encoding", "gzip, br"],
          ["origin", "https://evil.example"],
          ["user-agent", "fuzz/1.0 \u00e9"],
        )
        .map(([name, value]) => header(`header: ${name} [${value}]`, "unknown", name, value)),
      weight: 3,
    },
    {
      arbitrary: fc
        .constantFrom<[string, string]>(
          ["x-request-id", "fuzz-chosen-id"],
          ["x-forwarded-for", "203.0.113.9"],
          ["x-long", "v".repeat(8_000)],
        )
        .map(([name, value]) => header(`header: ${name} [${value.slice(0, 20)}]`, "valid", name, value)),
      weight: 1,
    },
    {
      arbitrary: fc.constant(header("header: over 60 KiB [x-huge]", "invalid", "x-huge", "v".repeat(70_000))),
      weight: 1,
    },
  );
}

// ---- families

type MutationSource = (call: CallName) => fc.Arbitrary<Mutation>;

function arbBodyMutation(call: CallName): fc.Arbitrary<Mutation> {
  return fc.oneof({ arbitrary: arbMemberMutation(call), weight: 1 }, { arbitrary: arbSyntaxMutation(call), weight: 1 });
}

function arbBodyOnBodyless(call: CallName): fc.Arbitrary<Mutation> {
  return fc
    .constantFrom('{"code":"{fixture:0}"}', '{"id":"{doomedKey:0}"}', '{"url":"https://example.com/b"}', "{,}")
    .map((body) =>
      mutation(`body on a call without one [${CALLS[call].method} ${body}]`, "unknown", (d) => {
        d.rawBody = body;
        if (!d.headers.some(([n]) => n === "content-type")) d.headers.push(["content-type", "application/json"]);
        return "body";
      }),
    );
}

interface Family {
  readonly name: string;
  /** Its share of KURT_FUZZ_RUNS. */
  readonly share: number;
  readonly calls: readonly CallName[];
  /** Weights of the calls, where they differ from CALL_WEIGHTS. */
  readonly weights?: Partial<Record<CallName, number>>;
  readonly sources: readonly MutationSource[];
  readonly maxMutations: number;
}

const ALL_CALLS = CALL_WEIGHTS.map(([call]) => call);
const BODY_CALLS: readonly CallName[] = ["createLink", "updateLink", "createApiKey"];

const FAMILIES: readonly Family[] = [
  { name: "bodies", share: 0.34, calls: BODY_CALLS, sources: [arbBodyMutation], maxMutations: 2 },
  {
    name: "queries",
    share: 0.18,
    calls: ALL_CALLS,
    // The calls that name query parameters of their own.
    weights: { linkStats: 8, linkQr: 6, listLinks: 4, listApiKeys: 3 },
    sources: [arbQueryMutation],
    maxMutations: 2,
  },
  { name: "paths", share: 0.16, calls: ALL_CALLS, sources: [arbPathMutation], maxMutations: 2 },
  { name: "headers", share: 0.16, calls: ALL_CALLS, sources: [arbHeaderMutation], maxMutations: 2 },
  {
    name: "mixed",
    share: 0.16,
    calls: ALL_CALLS,
    sources: [arbBodyMutation, arbQueryMutation, arbPathMutation, arbHeaderMutation, arbBodyOnBodyless],
    maxMutations: 3,
  },
];

function arbCase(family: Family): fc.Arbitrary<FuzzCase> {
  const bases = CALL_WEIGHTS.filter(([call]) => family.calls.includes(call)).map(([call, weight]) => ({
    arbitrary: arbBase[call],
    weight: family.weights?.[call] ?? weight,
  }));
  const mutations = new Map<CallName, fc.Arbitrary<Mutation>>();
  const mutationOf = (call: CallName) => {
    let arb = mutations.get(call);
    if (!arb) {
      const sources = family.sources
        .filter((source) => source !== arbBodyMutation || hasBody(call))
        .filter((source) => source !== arbBodyOnBodyless || !hasBody(call));
      arb = fc.oneof(...sources.map((source) => source(call)));
      mutations.set(call, arb);
    }
    return arb;
  };
  return fc.oneof(...bases).chain((base) => {
    const one = mutationOf(base.call);
    // A quarter of the cases stay valid, so that some succeed and the refusals are not all the stack does.
    const count = fc.oneof(
      { arbitrary: fc.constant(0), weight: 1 },
      { arbitrary: fc.integer({ min: 1, max: family.maxMutations }), weight: 3 },
    );
    return count
      .chain((n) => fc.array(one, { minLength: n, maxLength: n }))
      .map((mutations) => {
        const draft = draftOf(base);
        for (const [index, m] of mutations.entries()) applyMutation(draft, m, index);
        return finish(draft);
      });
  });
}

// ---------------------------------------------------------------- sending

interface Sent {
  readonly method: string;
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: string;
  /** Codes and key ids the path names: what a success may change. */
  readonly names: readonly string[];
}

interface Answer {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly text: string;
  readonly json: unknown;
}

type Outcome = { readonly answer: Answer } | { readonly error: string };

const PLACEHOLDER = /\{(fixture|doomed|gone|missing|new|doomedKey|secret):?([a-z0-9]*)(?:\|(upper|pct))?\}/g;

function resolve(w: World, text: string, fresh: () => string, names?: string[]): string {
  return text.replace(PLACEHOLDER, (_, kind: string, arg: string, transform: string | undefined) => {
    const i = Number(arg);
    let value: string;
    switch (kind) {
      case "fixture":
        value = fixtureCode(w, i);
        break;
      case "doomed":
        value = doomedCode(w, i);
        break;
      case "gone":
        value = goneCode(w, i);
        break;
      case "missing":
        value = missingCode(w, i);
        break;
      case "new":
        value = fresh();
        break;
      case "doomedKey":
        value = w.doomedKeyIds[i] ?? "00000000-0000-4000-8000-000000000000";
        break;
      default:
        value = w.secrets[arg as Role];
    }
    names?.push(value);
    if (transform === "upper") return value.toUpperCase();
    if (transform === "pct")
      return [...Buffer.from(value)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
    return value;
  });
}

function prepare(w: World, c: FuzzCase): Sent {
  let code: string | undefined;
  const fresh = () => {
    code ??= `${w.prefix}-n${w.newCodes++}`;
    return code;
  };
  const names: string[] = [];
  const target = resolve(w, c.target.split("?")[0] ?? "", fresh, names) + resolveQuery(w, c.target, fresh);
  const headers: [string, string][] = c.headers.map(([n, v]) => [n, resolve(w, v, fresh)]);
  const auth = c.auth;
  if (auth.kind === "key") headers.push(["authorization", `Bearer ${w.secrets[auth.role]}`]);
  if (auth.kind === "raw") headers.push(["authorization", resolve(w, auth.value, fresh)]);
  if (auth.kind === "twice")
    headers.push(["authorization", resolve(w, auth.first, fresh)], ["authorization", resolve(w, auth.second, fresh)]);
  for (const [name, value] of headers) {
    if (name !== "authorization") continue;
    const token = value.replace(/^\S+\s+/, "").trim();
    if (token.length >= 16) w.sentSecrets.add(token);
  }
  for (const match of target.matchAll(/[?&]access_token=([^&]*)/g)) if (match[1]) w.sentSecrets.add(match[1]);
  const body = c.body === undefined ? undefined : resolve(w, c.body, fresh);
  return { method: c.method, target, headers, ...(body === undefined ? {} : { body }), names };
}

function resolveQuery(w: World, target: string, fresh: () => string): string {
  const mark = target.indexOf("?");
  return mark < 0 ? "" : resolve(w, target.slice(mark), fresh);
}

/** Text to bytes: UTF-8, except `⟨ff fe⟩`, which are the raw bytes. */
function bytesOf(text: string): Buffer {
  const parts: Buffer[] = [];
  let last = 0;
  for (const match of text.matchAll(/⟨([0-9a-f]{2}(?: [0-9a-f]{2})*)⟩/g)) {
    parts.push(Buffer.from(text.slice(last, match.index), "utf8"));
    parts.push(Buffer.from((match[1] ?? "").split(" ").map((hex) => Number.parseInt(hex, 16))));
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(Buffer.from(text.slice(last), "utf8"));
  return Buffer.concat(parts);
}

/**
 * The answer in `raw`, or undefined while it is incomplete (`closed`: the
 * connection ended, so what came is all there is). Envoy keeps a connection
 * it closes open until the client closes it (delayed_close_timeout, 1 s), so
 * the answer's own framing says when it is complete.
 */
function parseAnswer(raw: Buffer, method: string, closed: boolean): Answer | undefined {
  let rest = raw;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    if (end < 0) {
      if (!closed) return undefined;
      throw new Error(`an incomplete answer: ${JSON.stringify(rest.toString("latin1").slice(0, 200))}`);
    }
    const head = rest.subarray(0, end).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? "")?.[1]);
    if (!Number.isInteger(status)) throw new Error(`not an HTTP answer: ${JSON.stringify(head[0])}`);
    let body = rest.subarray(end + 4);
    // 1xx answers (100 Continue) come before the real one.
    if (status >= 100 && status < 200) {
      rest = body;
      continue;
    }
    const headers = new Map<string, string>();
    for (const line of head.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    if (method === "HEAD" || status === 204 || status === 304) body = Buffer.alloc(0);
    else if (headers.get("transfer-encoding")?.toLowerCase().includes("chunked")) {
      const decoded = dechunk(body);
      if (decoded === undefined && !closed) return undefined;
      body = decoded ?? body;
    } else if (headers.has("content-length")) {
      const length = Number(headers.get("content-length"));
      if (body.length < length && !closed) return undefined;
      body = body.subarray(0, length);
    } else if (!closed) return undefined;
    const text = body.toString("utf8");
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status, headers, text, json: parsed };
  }
}

/** A chunked body decoded, or undefined until its last chunk has come. */
function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf("\r\n", at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size)) return Buffer.concat(parts);
    if (size === 0) return Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size) return undefined;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** One request on its own connection, bytes exactly as given; `connection: close` ends the answer. */
function send(sent: Sent): Promise<Outcome> {
  return new Promise((done) => {
    const socket = connect({ host: topology.host, port: topology.envoy.httpPort });
    const chunks: Buffer[] = [];
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = `no answer within ${REQUEST_TIMEOUT_MS} ms`;
      socket.destroy();
    }, REQUEST_TIMEOUT_MS);
    let answer: Answer | undefined;
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      try {
        answer = parseAnswer(Buffer.concat(chunks), sent.method, false);
      } catch {
        answer = undefined;
      }
      if (answer) socket.destroy();
    });
    // A refusal before the whole body was read resets the connection: the answer already read counts.
    socket.on("error", (error) => {
      failure ??= `connection error: ${error.message}`;
    });
    socket.on("close", () => {
      clearTimeout(timer);
      if (answer) return done({ answer });
      if (failure?.startsWith("no answer")) return done({ error: failure });
      try {
        done({ answer: parseAnswer(Buffer.concat(chunks), sent.method, true) as Answer });
      } catch (error) {
        done({ error: failure ?? (error as Error).message });
      }
    });
    const body = sent.body === undefined ? undefined : bytesOf(sent.body);
    let head = `${sent.method} ${sent.target} HTTP/1.1\r\nhost: ${topology.host}:${topology.envoy.httpPort}\r\n`;
    for (const [name, value] of sent.headers) head += `${name}: ${value}\r\n`;
    if (body !== undefined) head += `content-length: ${body.length}\r\n`;
    head += "connection: close\r\n\r\n";
    // Not end(): Envoy takes a half-closed connection for a client that went away.
    socket.write(Buffer.concat([bytesOf(head), body ?? Buffer.alloc(0)]));
  });
}

// ---------------------------------------------------------------- invariants

interface Failure {
  readonly invariant: string;
  readonly detail: string;
  readonly case?: FuzzCase;
  readonly sent?: Sent;
  readonly status?: number;
}

const WRITE_METHODS = new Set(["POST", "PATCH", "DELETE"]);

/** Test output is no place for real keys either: they are shown as the placeholders they came from. */
function redact(text: string): string {
  const w = world;
  if (!w) return text;
  let out = text;
  for (const [role, secret] of Object.entries(w.secrets)) out = out.replaceAll(secret, `{secret:${role}}`);
  for (const secret of w.realSecrets) out = out.replaceAll(secret, "{secret}");
  return out;
}

function showSent(sent: Sent): string {
  const headers = sent.headers.map(([n, v]) => `${n}: ${short(redact(v), 80)}`).join(" | ");
  const body = sent.body === undefined ? "" : ` body ${short(sent.body, 300)}`;
  return `${sent.method} ${short(redact(sent.target), 200)} [${headers}]${body}`;
}

function short(text: string, max: number): string {
  return text.length <= max
    ? JSON.stringify(text).slice(1, -1)
    : `${JSON.stringify(text.slice(0, max)).slice(1, -1)}…(${text.length} chars)`;
}

function showAnswer(outcome: Outcome): string {
  if ("error" in outcome) return outcome.error;
  return `${outcome.answer.status} ${short(redact(outcome.answer.text), 300)}`;
}

function checkAnswer(c: FuzzCase, sent: Sent, outcome: Outcome): Failure[] {
  const at = { case: c, sent };
  if ("error" in outcome) return [{ invariant: "an answer within 10 s", detail: outcome.error, ...at }];
  const { status, json: body } = outcome.answer;
  const failures: Failure[] = [];
  const fail = (invariant: string) =>
    failures.push({ invariant, detail: `answered ${showAnswer(outcome)}`, status, ...at });
  if (status >= 500) fail("never a 5xx");
  const grpcRefusal = (outcome.answer.headers.get("content-type") ?? "").startsWith("application/grpc");
  if (grpcRefusal) {
    // Raw gRPC is refused in gRPC's own form, for gRPC clients (ADR 19): HTTP 415 and a grpc-status, no JSON.
    if (status !== 415 || outcome.answer.headers.get("grpc-status") !== "12")
      fail("raw gRPC is refused with HTTP 415 and grpc-status UNIMPLEMENTED");
  } else if (status >= 400 && status < 500 && sent.method !== "HEAD") {
    const record = body as Record<string, unknown> | undefined;
    const isStatus =
      record !== null &&
      typeof record === "object" &&
      !Array.isArray(record) &&
      Number.isInteger(record.code) &&
      (record.code as number) > 0 &&
      (record.code as number) <= 16 &&
      typeof record.message === "string" &&
      Array.isArray(record.details);
    if (!isStatus) fail("a 4xx carries a google.rpc.Status JSON body {code, message, details}");
  }
  if (c.expect === "refuse" && !(status >= 400 && status < 500)) fail("input the contract refuses gets a 4xx");
  if (c.expect === "accept" && !(status >= 200 && status < 300) && !c.alsoOk.includes(status) && status < 500)
    fail("a valid request succeeds");
  return failures;
}

// ---- state: what a batch changed in links and api_keys

interface Snapshot {
  readonly fingerprint: string;
  readonly since: string;
  readonly links: ReadonlyMap<string, string>;
  readonly keys: ReadonlyMap<string, string>;
}

function suiteCodes(w: World): string[] {
  return [
    ...Array.from({ length: FIXTURES }, (_, i) => fixtureCode(w, i)),
    ...Array.from({ length: DOOMED }, (_, i) => doomedCode(w, i)),
    ...Array.from({ length: GONE }, (_, i) => goneCode(w, i)),
  ];
}

/** The suite's links and every row written since `since` (a database time), in full, and linksFingerprint. */
async function snapshot(w: World, since?: string): Promise<Snapshot> {
  const client = db as pg.Client;
  const fingerprint = await linksFingerprint();
  const from =
    since ?? ((await client.query("select (now() - interval '2 seconds')::text as t")).rows[0] as { t: string }).t;
  const links = await client.query(
    `select code, l::text as row from links l
      where code = any($1) or greatest(created_at, updated_at, coalesce(deleted_at, created_at)) >= $2::timestamptz`,
    [suiteCodes(w), from],
  );
  const keys = await client.query(
    `select id::text as id, k::text as row from api_keys k
      where id::text = any($1) or greatest(created_at, coalesce(revoked_at, created_at)) >= $2::timestamptz`,
    [w.doomedKeyIds, from],
  );
  return {
    fingerprint,
    since: from,
    links: new Map(links.rows.map((r: { code: string; row: string }) => [r.code, r.row])),
    keys: new Map(keys.rows.map((r: { id: string; row: string }) => [r.id, r.row])),
  };
}

const rowCount = (fingerprint: string) => Number(/^(\d+) rows/.exec(fingerprint)?.[1]);

interface Ran {
  readonly case: FuzzCase;
  readonly sent: Sent;
  readonly outcome: Outcome;
}

/**
 * Changes between two snapshots that no successful write of the batch
 * explains, and the links among them that are new (made by a refused call).
 */
function unexplainedChanges(
  before: Snapshot,
  after: Snapshot,
  ran: readonly Ran[],
): { changes: string[]; changed: string[]; strayLinks: string[]; newKeys: string[] } {
  const explained = new Set<string>();
  for (const { sent, outcome } of ran) {
    if (!("answer" in outcome)) continue;
    const { status, json: body } = outcome.answer;
    const write = WRITE_METHODS.has(sent.method) || sent.headers.some(([n]) => n === "x-http-method-override");
    if (!write || status < 200 || status >= 300) continue;
    for (const name of sent.names) explained.add(name);
    const record = body as { code?: unknown; apiKey?: { id?: unknown } } | undefined;
    if (typeof record?.code === "string") explained.add(record.code);
    if (typeof record?.apiKey?.id === "string") explained.add(record.apiKey.id);
  }
  const changes: string[] = [];
  const changed: string[] = [];
  const strayLinks: string[] = [];
  const newKeys: string[] = [];
  const compare = (what: string, a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) => {
    for (const [name, row] of b) {
      if (a.get(name) === row || explained.has(name)) continue;
      changed.push(name);
      if (!a.has(name)) (what === "link" ? strayLinks : newKeys).push(name);
      changes.push(
        `${what} ${name}: ${a.has(name) ? `was ${short(a.get(name) ?? "", 250)}, ` : "new, "}now ${short(row, 250)}`,
      );
    }
    for (const [name, row] of a) {
      if (b.has(name) || explained.has(name)) continue;
      changed.push(name);
      changes.push(`${what} ${name} vanished (was ${short(row, 250)})`);
    }
  };
  compare("link", before.links, after.links);
  compare("API key", before.keys, after.keys);
  const created = [...after.links.keys()].filter((code) => !before.links.has(code)).length;
  const grown = rowCount(after.fingerprint) - rowCount(before.fingerprint);
  if (grown !== created)
    changes.push(`the links table grew by ${grown} rows but ${created} new rows were seen (a row vanished?)`);
  if (before.fingerprint !== after.fingerprint && changes.length === 0 && explained.size === 0)
    changes.push(`linksFingerprint changed with no successful write: ${before.fingerprint} → ${after.fingerprint}`);
  return { changes, changed, strayLinks, newKeys };
}

// ---------------------------------------------------------------- running a family

interface Tally {
  requests: number;
  byStatus: Map<string, number>;
  successes: Map<CallName, number>;
}

const totals: Tally = { requests: 0, byStatus: new Map(), successes: new Map() };
/** Families that sent all their batches (a failure stops one early unless KURT_FUZZ_KEEP_GOING). */
const completed = new Set<string>();

/** KURT_FUZZ_KEEP_GOING: every failure, with the batch (fast-check path) it came from. */
const recorded: { readonly failure: Failure; readonly family: string; readonly path: string }[] = [];

async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function count(tally: Tally, ran: readonly Ran[], w: World): void {
  for (const { case: c, outcome } of ran) {
    tally.requests++;
    const key = "answer" in outcome ? `${Math.floor(outcome.answer.status / 100)}xx` : "no answer";
    tally.byStatus.set(key, (tally.byStatus.get(key) ?? 0) + 1);
    if (!("answer" in outcome) || outcome.answer.status < 200 || outcome.answer.status >= 300) continue;
    if (c.expect === "accept") tally.successes.set(c.call, (tally.successes.get(c.call) ?? 0) + 1);
    // A key the fuzzing made is a secret like the others: it must not be logged either.
    const made = outcome.answer.json as { secret?: unknown; apiKey?: { id?: unknown } } | undefined;
    if (typeof made?.secret === "string") {
      w.sentSecrets.add(made.secret);
      w.realSecrets.add(made.secret);
    }
    if (c.call === "createApiKey" && typeof made?.apiKey?.id === "string") suiteKeyIds.push(made.apiKey.id);
  }
}

interface FamilyState {
  /** GET /v1/links failed after the previous batch: reported once, not after every batch until it recovers. */
  listingBroken: boolean;
}

async function runBatch(w: World, batch: readonly FuzzCase[], tally: Tally, state: FamilyState): Promise<Failure[]> {
  const before = await snapshot(w);
  const ran = await pool(batch, CONCURRENCY, async (c): Promise<Ran> => {
    const sent = prepare(w, c);
    return { case: c, sent, outcome: await send(sent) };
  });
  count(tally, ran, w);
  const failures = ran.flatMap(({ case: c, sent, outcome }) => checkAnswer(c, sent, outcome));
  const after = await snapshot(w, before.since);
  const { changes, changed, strayLinks, newKeys } = unexplainedChanges(before, after, ran);
  if (changes.length > 0) {
    const refused = ran.filter(
      ({ outcome }) => !("answer" in outcome) || outcome.answer.status < 200 || outcome.answer.status >= 300,
    );
    // The refused requests that name a changed row (in the path, or a custom code in the body), or that
    // would have made a new one (a generated code or key id is named nowhere), if any.
    const named = refused.filter(
      ({ case: c, sent }) =>
        changed.some((name) => sent.names.includes(name) || (sent.body ?? "").includes(`"${name}"`)) ||
        (strayLinks.length > 0 && c.call === "createLink") ||
        (newKeys.length > 0 && c.call === "createApiKey"),
    );
    const suspects = named.length > 0 ? named : refused;
    const only = suspects.length === 1 ? suspects[0] : undefined;
    failures.push({
      invariant: "a refused request changes nothing",
      detail: `${changes.join("\n      ")}\n      ${named.length > 0 ? "refused, and naming what changed" : "the refused requests of the batch"}:\n${suspects
        .map(({ sent, outcome }) => `        ${showSent(sent)} → ${showAnswer(outcome)}`)
        .join("\n")}`,
      ...(only
        ? {
            case: only.case,
            sent: only.sent,
            ...("answer" in only.outcome ? { status: only.outcome.answer.status } : {}),
          }
        : {}),
    });
    await repair(changed, strayLinks);
  }
  const list = await request("GET", "/v1/links?pageSize=20", { key: adminKey() });
  if (list.status !== 200 && !state.listingBroken)
    failures.push({ invariant: "GET /v1/links still answers 200 after the batch", detail: describe(list) });
  state.listingBroken = list.status !== 200;
  return failures;
}

/**
 * Undoes what a refused request did, as far as the API allows, so that one
 * bug does not cascade through the rest of the run: a link it made is deleted,
 * a link it changed loses its expiry (an expiry past 9999 breaks every answer
 * that prints the link).
 */
async function repair(changed: readonly string[], strayLinks: readonly string[]): Promise<void> {
  const key = adminKey();
  for (const code of changed) {
    if (!CUSTOM_CODE_PATTERN.test(code)) continue; // an API key id
    const path = `/v1/links/${encodeURIComponent(code)}`;
    if (strayLinks.includes(code)) await request("DELETE", path, { key }).catch(() => undefined);
    else await request("PATCH", path, { key, body: { clearExpiresAt: true } }).catch(() => undefined);
  }
}

/** A mutation's kind: its label without the particular value in brackets. */
const kindOf = (label: string) => label.replace(/ \[.*\]$/s, "");

function groupOf(failure: Failure): string {
  const c = failure.case;
  if (!c) return `${failure.invariant}`;
  const kinds = c.mutations.filter((label) => !label.endsWith("(nothing to change)")).map(kindOf);
  return `[${failure.invariant}] ${c.call} → ${failure.status ?? "no answer"}: ${[...new Set(kinds)].sort().join(" + ") || "no mutation"}`;
}

function showFailure(failure: Failure): string {
  const c = failure.case;
  const head = c
    ? `[${failure.invariant}] ${c.call} (${c.expect}; ${c.mutations.join(" + ") || "no mutation"})`
    : `[${failure.invariant}]`;
  const sent = failure.sent ? `\n      sent ${showSent(failure.sent)}` : "";
  return `${head}${sent}\n      ${failure.detail}`;
}

/** KURT_FUZZ_KEEP_GOING's report: the failures grouped by invariant, call, status and kinds of mutation. */
function report(family: string): string | undefined {
  const groups = new Map<string, { count: number; example: (typeof recorded)[number] }>();
  for (const entry of recorded) {
    if (entry.family !== family) continue;
    const key = groupOf(entry.failure);
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { count: 1, example: entry });
  }
  if (groups.size === 0) return undefined;
  // Cases with a single kind of mutation first: they say most plainly what was wrong.
  const sorted = [...groups].sort(([a], [b]) => a.split(" + ").length - b.split(" + ").length || a.localeCompare(b));
  const lines = sorted
    .slice(0, 200)
    .map(
      ([key, { count: n, example }]) =>
        `  ×${n} ${key}\n    e.g. KURT_FUZZ_FAMILY=${family} KURT_FUZZ_PATH=${example.path}: ${showFailure(example.failure).replace(/^\[[^\]]*\] /, "")}`,
    );
  if (sorted.length > 200) lines.push(`  … and ${sorted.length - 200} more groups`);
  return `${groups.size} groups of failures in family ${family} (seed ${SEED}):\n${lines.join("\n")}`;
}

async function runFamily(family: Family): Promise<void> {
  const w = world as World;
  const batches = Math.ceil((RUNS * family.share) / BATCH);
  const tally: Tally = { requests: 0, byStatus: new Map(), successes: new Map() };
  const state: FamilyState = { listingBroken: false };
  let run = REPLAY_PATH ? Number(REPLAY_PATH.split(":")[0]) : 0;
  const started = Date.now();
  const property = fc.asyncProperty(
    fc.array(fc.noBias(arbCase(family)), { minLength: BATCH, maxLength: BATCH }),
    async (batch) => {
      const path = String(run++);
      const failures = await runBatch(w, batch, tally, state);
      if (failures.length === 0) return;
      if (KEEP_GOING) {
        for (const failure of failures) recorded.push({ failure, family: family.name, path });
        return;
      }
      throw new Error(
        `${failures.length} failure(s) in this batch (replay: KURT_FUZZ_SEED=${SEED} KURT_FUZZ_FAMILY=${family.name} KURT_FUZZ_PATH=${path}):\n${failures.map(showFailure).join("\n")}`,
      );
    },
  );
  try {
    await fc.assert(property, {
      seed: SEED,
      numRuns: batches,
      // A failing request is named in the error; shrinking would re-run batches against a stack whose state moved on.
      endOnFailure: true,
      // The error names the failing requests as sent: without it the report has only the generated batch.
      includeErrorInReport: true,
      ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}),
    });
  } finally {
    for (const [k, v] of tally.byStatus) totals.byStatus.set(k, (totals.byStatus.get(k) ?? 0) + v);
    for (const [k, v] of tally.successes) totals.successes.set(k, (totals.successes.get(k) ?? 0) + v);
    totals.requests += tally.requests;
    const statuses = [...tally.byStatus].map(([k, v]) => `${k} ${v}`).join(", ");
    console.log(
      `  rest-fuzz ${family.name}: ${tally.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (${statuses}); seed ${SEED}`,
    );
  }
}

// ---------------------------------------------------------------- the tests

test.before(async () => {
  const before = await request("GET", "/v1/links?pageSize=20", { key: adminKey() });
  if (before.status !== 200)
    throw new Error(`the stack is broken before any case: GET /v1/links answers ${describe(before)}`);
  logMark = markLogs([...ALL_SERVICE_DAEMONS, "envoy"]);
  const prefix = uniqueCode("fz");
  const made = async (scopes: ApiKeyScope[]) => {
    const key = await createApiKey(scopes, `fuzz ${prefix}`);
    suiteKeyIds.push(key.id);
    return key;
  };
  const writer = await made(["links:write", "links:read"]);
  const reader = await made(["links:read"]);
  const stats = await made(["stats:read"]);
  const revoked = await made(["links:write", "links:read", "stats:read", "admin"]);
  await revokeApiKey(revoked.id);
  const doomedKeyIds: string[] = [];
  const doomedSecrets: string[] = [];
  for (let i = 0; i < DOOMED_KEYS; i++) {
    const key = await createApiKey(["links:read"], `fuzz ${prefix} doomed ${i}`);
    doomedKeyIds.push(key.id);
    doomedSecrets.push(key.secret);
  }
  const secrets: Record<Role, string> = {
    admin: adminKey(),
    writer: writer.secret,
    reader: reader.secret,
    stats: stats.secret,
    revoked: revoked.secret,
  };
  world = {
    prefix,
    secrets,
    doomedKeyIds,
    sentSecrets: new Set([...Object.values(secrets), ...doomedSecrets]),
    realSecrets: new Set([...Object.values(secrets), ...doomedSecrets]),
    newCodes: 0,
  };
  const w = world;
  for (let i = 0; i < FIXTURES; i++) {
    await createLink(writer.secret, {
      url: `https://example.com/fuzz/fixture/${i}`,
      code: fixtureCode(w, i),
      ...(i % 2 === 0 ? { expiresAt: "2090-01-01T00:00:00Z", tags: ["fixture"], title: `fixture ${i}` } : {}),
    });
  }
  for (let i = 0; i < DOOMED; i++)
    await createLink(writer.secret, { url: "https://example.com/doomed", code: doomedCode(w, i) });
  for (let i = 0; i < GONE; i++) {
    await createLink(writer.secret, { url: "https://example.com/gone", code: goneCode(w, i) });
    const deleted = await request("DELETE", `/v1/links/${goneCode(w, i)}`, { key: writer.secret });
    if (!isDeleted(deleted)) throw new Error(`cannot delete ${goneCode(w, i)}: ${describe(deleted)}`);
  }
  db = new pg.Client({ connectionString: primaryConnectionString(topology) });
  await db.connect();
});

test.after(async () => {
  await db?.end();
  // The links stay, as with the other suites; the keys the suite made, and those its cases made, are revoked.
  for (const id of suiteKeyIds) await revokeApiKey(id).catch(() => {});
});

for (const family of FAMILIES) {
  test(`fuzz ${family.name}: hostile requests get a 4xx or a success, never a 5xx, and a refusal changes nothing`, async () => {
    if (ONLY_FAMILY !== undefined && ONLY_FAMILY !== family.name) return;
    await runFamily(family);
    completed.add(family.name);
    const text = report(family.name);
    if (text === undefined) return;
    console.log(text);
    assert.unreachable(`${recorded.filter((r) => r.family === family.name).length} failures (listed above)`);
  });
}

test("the valid requests among the cases succeeded, for every call (the fuzzing reached the services)", () => {
  // Meaningful only when every family sent all its cases.
  if (ONLY_FAMILY !== undefined || RUNS < 2_000 || completed.size < FAMILIES.length) return;
  const missing = ALL_CALLS.filter((call) => (totals.successes.get(call) ?? 0) === 0);
  assert.equal(missing, [], `no valid request succeeded for ${missing.join(", ")}`);
});

test("no API key secret and no access_token the suite sent reached any service log or Envoy's access log", async () => {
  const w = world as World;
  const mark = logMark as LogMark;
  // Log lines are written asynchronously (Envoy flushes its access log on a timer): wait for a marker request's lines.
  const marker = await request("GET", "/v1/links?pageSize=1", { key: `kurt_${"M".repeat(43)}` });
  const id = marker.headers.get("x-request-id");
  assert.ok(id, describe(marker));
  await waitForLine(
    mark,
    (line) => line.requestId === id && line.status !== undefined,
    "of the marker in Envoy's log",
    30_000,
  );
  await waitForLine(
    mark,
    (line) => line.requestId === id && line.msg !== undefined,
    "of the marker in a service log",
    30_000,
  );
  const secrets = [...w.sentSecrets].flatMap((secret) =>
    secret.startsWith("kurt_") && secret.length > 20 ? [secret, secret.slice(5)] : [secret],
  );
  // One line per daemon: how many of its lines hold a secret, and the first of them.
  const leaks = new Map<string, { lines: number; first: string }>();
  for (const { daemon, line } of rawLinesSince(mark)) {
    const secret = secrets.find((candidate) => line.includes(candidate));
    if (secret === undefined) continue;
    const seen = leaks.get(daemon);
    if (seen) seen.lines++;
    else leaks.set(daemon, { lines: 1, first: short(redact(line), 400) });
  }
  assert.equal(
    [...leaks].map(([daemon, { lines, first }]) => `${daemon}: ${lines} line(s), the first: ${first}`),
    [],
    "secrets the suite sent were logged",
  );
});

test.run();
