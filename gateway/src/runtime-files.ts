import path from "node:path";

/** The Lua filter's source in envoy/ of this checkout (not generated, so it is read in place). */
export function gatewayLuaFile(root: string): string {
  return path.join(root, "envoy", "lua", "kurt-gateway.lua");
}
