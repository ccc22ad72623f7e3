import type { EnvoyObject } from "./envoy-clusters.js";

/**
 * Every call of the REST API (the contract's google.api.http options in
 * proto/), as the Lua filter needs them to hold DESIGN.md §2's strict-input
 * rule where Envoy's transcoder is lenient:
 *   - it parses JSON loosely (unquoted member names, single quotes, trailing
 *     commas, `\f` as white space) and drops members that name no field
 *     (docs/adr/0005-unknown-json-fields.md);
 *   - it converts between JSON types (`"disabled": "yes"` is true, `"60"` is
 *     60, `"tags": "a"` is ["a"], `[["a"]]` is ["a"]);
 *   - it binds a query parameter to any field, body fields included
 *     (`POST /v1/links?expiresAt.seconds=…`), and ignores unknown ones;
 *   - it takes `/v1/links/` for `/v1/links`.
 * So the Lua filter admits only these calls, only the query parameters each
 * names, and only bodies that are RFC 8259 JSON objects whose members are the
 * call's fields with values of the right JSON type. The unit tests check this
 * table against the descriptor set that buf builds.
 */

/**
 * The JSON type a member must have (null, proto3 JSON's "absent", is
 * accepted for every kind). `object:M` is a JSON object of message M's
 * members, `object-list:M` an array of such objects (an element may not be
 * null); M is a message of package kurt.v1 named in NESTED_MESSAGES.
 */
export type JsonKind =
  | "string"
  | "integer"
  | "boolean"
  | "timestamp"
  | "string-list"
  | `object:${string}`
  | `object-list:${string}`;

export interface HttpCall {
  /** Route name in the rendered configuration. */
  readonly name: string;
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  /** The path template with `{field}` variables, as in the proto's google.api.http option. */
  readonly template: string;
  /** Fully qualified request message. */
  readonly message: string;
  /** Proto names of the fields a query parameter may set (GET and DELETE calls). */
  readonly query: readonly string[];
  /** For `body: "*"` calls: proto name → JSON kind of every field the path does not bind. */
  readonly body?: Readonly<Record<string, JsonKind>>;
  /**
   * The largest body the call takes, when it is not the listener's default
   * (public-listener.ts): a batch holds up to 1,000 links.
   */
  readonly maxBodyBytes?: number;
}

const LINK_BODY = {
  url: "string",
  redirect_status: "integer",
  expires_at: "timestamp",
  title: "string",
  tags: "string-list",
  cache_seconds: "integer",
  valid_since: "timestamp",
  forward_query: "boolean",
  max_visits: "integer",
  password: "string",
  rules: "object-list:RedirectRule",
} as const satisfies Record<string, JsonKind>;

const CREATE_LINK_BODY = { ...LINK_BODY, code: "string", domain: "string" } as const satisfies Record<string, JsonKind>;

/**
 * The messages a body holds inside a member, by name in package kurt.v1:
 * proto name → JSON kind of each field, as for a call's body.
 */
export const NESTED_MESSAGES: Readonly<Record<string, Readonly<Record<string, JsonKind>>>> = {
  RedirectRule: {
    device: "string",
    country: "string",
    language: "string",
    query: "object:RedirectRuleQuery",
    url: "string",
  },
  RedirectRuleQuery: { name: "string", value: "string" },
  // Each item of a batch is checked exactly like a create's body.
  CreateLinkRequest: CREATE_LINK_BODY,
};

/**
 * 1,000 links of a realistic size (a URL of a few hundred characters, a
 * title, tags, a rule or two: about 1 KiB each) with room to spare; the
 * default limit (64 KiB) holds about 60.
 */
export const BATCH_MAX_BODY_BYTES = 2 * 1024 * 1024;

export const HTTP_CALLS: readonly HttpCall[] = [
  {
    name: "create-link",
    method: "POST",
    template: "/v1/links",
    message: "kurt.v1.CreateLinkRequest",
    query: [],
    body: CREATE_LINK_BODY,
  },
  {
    // `:batchCreate` is a custom verb: the transcoder matches it, and no
    // `/v1/links/{code}` route can take it for a code (no slash; codes have no colon).
    name: "batch-create-links",
    method: "POST",
    template: "/v1/links:batchCreate",
    message: "kurt.v1.BatchCreateLinksRequest",
    query: [],
    body: { links: "object-list:CreateLinkRequest" },
    maxBodyBytes: BATCH_MAX_BODY_BYTES,
  },
  {
    name: "list-links",
    method: "GET",
    template: "/v1/links",
    message: "kurt.v1.ListLinksRequest",
    query: ["page_size", "page_token", "domain", "query", "tag"],
  },
  {
    name: "get-link",
    method: "GET",
    template: "/v1/links/{code}",
    message: "kurt.v1.GetLinkRequest",
    query: ["domain"],
  },
  {
    // The body's `domain` names which link to change; a link never moves to another domain.
    name: "update-link",
    method: "PATCH",
    template: "/v1/links/{code}",
    message: "kurt.v1.UpdateLinkRequest",
    query: [],
    body: {
      ...LINK_BODY,
      disabled: "boolean",
      clear_expires_at: "boolean",
      clear_valid_since: "boolean",
      clear_max_visits: "boolean",
      domain: "string",
    },
  },
  {
    name: "delete-link",
    method: "DELETE",
    template: "/v1/links/{code}",
    message: "kurt.v1.DeleteLinkRequest",
    query: ["domain"],
  },
  {
    name: "get-link-qr-code",
    method: "GET",
    template: "/v1/links/{code}/qr",
    message: "kurt.v1.GetLinkQrCodeRequest",
    query: ["format", "size", "domain"],
  },
  {
    name: "get-link-stats",
    method: "GET",
    template: "/v1/links/{code}/stats",
    message: "kurt.v1.GetLinkStatsRequest",
    query: ["from", "to", "interval", "domain"],
  },
  {
    name: "create-domain",
    method: "POST",
    template: "/v1/domains",
    message: "kurt.v1.CreateDomainRequest",
    query: [],
    body: { domain: "string", root_redirect: "string", not_found_redirect: "string" },
  },
  {
    name: "list-domains",
    method: "GET",
    template: "/v1/domains",
    message: "kurt.v1.ListDomainsRequest",
    query: [],
  },
  {
    name: "update-domain",
    method: "PATCH",
    template: "/v1/domains/{domain}",
    message: "kurt.v1.UpdateDomainRequest",
    query: [],
    body: { root_redirect: "string", not_found_redirect: "string" },
  },
  {
    name: "delete-domain",
    method: "DELETE",
    template: "/v1/domains/{domain}",
    message: "kurt.v1.DeleteDomainRequest",
    query: [],
  },
  {
    name: "create-api-key",
    method: "POST",
    template: "/v1/api-keys",
    message: "kurt.v1.CreateApiKeyRequest",
    query: [],
    body: { name: "string", scopes: "string-list" },
  },
  {
    name: "list-api-keys",
    method: "GET",
    template: "/v1/api-keys",
    message: "kurt.v1.ListApiKeysRequest",
    query: ["page_size", "page_token"],
  },
  {
    name: "revoke-api-key",
    method: "DELETE",
    template: "/v1/api-keys/{id}",
    message: "kurt.v1.RevokeApiKeyRequest",
    query: [],
  },
];

/** protoc's default JSON name (lowerCamelCase); the contract sets no json_name. */
export function jsonName(protoName: string): string {
  return protoName.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** A path template as an Envoy safe_regex, which Envoy anchors (a variable is one non-empty segment). */
export function templateRegex(template: string): string {
  return template
    .split(/(\{[a-z_]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
}

/** The transcoder accepts both spellings of a name, proto and JSON; the contract documents the JSON one. */
function bothSpellings<T>(entries: ReadonlyArray<readonly [string, T]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, value] of entries) {
    out[name] = value;
    out[jsonName(name)] = value;
  }
  return out;
}

const LUA_FILTER = "envoy.filters.http.lua";

/** The message an `object:M` or `object-list:M` kind names, or undefined for a scalar kind. */
export function nestedMessageOf(kind: JsonKind): string | undefined {
  return /^object(?:-list)?:(.+)$/.exec(kind)?.[1];
}

/** Every nested message a body with these fields can hold, however deep, by name. */
function reachableMessages(
  fields: Readonly<Record<string, JsonKind>>,
): Map<string, Readonly<Record<string, JsonKind>>> {
  const found = new Map<string, Readonly<Record<string, JsonKind>>>();
  const visit = (kinds: Readonly<Record<string, JsonKind>>) => {
    for (const kind of Object.values(kinds)) {
      const name = nestedMessageOf(kind);
      if (name === undefined || found.has(name)) continue;
      const message = NESTED_MESSAGES[name];
      if (message === undefined) throw new Error(`kind ${kind} names no message of NESTED_MESSAGES`);
      found.set(name, message);
      visit(message);
    }
  };
  visit(fields);
  return found;
}

/**
 * Route metadata the Lua filter reads (`request_handle:metadata()`), under
 * its filter name as Envoy requires:
 *   call          "METHOD /template", named in error messages
 *   query_fields  the only query parameters the call takes
 *   body_fields   (body calls) the only members the JSON body may have, with
 *                 the JSON kind each value must have
 *   body_message  the request message named in the error
 *   body_messages (bodies with objects inside) the members and kinds of
 *                 each message an `object:M` or `object-list:M` kind names
 * A `/v1/` route without `call` is a path or method the API does not have.
 */
export function luaCallMetadata(call: HttpCall | undefined): EnvoyObject {
  if (call === undefined) return { filter_metadata: { [LUA_FILTER]: { unknown_call: true } } };
  const entries: Record<string, unknown> = {
    call: `${call.method} ${call.template}`,
    query_fields: bothSpellings(call.query.map((name) => [name, true] as const)),
  };
  if (call.body !== undefined) {
    entries.body_fields = bothSpellings(Object.entries(call.body));
    entries.body_message = call.message.split(".").at(-1);
    const nested = reachableMessages(call.body);
    if (nested.size > 0)
      entries.body_messages = Object.fromEntries(
        [...nested].map(([name, fields]) => [name, bothSpellings(Object.entries(fields))]),
      );
  }
  return { filter_metadata: { [LUA_FILTER]: entries } };
}
