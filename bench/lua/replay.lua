-- GET <prefix><code> for each code of a pre-drawn list (bench/src/request-lists.ts),
-- in order, over keep-alive connections with a fixed browser User-Agent.
-- wrk never follows redirects: a 302 is one response, as it is for Envoy.
--
-- wrk … -s replay.lua URL -- LIST_FILE PATH_PREFIX START
--   LIST_FILE    one code per line
--   PATH_PREFIX  "/" for redirects (and for the bench's bare listener, whose URL is its own),
--                "/__ceiling/" for Envoy's own fixed 302 on the public listener,
--                "/__floor-http/" for the HTTP floor
--   START        where in the list the first thread starts (the others are spread out)
--   HOST         optional: the Host header to send (another domain of Kurt's); default the URL's
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

local codes = {}
local count = 0
local position = 0
local head = ""
local tail = ""

function setup(thread)
  report.number_thread(thread)
end

function init(args)
  local file, prefix, start = args[1], args[2] or "/", tonumber(args[3] or "0")
  for line in io.lines(file) do
    if line ~= "" then
      count = count + 1
      codes[count] = line
    end
  end
  if count == 0 then
    error("no codes in " .. tostring(file))
  end
  local id = tonumber(thread_id) or 0
  position = (start + id * math.floor(count / 16)) % count
  local host = args[4] or wrk.headers["Host"] or (wrk.host .. ":" .. tostring(wrk.port))
  head = "GET " .. prefix
  -- Built once: per request only the code is put in between.
  tail = " HTTP/1.1\r\nHost: "
    .. host
    .. "\r\nUser-Agent: "
    .. report.user_agent
    .. "\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    .. "\r\nAccept-Language: en-US,en;q=0.9"
    .. "\r\n\r\n"
end

function request()
  position = position + 1
  if position > count then
    position = 1
  end
  return head .. codes[position] .. tail
end

done = report.done
