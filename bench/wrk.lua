-- wrk script for bench/run.py: optional headers from the environment, POSTs of new comments with
-- a round of API tokens, and a summary line the runner reads (latencies in microseconds).
--   BENCH_COOKIE   a Cookie header for every request
--   BENCH_AUTH     an Authorization header for every request
--   BENCH_TOKENS   comma-separated API tokens: POST a new comment, each request as the next reader

local cookie = os.getenv("BENCH_COOKIE")
local auth = os.getenv("BENCH_AUTH")
local tokens = {}
for token in string.gmatch(os.getenv("BENCH_TOKENS") or "", "[^,]+") do
  table.insert(tokens, token)
end
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

function request()
  local headers = {}
  if cookie then headers["Cookie"] = cookie end
  if auth then headers["Authorization"] = auth end
  if #tokens == 0 then
    return wrk.format("GET", nil, headers)
  end
  counter = counter + 1
  headers["Authorization"] = "Token " .. tokens[(counter % #tokens) + 1]
  headers["Content-Type"] = "application/json"
  -- A different text each time: the duplicate rule must not refuse it.
  local body = string.format(
    '{"body": "Comment %d-%d from the benchmark: this happened to me too after a long run, '
      .. 'and magnesium helped. See https://example.org/notes/%d"}',
    thread_id, counter, counter)
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "non_2xx_3xx": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
