-- POST /v1/links with a new URL each time; the shortener generates the code
-- (7 characters from a CSPRNG, as for any create without a custom code).
--
-- wrk … -s create.lua URL -- API_KEY RUN_TAG
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

local headers = {}
local created = 0
local prefix = ""

function setup(thread)
  report.number_thread(thread)
end

function init(args)
  headers["Authorization"] = "Bearer " .. args[1]
  headers["Content-Type"] = "application/json"
  headers["User-Agent"] = report.user_agent
  prefix = '{"url":"https://example.com/created/' .. args[2] .. "/" .. tostring(thread_id or 0) .. "/"
end

function request()
  created = created + 1
  return wrk.format("POST", "/v1/links", headers, prefix .. created .. '"}')
end

done = report.done
