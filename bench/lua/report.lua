-- wrk's summary as one JSON line on stdout, for bench/src/wrk.ts to read:
-- wrk's own text output rounds and changes units. Times are microseconds.
local report = {}

function report.done(summary, latency, _requests)
  local errors = summary.errors
  local parts = {
    string.format('"durationUs":%d', summary.duration),
    string.format('"requests":%d', summary.requests),
    string.format('"bytes":%d', summary.bytes),
    string.format(
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}',
      errors.connect,
      errors.read,
      errors.write,
      errors.status,
      errors.timeout
    ),
    string.format(
      '"latencyUs":{"mean":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}',
      latency.mean,
      latency.max,
      latency:percentile(50),
      latency:percentile(90),
      latency:percentile(99),
      latency:percentile(99.9)
    ),
  }
  io.write("KURT_BENCH_WRK " .. "{" .. table.concat(parts, ",") .. "}\n")
end

-- What a browser sends; the same for every request, so clicklog classifies one browser.
report.user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
  .. "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"

-- Threads are told their number in setup(), so each starts at a different place in a list.
local next_id = 0
function report.number_thread(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

return report
