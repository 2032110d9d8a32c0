-- Given a file after `--` (lines of "path<TAB>Cookie value"), requests those pages in turn, each
-- with its own session, starting at a different place in each thread; otherwise the URL given.
-- Prints one machine-readable line with the run's totals and latency percentiles (microseconds).
local rotation = nil
local next_index = 0

init = function(args)
  if args[1] == nil then
    return
  end
  rotation = {}
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t(.*)$")
    table.insert(rotation, { path, cookie })
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  next_index = math.random(#rotation) - 1
end

request = function()
  if rotation == nil then
    return wrk.format()
  end
  next_index = next_index % #rotation + 1
  local item = rotation[next_index]
  return wrk.format("GET", item[1], { ["Cookie"] = item[2] })
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"socket_errors":%d,"non2xx":%d,"p50":%d,"p95":%d,"p99":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
