-- wrk script for the Berguru benchmark: POSTs the JSON body in BENCH_BODY
-- (a file) to the URL given on wrk's command line, counts every response
-- that is not a 200 or whose body carries GraphQL "errors" as a failure,
-- and prints one JSON line with the figures (parsed by bench.py).
-- Several files separated by ':' are sent in turn (the mixed workload).
local bodies = {}
for path in string.gmatch(os.getenv("BENCH_BODY"), "[^:]+") do
  local f = assert(io.open(path, "rb"))
  table.insert(bodies, f:read("*a"))
  f:close()
end
wrk.method = "POST"
wrk.body = bodies[1]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

if #bodies > 1 then
  local turn = 0
  function request()
    turn = turn % #bodies + 1
    return wrk.format(nil, nil, nil, bodies[turn])
  end
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  failures = 0
  responses = 0
  first_failure = ""
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    failures = failures + 1
    if first_failure == "" then
      first_failure = status .. " " .. string.sub(body, 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local failed, seen, example = 0, 0, ""
  for _, t in ipairs(threads) do
    failed = failed + t:get("failures")
    seen = seen + t:get("responses")
    local e = t:get("first_failure")
    if example == "" and e and e ~= "" then
      example = e
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f,"failures":%d,"responses_seen":%d,"socket_errors":%d,"bytes":%d,"first_failure":%q}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, failed, seen,
    errors.connect + errors.read + errors.write + errors.timeout, summary.bytes, example))
end
