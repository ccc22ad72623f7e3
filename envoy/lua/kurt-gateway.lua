-- Kurt's public HTTP listener: the steps the gRPC-JSON transcoder cannot do.
-- This filter sits before the transcoder, so it sees requests before they are
-- transcoded and responses after they were (encoders run in reverse order).
--
-- Requests:
--   * HEAD becomes GET (the transcoder maps neither HEAD nor OPTIONS,
--     envoyproxy/envoy#6608), marked with x-kurt-no-click so that the resolver
--     counts no click; the body is dropped on the way out.
--   * A bare OPTIONS (not a CORS preflight, which the CORS filter answered)
--     gets 204 with the methods the API allows.
--   * Raw gRPC is refused: it belongs on the internal gRPC listener, and
--     letting it through here would bypass the transcoder's validation and
--     the write rate limit.
-- Responses:
--   * A Resolve answer carries `location` and `x-kurt-redirect-status` as
--     gRPC initial metadata; the status hint becomes the HTTP status.
--   * Envoy maps FAILED_PRECONDITION to 400; Kurt means "gone" by it: 410.
--     The transcoder drops grpc-status from the answer, so the code is read
--     from the google.rpc.Status JSON body, which it writes with `code` first.
--   * gRPC's own headers (grpc-status, grpc-encoding…) mean nothing to an
--     HTTP client and are removed.

local HEAD_MARKER = "x-kurt-no-click"
local REDIRECT_HINT = "x-kurt-redirect-status"
local REDIRECT_STATUSES = { ["301"] = true, ["302"] = true, ["307"] = true, ["308"] = true }
local ALLOWED_METHODS = "GET, HEAD, POST, PATCH, DELETE, OPTIONS"
local GRPC_HEADERS = { "grpc-status", "grpc-message", "grpc-encoding", "grpc-accept-encoding" }

function envoy_on_request(request_handle)
  local headers = request_handle:headers()
  -- Only this filter may claim a request was a HEAD.
  headers:remove(HEAD_MARKER)

  local method = headers:get(":method")
  -- The transcoder turns every call into a POST; the access log wants the client's method.
  local metadata = request_handle:streamInfo():dynamicMetadata()
  metadata:set("kurt", "method", method)
  if method == "HEAD" then
    headers:replace(":method", "GET")
    headers:add(HEAD_MARKER, "1")
    metadata:set("kurt", "head", true)
  elseif method == "OPTIONS" then
    request_handle:respond({ [":status"] = "204", ["allow"] = ALLOWED_METHODS }, "")
    return
  end

  local content_type = headers:get("content-type")
  if content_type ~= nil and string.sub(content_type, 1, 16) == "application/grpc" then
    -- A local reply: the connection manager's local_reply_config makes it JSON.
    request_handle:respond({ [":status"] = "415" }, "gRPC is served on the internal gRPC listener, not the public HTTP one")
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

  local hint = headers:get(REDIRECT_HINT)
  if hint ~= nil then
    headers:remove(REDIRECT_HINT)
    if status == "200" and REDIRECT_STATUSES[hint] and headers:get("location") ~= nil then
      headers:replace(":status", hint)
    end
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
