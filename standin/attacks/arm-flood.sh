#!/usr/bin/env bash
# The armed-faults flood: wrk arms `body` faults of 60 KB as fast as it can for a while
# against a release stand-in started with --test-helpers, and the stand-in's resident
# memory is sampled meanwhile. Prints the answers' statuses, the request rate and the
# peak RSS. Figures: docs/reliability.md.
#
#   standin/attacks/arm-flood.sh [SECONDS (default 15)] [BINARY (default: release build)]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
seconds="${1:-15}"
bin="${2:-}"
if [ -z "$bin" ]; then
  (cd "$repo_root" && cargo build -q -p tvmaze-standin --release --locked)
  bin="$repo_root/target/release/tvmaze-standin"
fi
work="$(mktemp -d -t arm-flood.XXXXXX)"
# Builds from before the flag existed had the helpers always on.
helpers=()
"$bin" --help | grep -q -- --test-helpers && helpers=(--test-helpers)
"$bin" --api-addr 127.0.0.1:0 --demo-addr 127.0.0.1:0 "${helpers[@]}" \
  >"$work/out" 2>/dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  grep -q '^tvmaze-standin api=' "$work/out" 2>/dev/null && break
  sleep 0.1
done
api="$(sed -n 's/^tvmaze-standin api=\([^ ]*\) .*/\1/p' "$work/out")"
origin="${api%/v1}"

cat >"$work/arm.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"endpoint":"poll","kind":"body","body":"' .. string.rep("x", 60000) .. '"}'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() armed, refused, other = 0, 0, 0 end
function response(status)
  if status == 204 then armed = armed + 1
  elseif status >= 400 and status < 500 then refused = refused + 1
  else other = other + 1 end
end
function done()
  local a, r, o = 0, 0, 0
  for _, t in ipairs(threads) do a = a + t:get("armed"); r = r + t:get("refused"); o = o + t:get("other") end
  io.write(string.format("armed (204): %d, refused (4xx): %d, other: %d\n", a, r, o))
end
LUA
wrk -t2 -c16 -d"${seconds}s" -s "$work/arm.lua" "$origin/_standin/faults" >"$work/wrk" &
wrk_pid=$!
peak=0
while kill -0 "$wrk_pid" 2>/dev/null; do
  rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
  [ "${rss:-0}" -gt "$peak" ] && peak="$rss"
  sleep 0.2
done
wait "$wrk_pid" || true
grep -E 'Requests/sec|armed' "$work/wrk"
echo "peak RSS: $((peak / 1024)) MiB"
