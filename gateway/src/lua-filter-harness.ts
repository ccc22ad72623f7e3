import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LuaFactory } from "wasmoon";
import { HTTP_CALLS, luaCallMetadata } from "./http-bindings.js";
import { gatewayLuaFile } from "./runtime-files.js";

/**
 * Runs the real envoy/lua/kurt-gateway.lua in a Lua VM (wasmoon: Lua 5.4,
 * where Envoy has LuaJIT, i.e. Lua 5.1; docs/adr/0022) with fake stream
 * handles that offer the part of Envoy's Lua API the filter uses: headers
 * (get, replace, remove, pairs), body (length, getBytes, setBytes), route
 * metadata, dynamic metadata, and respond.
 */

const FAKE_ENVOY = `
local function fake_headers(initial)
  local store = {}
  for name, value in pairs(initial) do store[name] = value end
  local headers = setmetatable({}, { __pairs = function() return next, store, nil end })
  function headers:get(name) return store[name] end
  function headers:replace(name, value) store[name] = value end
  function headers:remove(name) store[name] = nil end
  return headers, store
end

local function fake_body(text)
  if text == nil then return nil end
  local body = { text = text }
  function body:length() return #self.text end
  -- Envoy's getBytes(index, length), index from 0.
  function body:getBytes(index, length) return string.sub(self.text, index + 1, index + length) end
  function body:setBytes(bytes) self.text = bytes end
  return body
end

local function fake_stream(stream)
  local headers, store = fake_headers(stream.headers)
  local dynamic = stream.dynamic or {}
  local handle = { body_read = false }
  function handle:headers() return headers end
  function handle:body()
    self.body_read = true
    self.buffer = self.buffer or fake_body(stream.body)
    return self.buffer
  end
  function handle:metadata()
    local route = stream.route or {}
    return { get = function(_, key) return route[key] end }
  end
  function handle:streamInfo()
    return {
      dynamicMetadata = function()
        return {
          set = function(_, filter, key, value)
            dynamic[filter] = dynamic[filter] or {}
            dynamic[filter][key] = value
          end,
          get = function(_, filter) return dynamic[filter] end,
        }
      end,
    }
  end
  function handle:respond(reply_headers, reply_body)
    self.reply = { headers = reply_headers, body = reply_body }
  end
  return handle, store, dynamic
end

function kurt_test_request(stream)
  local handle, store, dynamic = fake_stream(stream)
  envoy_on_request(handle)
  return { headers = store, reply = handle.reply, dynamic = dynamic, bodyRead = handle.body_read }
end

function kurt_test_response(stream)
  local handle, store = fake_stream(stream)
  envoy_on_response(handle)
  local body = handle.buffer and handle.buffer.text or stream.body
  return { headers = store, body = body, bodyRead = handle.body_read }
end
`;

export type Headers = Record<string, string>;
/** Dynamic metadata by filter name, as the request step leaves it for the response step. */
export type DynamicMetadata = Record<string, Record<string, unknown>>;
/** The route metadata the Lua filter reads (see luaCallMetadata). */
export type RouteRules = Record<string, unknown>;

export interface RequestOutcome {
  /** The request headers as the filter left them (what the transcoder and router see). */
  readonly headers: Headers;
  /** The filter's own answer, when it answered instead of passing the request on. */
  readonly reply?: { readonly headers: Headers; readonly body: string };
  readonly dynamic: DynamicMetadata;
  /** Whether the filter buffered the body. */
  readonly bodyRead: boolean;
}

export interface ResponseOutcome {
  readonly headers: Headers;
  readonly body: string | undefined;
  readonly bodyRead: boolean;
}

export interface LuaFilter {
  onRequest(stream: { headers: Headers; body?: string; route?: RouteRules }): Promise<RequestOutcome>;
  onResponse(stream: { headers: Headers; body?: string; dynamic?: DynamicMetadata }): Promise<ResponseOutcome>;
  close(): void;
}

const LUA_FILTER = "envoy.filters.http.lua";

/** The route metadata of the contract's call NAME (gateway/src/http-bindings.ts), or of a path the API lacks. */
export function routeRules(name: string | undefined): RouteRules {
  const call = name === undefined ? undefined : HTTP_CALLS.find((c) => c.name === name);
  if (name !== undefined && call === undefined) throw new Error(`no call named ${name}`);
  const metadata = luaCallMetadata(call) as { filter_metadata: Record<string, RouteRules> };
  const rules = metadata.filter_metadata[LUA_FILTER];
  if (rules === undefined) throw new Error("luaCallMetadata rendered no Lua metadata");
  return rules;
}

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const factory = new LuaFactory();

/** A fresh VM with the filter loaded: no state leaks from one test to the next. */
export async function loadLuaFilter(): Promise<LuaFilter> {
  // Plain JS objects become Lua tables (not proxies), so the filter can iterate them.
  const lua = await factory.createEngine({ enableProxy: false });
  await lua.doString(readFileSync(gatewayLuaFile(repoRoot), "utf8"));
  await lua.doString(FAKE_ENVOY);
  const call = async <T>(name: string, stream: object): Promise<T> => {
    const run = lua.global.get(name) as (stream: object) => T;
    return run(stream);
  };
  return {
    onRequest: (stream) => call<RequestOutcome>("kurt_test_request", stream),
    onResponse: (stream) => call<ResponseOutcome>("kurt_test_response", stream),
    close: () => lua.global.close(),
  };
}
