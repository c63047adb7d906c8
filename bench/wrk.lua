-- wrk script for `make bench`: rotates request paths and cookies read from files, counts
-- responses outside 2xx, and prints one JSON line of results at the end.
--   BENCH_PATHS    file with one path per line (required)
--   BENCH_COOKIES  file with one Cookie header value per line (optional)

local threads = {}

local function read_lines(name)
  local lines = {}
  if name and name ~= "" then
    for line in io.lines(name) do
      if line ~= "" then lines[#lines + 1] = line end
    end
  end
  return lines
end

function setup(thread)
  thread:set("index", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  paths = read_lines(os.getenv("BENCH_PATHS"))
  cookies = read_lines(os.getenv("BENCH_COOKIES"))
  -- Threads start far apart in the lists, so they do not send the same reader together.
  n = index * 7919
  non_2xx = 0
end

function request()
  n = n + 1
  local headers = {}
  if #cookies > 0 then
    headers["Cookie"] = cookies[(n % #cookies) + 1]
  end
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non_2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
      .. '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    bad, errors.connect + errors.read + errors.write + errors.timeout))
end
