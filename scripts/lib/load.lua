-- wrk script for scripts/load.sh: counts every answer by status, so a run can prove it
-- saw no 5xx and nothing but the statuses it expected, and prints one RESULT line.
--
-- Arguments (after `--`): EXPECTED [STOP_AFTER [UNIQUE_EMAILS]]
--   EXPECTED       statuses that count as right, e.g. "200" or "404,429"
--   STOP_AFTER     each thread stops after this many answers (0: run for -d)
--   UNIQUE_EMAILS  "1": every request starts a pairing for a new made-up address

-- The request, from the environment: LOAD_METHOD (default GET), LOAD_BODY (sent as
-- JSON), LOAD_AUTHORIZATION (an Authorization header value).
wrk.method = os.getenv("LOAD_METHOD") or "GET"
if os.getenv("LOAD_BODY") then
  wrk.body = os.getenv("LOAD_BODY")
  wrk.headers["Content-Type"] = "application/json"
end
if os.getenv("LOAD_AUTHORIZATION") then
  wrk.headers["Authorization"] = os.getenv("LOAD_AUTHORIZATION")
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  expected = {}
  for status in string.gmatch(args[1] or "200", "%d+") do
    expected[tonumber(status)] = true
  end
  stop_after = tonumber(args[2] or "0")
  unique = args[3] == "1"
  answers, right, wrong, server_errors = 0, 0, 0, 0
  serial = 0
end

function request()
  if unique then
    serial = serial + 1
    local body = string.format(
      '{"email":"load-%d-%d@example.invalid","email_confirmation":false}',
      id, serial)
    return wrk.format(nil, nil, nil, body)
  end
  return wrk.request()
end

function response(status, headers, body)
  answers = answers + 1
  if expected[status] then right = right + 1 else wrong = wrong + 1 end
  if status >= 500 then server_errors = server_errors + 1 end
  if stop_after > 0 and answers >= stop_after then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local right_total, wrong_total, server_total = 0, 0, 0
  for _, thread in ipairs(threads) do
    right_total = right_total + thread:get("right")
    wrong_total = wrong_total + thread:get("wrong")
    server_total = server_total + thread:get("server_errors")
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f expected=%d unexpected=%d status_5xx=%d socket_errors=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    right_total, wrong_total, server_total,
    e.connect + e.read + e.write + e.timeout))
end
