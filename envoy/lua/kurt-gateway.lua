-- Kurt's public HTTP listener: the steps the gRPC-JSON transcoder cannot do,
-- for the REST API (`/v1/`). The redirects (`GET|HEAD /{code}`) never reach
-- this filter: their route disables it and goes straight to the resolvers'
-- HTTP listeners (gateway/src/public-listener.ts).
-- This filter sits before the transcoder, so it sees requests before they are
-- transcoded and responses after they were (encoders run in reverse order).
--
-- Requests:
--   * HEAD becomes GET (the transcoder maps neither HEAD nor OPTIONS,
--     envoyproxy/envoy#6608); the body is dropped on the way out.
--   * A bare OPTIONS (not a CORS preflight, which the CORS filter answered)
--     gets 204 with the methods the API allows.
--   * Raw gRPC is refused with HTTP 415 and grpc-status UNIMPLEMENTED: it
--     belongs on the internal gRPC listener, and letting it through here would
--     bypass the strict-input checks. Envoy sends a gRPC request's local reply
--     as HTTP 200 + grpc-status whatever status it was given, so the way out
--     restores the 415: the one status this filter sets there, on its own
--     reply only, marked in dynamic metadata (never read from a body).
--   * Headers that steer Envoy or the services' gRPC servers (grpc-timeout,
--     x-envoy-*) are internal: a client's are dropped, so that no HTTP client
--     can give a write a deadline that cuts it off after it committed.
--   * DESIGN.md §2's strict input, driven by route metadata that
--     gateway/src/http-bindings.ts renders from the contract's HTTP rules
--     (every route under /v1/ has it):
--       unknown_call  the path or method is not a call of the API (a
--                     trailing slash included): 404 or 405;
--       query_fields  the only query parameters the call takes;
--       body_fields   the only members its JSON body may have, and the JSON
--                     kind of each value; the body must be RFC 8259 JSON;
--       body_message  the request message named in the error;
--       body_messages the members and kinds of the messages a body holds
--                     inside (a link's rules, a batch's links), checked as
--                     deep as they go, the error naming the member's path.
-- Responses:
--   * No status is rewritten from what a service answered: the transcoder's
--     gRPC-to-HTTP map agrees with @kurt/core's error-status table for every
--     error a transcoded call raises (FAILED_PRECONDITION, "gone", is raised
--     only by the resolver, whose redirect answers 410 itself; docs/adr/0022).
--   * gRPC's own headers (grpc-status, grpc-encoding…) mean nothing to an
--     HTTP client and are removed.
--   * A HEAD's answer loses its body.

local ALLOWED_METHODS = "GET, HEAD, POST, PATCH, DELETE, OPTIONS"
local GRPC_HEADERS = { "grpc-status", "grpc-message", "grpc-encoding", "grpc-accept-encoding" }
local MAX_DEPTH = 32
local GRPC_REFUSAL = "gRPC is served on the internal gRPC listener, not the public HTTP one"

local function url_decode(text)
  text = string.gsub(text, "%+", " ")
  return (string.gsub(text, "%%(%x%x)", function(hex)
    return string.char(tonumber(hex, 16))
  end))
end

-- Returns a message for a query parameter the call does not take, or nil.
local function check_query(headers, rules)
  local path = headers:get(":path")
  local mark = string.find(path, "?", 1, true)
  if mark == nil then
    return nil
  end
  local allowed = rules:get("query_fields") or {}
  local call = rules:get("call") or "this call"
  for pair in string.gmatch(string.sub(path, mark + 1), "[^&]+") do
    local name = url_decode(string.match(pair, "^[^=]*"))
    if not allowed[name] then
      if name == "" then
        name = "(empty name)"
      end
      return name .. ": not a query parameter of " .. call
    end
  end
  return nil
end

-- Strict RFC 8259 JSON. Every reader takes the text s and the index i of
-- what it reads, and returns the index after it, or nil and why not.

local JSON_ESCAPES = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

local function fail(i, what)
  return nil, "request body: not valid JSON (RFC 8259): " .. what .. " at byte " .. i
end

-- UTF-8 for a \uXXXX escape; a lone surrogate half becomes U+FFFD (only
-- names are decoded, and no field name has either).
local function utf8_char(code)
  if code < 0x80 then
    return string.char(code)
  elseif code < 0x800 then
    return string.char(0xC0 + math.floor(code / 0x40), 0x80 + code % 0x40)
  elseif code >= 0xD800 and code < 0xE000 then
    return "\239\191\189"
  end
  return string.char(0xE0 + math.floor(code / 0x1000), 0x80 + math.floor(code / 0x40) % 0x40, 0x80 + code % 0x40)
end

-- A string at s[i] == '"': returns the index after it and, unless
-- skip_value (only member names are ever looked at), its value.
local function read_string(s, i, skip_value)
  local parts = nil
  local j = i + 1
  while true do
    local k = string.find(s, '["\\%z\1-\31]', j)
    if k == nil then
      return fail(i, "unterminated string")
    end
    local c = string.byte(s, k)
    if c == 34 then -- the closing quote
      if skip_value then
        return k + 1
      elseif parts == nil then
        return k + 1, string.sub(s, j, k - 1)
      end
      parts[#parts + 1] = string.sub(s, j, k - 1)
      return k + 1, table.concat(parts)
    elseif c ~= 92 then -- not a backslash
      return fail(k, "control character in a string (escape it)")
    end
    if not skip_value then
      parts = parts or {}
      parts[#parts + 1] = string.sub(s, j, k - 1)
    end
    local escape = string.sub(s, k + 1, k + 1)
    local decoded
    if escape == "u" then
      local hex = string.sub(s, k + 2, k + 5)
      if string.find(hex, "^%x%x%x%x$") == nil then
        return fail(k, "bad \\u escape")
      end
      if not skip_value then
        decoded = utf8_char(tonumber(hex, 16))
      end
      j = k + 6
    elseif JSON_ESCAPES[escape] ~= nil then
      decoded = JSON_ESCAPES[escape]
      j = k + 2
    else
      return fail(k, "bad escape \\" .. escape)
    end
    if not skip_value then
      parts[#parts + 1] = decoded
    end
  end
end

-- JSON's only white space: space, tab, line feed, carriage return.
local function skip_space(s, i)
  return string.find(s, "[^ \t\r\n]", i) or (#s + 1)
end

-- A number: returns the index after it and "integer" or "number".
local function read_number(s, i)
  local j = i
  if string.sub(s, j, j) == "-" then
    j = j + 1
  end
  local _, last = string.find(s, "^%d+", j)
  if last == nil then
    return fail(i, "not a number")
  end
  if string.sub(s, j, j) == "0" and last > j then
    return fail(i, "leading zero in a number")
  end
  local kind = "integer"
  j = last + 1
  if string.sub(s, j, j) == "." then
    _, last = string.find(s, "^%d+", j + 1)
    if last == nil then
      return fail(j, "digits must follow the decimal point")
    end
    kind = "number"
    j = last + 1
  end
  if string.find(s, "^[eE]", j) then
    _, last = string.find(s, "^[+-]?%d+", j + 1)
    if last == nil then
      return fail(j, "digits must follow the exponent")
    end
    kind = "number"
    j = last + 1
  end
  return j, kind
end

-- The body's shape is checked in the parser's one pass: a reader told what
-- kind its value must have (a field's kind, from the route metadata) notes
-- the first value that breaks the call's shape in ctx.problem, naming its
-- path (`rules[2].query.value`), and the parse goes on, so that a body that
-- is not JSON at all is refused as such first. The work is one pass over
-- the body, and the memory one frame per level of nesting (MAX_DEPTH): no
-- tree of the body is ever built, whatever it holds (a batch's 1,000 links).
--   ctx.messages  message name → { member name → kind } (body_messages, and
--                 the body's own message → body_fields)
--   ctx.problem   the first problem found, or nil
-- Kinds: "string", "integer", "boolean", "timestamp", "string-list",
-- "object:M" (an object of message M's members) and "object-list:M" (an
-- array of them); null is "absent" for a member, but never an element.

local read_value

-- "object-list:RedirectRule" → "object-list", "RedirectRule"; a scalar kind
-- → itself. Kinds come from the configuration, so the split ones are kept.
local KIND_PARTS = {}
local function split_kind(kind)
  local parts = KIND_PARTS[kind]
  if parts == nil then
    local base, message = string.match(kind, "^(object[%a-]*):(.+)$")
    parts = { base or kind, message }
    KIND_PARTS[kind] = parts
  end
  return parts[1], parts[2]
end

-- The path of a member (key: its name) or an element (key: its index from
-- 0) of the value at `parent`; made only when needed, not for every value.
local function path_of(parent, key)
  if type(key) == "number" then
    return parent .. "[" .. key .. "]"
  elseif parent == "" then
    return key
  end
  return parent .. "." .. key
end

local function note(ctx, path, why)
  if ctx.problem == nil then
    ctx.problem = path .. ": " .. why
  end
end

local KIND_NAMES = {
  string = "a string",
  integer = "a whole number",
  number = "a number with a fraction or exponent",
  boolean = "true or false",
  null = "null",
  array = "an array",
  object = "an object",
}

local WANTED = {
  string = "a JSON string",
  integer = "a JSON number without fraction or exponent",
  boolean = "true or false",
  timestamp = "an RFC 3339 timestamp string",
  ["string-list"] = "a JSON array of strings",
  object = "a JSON object",
  ["object-list"] = "a JSON array of objects",
}

-- The JSON kinds each kind of field takes (a string-list's elements are checked apart).
local ACCEPTS = {
  string = { string = true },
  integer = { integer = true },
  boolean = { boolean = true },
  timestamp = { string = true },
  ["string-list"] = { array = true },
  object = { object = true },
  ["object-list"] = { array = true },
}

-- Why a value of JSON kind `got` cannot be a field of kind `base`, or nil.
local function kind_problem(got, strings, base, nullable)
  if got == "null" and nullable then
    return nil
  end
  local accepted = ACCEPTS[base]
  if accepted ~= nil and accepted[got] and (base ~= "string-list" or strings) then
    return nil
  end
  local described = KIND_NAMES[got] or got
  if got == "array" and base == "string-list" then
    described = "an array with an element that is not a string"
  end
  return "must be " .. (WANTED[base] or base) .. ", got " .. described
end

-- An array at s[i] == "[": returns the index after it and whether every
-- element is a string. With element_kind, each element must be of that kind.
local function read_array(s, i, depth, ctx, element_kind, path)
  local strings = true
  local index = 0
  local j = skip_space(s, i + 1)
  if string.sub(s, j, j) == "]" then
    return j + 1, true
  end
  while true do
    local expect = nil
    if ctx.problem == nil then
      expect = element_kind
    end
    local after, kind = read_value(s, j, depth + 1, ctx, expect, path, index, false)
    if after == nil then
      return nil, kind
    end
    strings = strings and kind == "string"
    index = index + 1
    j = skip_space(s, after)
    local c = string.sub(s, j, j)
    if c == "]" then
      return j + 1, strings
    elseif c ~= "," then
      return fail(j, "expected , or ] in an array")
    end
    j = skip_space(s, j + 1)
    if string.sub(s, j, j) == "]" then
      return fail(j, "trailing comma")
    end
  end
end

-- An object at s[i] == "{": returns the index after it. With a message,
-- each member must be one of the message's fields, of the field's kind.
local function read_object(s, i, depth, ctx, message, path)
  local fields = nil
  if message ~= nil and ctx.problem == nil then
    fields = ctx.messages[message]
    if fields == nil then
      -- Fails closed: the route metadata names a message it does not describe.
      note(ctx, path == "" and "request body" or path, "no shape for " .. message .. " to check it against")
    end
  end
  local seen = {}
  local j = skip_space(s, i + 1)
  if string.sub(s, j, j) == "}" then
    return j + 1
  end
  while true do
    if string.sub(s, j, j) ~= '"' then
      return fail(j, "a member name must be a double-quoted string")
    end
    local after, name = read_string(s, j, false)
    if after == nil then
      return nil, name
    end
    if seen[name] then
      local where = ""
      if path ~= nil and path ~= "" then
        where = " of " .. path
      end
      return nil, "request body: member " .. name .. where .. " appears twice"
    end
    seen[name] = true
    j = skip_space(s, after)
    if string.sub(s, j, j) ~= ":" then
      return fail(j, "expected : after a member name")
    end
    local expect = nil
    if fields ~= nil and ctx.problem == nil then
      expect = fields[name]
      if expect == nil then
        note(ctx, path_of(path, name), "unknown field (" .. message .. " has no such field)")
      end
    end
    local value_after, why = read_value(s, skip_space(s, j + 1), depth + 1, ctx, expect, path, name, true)
    if value_after == nil then
      return nil, why
    end
    j = skip_space(s, value_after)
    local c = string.sub(s, j, j)
    if c == "}" then
      return j + 1
    elseif c ~= "," then
      return fail(j, "expected , or } in an object")
    end
    j = skip_space(s, j + 1)
    if string.sub(s, j, j) == "}" then
      return fail(j, "trailing comma")
    end
  end
end

local LITERALS = { ["true"] = "boolean", ["false"] = "boolean", null = "null" }

-- Any value at s[i]: returns the index after it, its JSON kind ("string",
-- "integer", "number", "boolean", "null", "array", "object") and, for an
-- array, whether every element is a string. With a kind (the field's), a
-- value that does not fit is noted at its path, key of parent (see
-- path_of); nullable: null is "absent".
read_value = function(s, i, depth, ctx, kind, parent, key, nullable)
  if depth > MAX_DEPTH then
    return fail(i, "nested deeper than " .. MAX_DEPTH .. " levels")
  end
  local base, message = nil, nil
  if kind ~= nil then
    base, message = split_kind(kind)
  end
  local c = string.sub(s, i, i)
  local after, got, strings
  if c == '"' then
    local why
    after, why = read_string(s, i, true)
    if after == nil then
      return nil, why
    end
    got = "string"
  elseif c == "{" then
    local inner, path = nil, nil
    if base == "object" then
      inner, path = message, path_of(parent, key)
    end
    local why
    after, why = read_object(s, i, depth, ctx, inner, path)
    if after == nil then
      return nil, why
    end
    got = "object"
  elseif c == "[" then
    local element, path = nil, nil
    if base == "object-list" then
      element, path = "object:" .. message, path_of(parent, key)
    end
    after, strings = read_array(s, i, depth, ctx, element, path)
    if after == nil then
      return nil, strings
    end
    got = "array"
  elseif c == "-" or string.find(c, "^%d$") then
    after, got = read_number(s, i)
    if after == nil then
      return nil, got
    end
  else
    for literal, literal_kind in pairs(LITERALS) do
      if string.sub(s, i, i + #literal - 1) == literal then
        after, got = i + #literal, literal_kind
        break
      end
    end
    if after == nil then
      if c == "" then
        return fail(i, "unexpected end")
      end
      return fail(i, "unexpected character " .. string.format("%q", c))
    end
  end
  if base ~= nil and ctx.problem == nil then
    local problem = kind_problem(got, strings, base, nullable)
    if problem ~= nil then
      note(ctx, path_of(parent, key), problem)
    end
  end
  return after, got, strings
end

-- Returns a message for a body that is not a JSON object of the call's fields, or nil.
local function check_body(request_handle, rules)
  local body_fields = rules:get("body_fields")
  if body_fields == nil then
    return nil
  end
  -- Handles taken before body() are invalid after it yields; the tables they gave are not.
  local message = rules:get("body_message") or "the request"
  local messages = rules:get("body_messages") or {}
  messages[message] = body_fields
  local body = request_handle:body()
  if body == nil or body:length() == 0 then
    return nil
  end
  local s = body:getBytes(0, body:length())
  local start = skip_space(s, 1)
  if string.sub(s, start, start) ~= "{" then
    return "request body: must be a JSON object"
  end
  local ctx = { messages = messages, problem = nil }
  local after, why = read_object(s, start, 1, ctx, message, "")
  if after == nil then
    return why
  end
  if skip_space(s, after) <= #s then
    local _, trailing = fail(skip_space(s, after), "text after the JSON object")
    return trailing
  end
  return ctx.problem
end

-- Drops a client's headers that would steer Envoy's router or a service's gRPC server.
local function drop_internal_headers(headers)
  local names = {}
  for name, _ in pairs(headers) do
    if string.sub(name, 1, 5) == "grpc-" or string.sub(name, 1, 8) == "x-envoy-" then
      names[#names + 1] = name
    end
  end
  for _, name in ipairs(names) do
    headers:remove(name)
  end
end

function envoy_on_request(request_handle)
  local headers = request_handle:headers()

  local method = headers:get(":method")
  -- The transcoder turns every call into a POST; the access log wants the client's method.
  local metadata = request_handle:streamInfo():dynamicMetadata()
  metadata:set("kurt", "method", method)
  -- Before OPTIONS: Envoy would send the 204 to a gRPC request as HTTP 200
  -- in gRPC's form, which is neither the refusal nor the answer to OPTIONS.
  local content_type = headers:get("content-type")
  if content_type ~= nil and string.sub(string.lower(content_type), 1, 16) == "application/grpc" then
    -- Answered 415 on the way out (see envoy_on_response).
    metadata:set("kurt", "grpc_refused", true)
    request_handle:respond({ [":status"] = "415" }, GRPC_REFUSAL)
    return
  end

  if method == "OPTIONS" then
    request_handle:respond({ [":status"] = "204", ["allow"] = ALLOWED_METHODS }, "")
    return
  end
  drop_internal_headers(headers)

  local rules = request_handle:metadata()
  if rules:get("unknown_call") then
    local path = string.match(headers:get(":path"), "^[^?]*")
    request_handle:respond({ [":status"] = "404" }, "no such call: " .. method .. " " .. path)
    return
  end
  if method == "HEAD" then
    headers:replace(":method", "GET")
    metadata:set("kurt", "head", true)
  end
  local problem = check_query(headers, rules)
  if problem == nil then
    problem = check_body(request_handle, rules)
  end
  if problem ~= nil then
    -- Becomes {"code":3,"message":problem} through local_reply_config.
    request_handle:respond({ [":status"] = "400" }, problem)
  end
end

function envoy_on_response(response_handle)
  local headers = response_handle:headers()
  local meta = response_handle:streamInfo():dynamicMetadata():get("kurt")
  local head = meta ~= nil and meta["head"]
  if meta ~= nil and meta["grpc_refused"] then
    -- Envoy answers a gRPC request's local reply in gRPC's form (HTTP 200,
    -- grpc-status in the headers); the status makes it a real 4xx for HTTP
    -- tools too, and gRPC clients read grpc-status as ever.
    headers:replace(":status", "415")
    headers:replace("grpc-status", "12")
    headers:replace("grpc-message", GRPC_REFUSAL)
    return
  end

  for _, name in ipairs(GRPC_HEADERS) do
    headers:remove(name)
  end

  if not head then
    return
  end
  -- Buffers the (small, unary) answer; after this yield only fresh handles are valid.
  local body = response_handle:body(true)
  if body == nil then
    return
  end
  local length = body:length()
  if length > 0 then
    -- Envoy would send the body of an upstream answer to a HEAD (only its own
    -- replies are cut). Content-Length stays what GET would have answered.
    body:setBytes("")
    response_handle:headers():replace("content-length", tostring(length))
  end
end
