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
--   * Raw gRPC is refused: it belongs on the internal gRPC listener, and
--     letting it through here would bypass the transcoder's validation and
--     the write rate limit.
--   * What the transcoder is too lenient about, driven by route metadata
--     that gateway/src/http-bindings.ts renders from the contract's HTTP rules:
--       path_fields  a query parameter naming a path-bound field is refused
--                    (`DELETE /v1/links/abc?code=zzz` would delete zzz);
--       body_fields  the members a JSON body may have: any other member is
--                    refused with 400 (the transcoder drops unknown members
--                    silently; docs/adr/0005-unknown-json-fields.md), and so is
--                    a query parameter naming one of them;
--       array_fields members that must be JSON arrays (the transcoder would
--                    take `"tags": "a"` for `["a"]`).
-- Responses:
--   * Envoy maps FAILED_PRECONDITION to 400; Kurt means "gone" by it: 410.
--     The transcoder drops grpc-status from the answer, so the code is read
--     from the google.rpc.Status JSON body, which it writes with `code` first.
--   * gRPC's own headers (grpc-status, grpc-encoding…) mean nothing to an
--     HTTP client and are removed.

local ALLOWED_METHODS = "GET, HEAD, POST, PATCH, DELETE, OPTIONS"
local GRPC_HEADERS = { "grpc-status", "grpc-message", "grpc-encoding", "grpc-accept-encoding" }

local function url_decode(text)
  text = string.gsub(text, "%+", " ")
  return (string.gsub(text, "%%(%x%x)", function(hex)
    return string.char(tonumber(hex, 16))
  end))
end

-- Returns a message for a refused query parameter, or nil.
local function check_query(headers, rules)
  local path = headers:get(":path")
  local mark = string.find(path, "?", 1, true)
  if mark == nil then
    return nil
  end
  local path_fields = rules:get("path_fields") or {}
  local body_fields = rules:get("body_fields") or {}
  for pair in string.gmatch(string.sub(path, mark + 1), "[^&]+") do
    local name = url_decode(string.match(pair, "^[^=]*"))
    if path_fields[name] then
      return name .. ": is taken from the path; it cannot also be a query parameter"
    end
    if body_fields[name] then
      return name .. ": belongs in the JSON body, not in the query string"
    end
  end
  return nil
end

local JSON_ESCAPES = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

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

-- Reads the JSON string starting at s[i] == '"'; returns its value and the
-- index after it, or nil when it is not a well-formed string.
local function read_string(s, i)
  local parts = {}
  local j = i + 1
  while true do
    local k = string.find(s, '["\\%z\1-\31]', j)
    if k == nil then
      return nil
    end
    local c = string.sub(s, k, k)
    parts[#parts + 1] = string.sub(s, j, k - 1)
    if c == '"' then
      return table.concat(parts), k + 1
    elseif c ~= "\\" then
      return nil
    end
    local escape = string.sub(s, k + 1, k + 1)
    if escape == "u" then
      local hex = string.sub(s, k + 2, k + 5)
      if string.find(hex, "^%x%x%x%x$") == nil then
        return nil
      end
      parts[#parts + 1] = utf8_char(tonumber(hex, 16))
      j = k + 6
    elseif JSON_ESCAPES[escape] ~= nil then
      parts[#parts + 1] = JSON_ESCAPES[escape]
      j = k + 2
    else
      return nil
    end
  end
end

local function skip_space(s, i)
  return string.find(s, "[^ \t\r\n]", i) or (#s + 1)
end

-- Returns the index after the JSON value at s[i], or nil. Nested values are
-- only skipped (brackets counted, strings read); the transcoder parses them.
local function skip_value(s, i)
  local c = string.sub(s, i, i)
  if c == '"' then
    local _, after = read_string(s, i)
    return after
  end
  if c == "{" or c == "[" then
    local depth = 0
    local j = i
    while true do
      local k = string.find(s, '[%[%]{}"]', j)
      if k == nil then
        return nil
      end
      local d = string.sub(s, k, k)
      if d == '"' then
        local _, after = read_string(s, k)
        if after == nil then
          return nil
        end
        j = after
      else
        depth = depth + ((d == "{" or d == "[") and 1 or -1)
        j = k + 1
        if depth == 0 then
          return j
        end
      end
    end
  end
  local _, last = string.find(s, "^[%w%.%+%-]+", i)
  return last and last + 1
end

-- The members of the JSON object text s as {name, first character of the
-- value}, or nil when s is not one (the transcoder then reports the
-- malformed body itself).
local function member_names(s)
  local i = skip_space(s, 1)
  if string.sub(s, i, i) ~= "{" then
    return nil
  end
  local names = {}
  i = skip_space(s, i + 1)
  if string.sub(s, i, i) == "}" then
    return names
  end
  while true do
    if string.sub(s, i, i) ~= '"' then
      return nil
    end
    local name, after = read_string(s, i)
    if name == nil then
      return nil
    end
    i = skip_space(s, after)
    if string.sub(s, i, i) ~= ":" then
      return nil
    end
    local start = skip_space(s, i + 1)
    after = skip_value(s, start)
    if after == nil then
      return nil
    end
    names[#names + 1] = { name = name, first = string.sub(s, start, start) }
    i = skip_space(s, after)
    local c = string.sub(s, i, i)
    if c == "}" then
      return names
    elseif c ~= "," then
      return nil
    end
    i = skip_space(s, i + 1)
  end
end

-- Returns a message for a JSON member the request message has no field for, or nil.
local function check_body(request_handle, rules)
  local body_fields = rules:get("body_fields")
  if body_fields == nil then
    return nil
  end
  -- Handles taken before body() are invalid after it yields.
  local message = rules:get("body_message") or "the request"
  local array_fields = rules:get("array_fields") or {}
  local body = request_handle:body()
  if body == nil or body:length() == 0 then
    return nil
  end
  local members = member_names(body:getBytes(0, body:length()))
  for _, member in ipairs(members or {}) do
    if not body_fields[member.name] then
      return member.name .. ": unknown field (" .. message .. " has no such field)"
    end
    -- The transcoder would take a lone value for a one-element list.
    if array_fields[member.name] and member.first ~= "[" and member.first ~= "n" then
      return member.name .. ": must be a JSON array"
    end
  end
  return nil
end

function envoy_on_request(request_handle)
  local headers = request_handle:headers()

  local method = headers:get(":method")
  -- The transcoder turns every call into a POST; the access log wants the client's method.
  local metadata = request_handle:streamInfo():dynamicMetadata()
  metadata:set("kurt", "method", method)
  if method == "HEAD" then
    headers:replace(":method", "GET")
    metadata:set("kurt", "head", true)
  elseif method == "OPTIONS" then
    request_handle:respond({ [":status"] = "204", ["allow"] = ALLOWED_METHODS }, "")
    return
  end

  local content_type = headers:get("content-type")
  if content_type ~= nil and string.sub(content_type, 1, 16) == "application/grpc" then
    -- A local reply: the connection manager's local_reply_config makes it JSON.
    request_handle:respond({ [":status"] = "415" }, "gRPC is served on the internal gRPC listener, not the public HTTP one")
    return
  end

  local rules = request_handle:metadata()
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
  local status = headers:get(":status")
  local meta = response_handle:streamInfo():dynamicMetadata():get("kurt")
  local head = meta ~= nil and meta["head"]

  for _, name in ipairs(GRPC_HEADERS) do
    headers:remove(name)
  end

  if not head and status ~= "400" then
    return
  end
  -- Buffers the (small, unary) answer; after this yield only fresh handles are valid.
  local body = response_handle:body(true)
  if body == nil then
    return
  end
  local length = body:length()
  if status == "400" and string.find(body:getBytes(0, math.min(length, 16)), '^{"code":9[,}]') then
    response_handle:headers():replace(":status", "410")
  end
  if head and length > 0 then
    -- Envoy would send the body of an upstream answer to a HEAD (only its own
    -- replies are cut). Content-Length stays what GET would have answered.
    body:setBytes("")
    response_handle:headers():replace("content-length", tostring(length))
  end
end
