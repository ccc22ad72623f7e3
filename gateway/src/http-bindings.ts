import type { EnvoyObject } from "./envoy-clusters.js";

/**
 * What the Lua filter needs to know about the contract's HTTP rules
 * (google.api.http in proto/), because the transcoder is lenient where
 * DESIGN.md §2 is strict:
 *   - it takes a lone value for a one-element list (`"tags": "a"`);
 *   - it drops JSON members that name no field (the library behind it hard-codes
 *     ignore_unknown_fields; docs/adr/0005-unknown-json-fields.md), so the Lua
 *     filter refuses them before transcoding;
 *   - it binds query parameters to any field, even one the path already bound
 *     (`GET /abc?code=zzz` resolved zzz, `DELETE /v1/links/abc?code=zzz`
 *     deleted zzz), so such parameters are refused, or dropped for redirects.
 * The unit tests check these lists against the descriptor set that buf builds.
 */

/** Fields bound by a path template of the contract (`/{code}`, `/v1/links/{code}`, `/v1/api-keys/{id}`). */
export const PATH_FIELDS: readonly string[] = ["code", "id"];

export interface JsonBodyRule {
  /** Route name in the rendered configuration. */
  readonly name: string;
  readonly method: "POST" | "PATCH";
  /** The path template with `{field}` variables, as in the proto's google.api.http option. */
  readonly template: string;
  /** Fully qualified request message. */
  readonly message: string;
  /** Proto names of the fields the JSON body may carry (every field the path does not bind). */
  readonly fields: readonly string[];
  /** Those of `fields` whose JSON form is an array (repeated, or google.protobuf.ListValue). */
  readonly arrays: readonly string[];
}

/** The contract's calls with `body: "*"`. */
export const JSON_BODY_RULES: readonly JsonBodyRule[] = [
  {
    name: "create-link",
    method: "POST",
    template: "/v1/links",
    message: "kurt.v1.CreateLinkRequest",
    fields: ["url", "code", "redirect_status", "expires_at", "title", "tags", "cache_seconds"],
    arrays: ["tags"],
  },
  {
    name: "update-link",
    method: "PATCH",
    template: "/v1/links/{code}",
    message: "kurt.v1.UpdateLinkRequest",
    fields: ["url", "redirect_status", "expires_at", "disabled", "title", "tags", "clear_expires_at", "cache_seconds"],
    arrays: ["tags"],
  },
  {
    name: "create-api-key",
    method: "POST",
    template: "/v1/api-keys",
    message: "kurt.v1.CreateApiKeyRequest",
    fields: ["name", "scopes"],
    arrays: ["scopes"],
  },
];

/** protoc's default JSON name (lowerCamelCase); the contract sets no json_name. */
export function jsonName(protoName: string): string {
  return protoName.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** A path template as an Envoy safe_regex (a variable is one non-empty segment). */
export function templateRegex(template: string): string {
  return template
    .split(/(\{[a-z_]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
}

/** Both spellings the transcoder accepts for a member name: proto name and JSON name. */
function nameSet(protoNames: readonly string[]): Record<string, true> {
  const set: Record<string, true> = {};
  for (const name of protoNames) {
    set[name] = true;
    set[jsonName(name)] = true;
  }
  return set;
}

const LUA_FILTER = "envoy.filters.http.lua";

/**
 * Route metadata the Lua filter reads (`request_handle:metadata()`), under
 * its filter name as Envoy requires:
 *   path_fields      query parameters refused because the path binds them
 *   body_fields      the only members the JSON body may have, and the
 *   body_message     request message named in the error
 *   array_fields     members whose value must be a JSON array
 */
export interface LuaRouteMetadata {
  readonly bodyRule?: JsonBodyRule;
}

export function luaRouteMetadata(options: LuaRouteMetadata): EnvoyObject {
  const entries: Record<string, unknown> = { path_fields: nameSet(PATH_FIELDS) };
  if (options.bodyRule) {
    entries.body_fields = nameSet(options.bodyRule.fields);
    entries.body_message = options.bodyRule.message.split(".").at(-1);
    entries.array_fields = nameSet(options.bodyRule.arrays);
  }
  return { filter_metadata: { [LUA_FILTER]: entries } };
}
