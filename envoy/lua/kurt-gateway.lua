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
--       body_message  the request message named in the error.
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

-- A string at s[i] == '"': returns the index after it and its value.
local function read_string(s, i)
  local parts = {}
  local j = i + 1
  while true do
    local k = string.find(s, '["\\%z\1-\31]', j)
    if k == nil then
      return fail(i, "unterminated string")
    end
    local c = string.sub(s, k, k)
    parts[#parts + 1] = string.sub(s, j, k - 1)
    if c == '"' then
      return k + 1, table.concat(parts)
    elseif c ~= "\\" then
      return fail(k, "control character in a string (escape it)")
    end
    local escape = string.sub(s, k + 1, k + 1)
    if escape == "u" then
      local hex = string.sub(s, k + 2, k + 5)
      if string.find(hex, "^%x%x%x%x$") == nil then
        return fail(k, "bad \\u escape")
      end
      parts[#parts + 1] = utf8_char(tonumber(hex, 16))
      j = k + 6
    elseif JSON_ESCAPES[escape] ~= nil then
      parts[#parts + 1] = JSON_ESCAPES[escape]
      j = k + 2
    else
      return fail(k, "bad escape \\" .. escape)
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

local read_value

-- An array at s[i] == "[": returns the index after it and whether every element is a string.
local function read_array(s, i, depth)
  local strings = true
  local j = skip_space(s, i + 1)
  if string.sub(s, j, j) == "]" then
    return j + 1, true
  end
  while true do
    local after, kind = read_value(s, j, depth + 1)
    if after == nil then
      return nil, kind
    end
    strings = strings and kind == "string"
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

-- An object at s[i] == "{": returns the index after it and its members as
-- a list of {name, kind, strings}; calls each member's name at most once.
local function read_object(s, i, depth)
  local members = {}
  local seen = {}
  local j = skip_space(s, i + 1)
  if string.sub(s, j, j) == "}" then
    return j + 1, members
  end
  while true do
    if string.sub(s, j, j) ~= '"' then
      return fail(j, "a member name must be a double-quoted string")
    end
    local after, name = read_string(s, j)
    if after == nil then
      return nil, name
    end
    if seen[name] then
      return nil, "request body: member " .. name .. " appears twice"
    end
    seen[name] = true
    j = skip_space(s, after)
    if string.sub(s, j, j) ~= ":" then
      return fail(j, "expected : after a member name")
    end
    local start = skip_space(s, j + 1)
    local value_after, kind, strings = read_value(s, start, depth + 1)
    if value_after == nil then
      return nil, kind
    end
    members[#members + 1] = { name = name, kind = kind, strings = strings }
    j = skip_space(s, value_after)
    local c = string.sub(s, j, j)
    if c == "}" then
      return j + 1, members
    elseif c ~= "," then
      return fail(j, "expected , or } in an object")
    end
    j = skip_space(s, j + 1)
    if string.sub(s, j, j) == "}" then
      return fail(j, "trailing comma")
    end
  end
end

-- Any value at s[i]: returns the index after it, its kind ("string",
-- "integer", "number", "boolean", "null", "array", "object") and, for an
-- array, whether every element is a string.
read_value = function(s, i, depth)
  if depth > MAX_DEPTH then
    return fail(i, "nested deeper than " .. MAX_DEPTH .. " levels")
  end
  local c = string.sub(s, i, i)
  if c == '"' then
    local after, why = read_string(s, i)
    if after == nil then
      return nil, why
    end
    return after, "string"
  elseif c == "{" then
    local after, why = read_object(s, i, depth)
    if after == nil then
      return nil, why
    end
    return after, "object"
  elseif c == "[" then
    local after, strings = read_array(s, i, depth)
    if after == nil then
      return nil, strings
    end
    return after, "array", strings
  elseif c == "-" or string.find(c, "^%d$") then
    return read_number(s, i)
  end
  for literal, kind in pairs({ ["true"] = "boolean", ["false"] = "boolean", null = "null" }) do
    if string.sub(s, i, i + #literal - 1) == literal then
      return i + #literal, kind
    end
  end
  if c == "" then
    return fail(i, "unexpected end")
  end
  return fail(i, "unexpected character " .. string.format("%q", c))
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

-- Whether a member's value has the kind its field needs (null is "absent").
local function kind_problem(member, expected)
  if member.kind == "null" then
    return nil
  elseif expected == "string" and member.kind == "string" then
    return nil
  elseif expected == "integer" and member.kind == "integer" then
    return nil
  elseif expected == "boolean" and member.kind == "boolean" then
    return nil
  elseif expected == "timestamp" and member.kind == "string" then
    return nil
  elseif expected == "string-list" and member.kind == "array" and member.strings then
    return nil
  end
  local wanted = ({
    string = "a JSON string",
    integer = "a JSON number without fraction or exponent",
    boolean = "true or false",
    timestamp = "an RFC 3339 timestamp string",
    ["string-list"] = "a JSON array of strings",
  })[expected] or expected
  local got = KIND_NAMES[member.kind] or member.kind
  if member.kind == "array" then
    got = "an array with an element that is not a string"
  end
  return member.name .. ": must be " .. wanted .. ", got " .. got
end

-- Returns a message for a body that is not a JSON object of the call's fields, or nil.
local function check_body(request_handle, rules)
  local body_fields = rules:get("body_fields")
  if body_fields == nil then
    return nil
  end
  -- Handles taken before body() are invalid after it yields.
  local message = rules:get("body_message") or "the request"
  local body = request_handle:body()
  if body == nil or body:length() == 0 then
    return nil
  end
  local s = body:getBytes(0, body:length())
  local start = skip_space(s, 1)
  if string.sub(s, start, start) ~= "{" then
    return "request body: must be a JSON object"
  end
  local after, members = read_object(s, start, 1)
  if after == nil then
    return members
  end
  if skip_space(s, after) <= #s then
    local _, why = fail(skip_space(s, after), "text after the JSON object")
    return why
  end
  for _, member in ipairs(members) do
    local expected = body_fields[member.name]
    if expected == nil then
      return member.name .. ": unknown field (" .. message .. " has no such field)"
    end
    local problem = kind_problem(member, expected)
    if problem ~= nil then
      return problem
    end
  end
  return nil
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
