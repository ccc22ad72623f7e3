import path from "node:path";

/** The Lua filter's source in envoy/ of this checkout (not generated, so it is read in place). */
export function gatewayLuaFile(root: string): string {
  return path.join(root, "envoy", "lua", "kurt-gateway.lua");
}

/**
 * The OpenAPI document the gateway serves at `GET /v1/openapi.json`:
 * generated from proto/ by `npm run generate` (docs/adr/0031-openapi-document.md)
 * and committed, so Envoy reads it in place, like the Lua filter.
 */
export const OPENAPI_DOCUMENT = { dir: "envoy/openapi", file: "openapi.json" } as const;

export function gatewayOpenApiFile(root: string): string {
  return path.join(root, OPENAPI_DOCUMENT.dir, OPENAPI_DOCUMENT.file);
}

/**
 * Where the document is when a configuration names only the Lua filter's
 * file: beside its folder, as in a checkout (envoy/lua/ and envoy/openapi/)
 * and in the compose container (/etc/kurt/lua/ and /etc/kurt/openapi/).
 */
export function openApiFileBesideLua(luaFile: string): string {
  return path.posix.join(path.posix.dirname(path.posix.dirname(luaFile)), "openapi", OPENAPI_DOCUMENT.file);
}
