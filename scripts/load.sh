#!/usr/bin/env bash
# Load figures for the stand-in: req/s and latency of start, poll and validate under wrk
# at 50, 200 and 1000 connections, and its memory after 100k starts. Traffic goes only
# to a stand-in this script starts on 127.0.0.1; every run is bounded in time.
#
#   scripts/load.sh          the full table (release build, 5 s per cell, ~2 min)
#   scripts/load.sh --ci     a smoke run for scripts/test.sh: 1 s per endpoint at 50
#                            connections on $TVMAZE_STANDIN_BIN (else the debug build)
#
# Fails if any answer is a 5xx or not the status expected, or on any socket error.
# Prints Markdown table rows for docs/reliability.md. Needs wrk (scripts/setup.sh).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

mode="${1:-full}"
if [ "$mode" = --ci ]; then
  bin="${TVMAZE_STANDIN_BIN:-$repo_root/target/debug/tvmaze-standin}"
  [ -x "$bin" ] || cargo build -p tvmaze-standin --locked
  seconds=1; connections=(50); rss_starts=0
else
  cargo build -p tvmaze-standin --release --locked >&2
  bin="$repo_root/target/release/tvmaze-standin"
  seconds=5; connections=(50 200 1000); rss_starts=100000
fi
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (scripts/setup.sh installs it)" >&2; exit 1; }
# 1000 connections need as many descriptors in wrk and in the stand-in.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

work="$(mktemp -d -t tvmaze-load.XXXXXX)"
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap 'stop; rm -rf "$work"' EXIT

# start: a stand-in whose limits stay out of the way (no start or poll limit, a
# connection cap above the largest cell). Its per-request log goes to /dev/null: this
# measures the server, not the disk. Sets $pid and $api.
start() {
  "$bin" --api-addr 127.0.0.1:0 --demo-addr 127.0.0.1:0 --poll-interval-ms 0 \
    --start-limit-per-minute 1000000000 --max-connections 4000 >"$work/out" 2>/dev/null &
  pid=$!
  local line="" tries=0
  while ! line="$(grep -m1 '^tvmaze-standin api=' "$work/out" 2>/dev/null)"; do
    kill -0 "$pid" 2>/dev/null && ((tries++ < 300)) || { echo "load.sh: the stand-in did not start" >&2; exit 1; }
    sleep 0.1
  done
  api="${line#*api=}"; api="${api%% *}"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
field() { sed -E "s/.*\"$1\":\"([^\"]*)\".*/\1/"; }   # one string field of a flat JSON object

# run NAME URL EXPECTED CONNECTIONS [STOP_AFTER [UNIQUE]]: one wrk cell (the request from
# LOAD_* in the environment, see scripts/lib/load.lua); prints a table row and sets $r.
failed=0
declare -A r
run() {
  local name="$1" url="$2" expected="$3" c="$4" result kv
  result="$(wrk -t2 -c"$c" -d"${seconds}s" --timeout 10s -s scripts/lib/load.lua "$url" \
    -- "$expected" "${5:-0}" "${6:-0}" 2>&1 | grep '^RESULT' || true)"
  if [ -z "$result" ]; then echo "load.sh: wrk gave no result for $name at $c" >&2; failed=1; return; fi
  r=()
  for kv in ${result#RESULT }; do r[${kv%%=*}]="${kv#*=}"; done
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$c" "${r[rps]}" "${r[p50_ms]}" \
    "${r[p99_ms]}" "${r[requests]}" "${r[status_5xx]}" "${r[socket_errors]}"
  if [ "${r[status_5xx]}" != 0 ] || [ "${r[unexpected]}" != 0 ] || [ "${r[socket_errors]}" != 0 ]; then
    echo "load.sh: $name at $c connections: $result" >&2
    failed=1
  fi
}

start
json=(-H 'Content-Type: application/json')
alice='{"email":"alice@example.com","email_confirmation":false}'
# A pending token to poll (403 until decided), and alice's key to validate (the flow).
pending="$(curl -fsS -X POST "$api/auth/start" "${json[@]}" -d "$alice" | field token)"
started="$(curl -fsS -X POST "$api/auth/start" "${json[@]}" -d "$alice")"
curl -fsS -o /dev/null -X POST "$(field confirm_url <<<"$started")" --data decision=confirm
apikey="$(curl -fsS -X POST "$api/auth/poll" "${json[@]}" -d "{\"token\":\"$(field token <<<"$started")\"}" | field apikey)"
[ -n "$pending" ] && [ -n "$apikey" ] || { echo "load.sh: could not pair alice" >&2; exit 1; }
basic="Basic $(printf 'alice:%s' "$apikey" | base64 -w0)"

echo "| endpoint | connections | req/s | p50 ms | p99 ms | requests | 5xx | socket errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for c in "${connections[@]}"; do
  LOAD_METHOD=POST LOAD_BODY="$alice" run "start (200)" "$api/auth/start" 200 "$c"
  LOAD_METHOD=POST LOAD_BODY="{\"token\":\"$pending\"}" run "poll (403 pending)" "$api/auth/poll" 403 "$c"
  LOAD_AUTHORIZATION="$basic" run "validate (200)" "$api/auth/validate" 200 "$c"
done
if ((rss_starts > 0)); then
  # Start again, now that the cells above have left hundreds of thousands of live
  # tokens: the rate must not fall as the store grows.
  LOAD_METHOD=POST LOAD_BODY="$alice" run "start (200), store already full of the tokens above" "$api/auth/start" 200 50
fi
stop

if ((rss_starts > 0)); then
  # Memory: a fresh stand-in, then 100k starts (50 connections; each wrk thread stops
  # after its half, so a few in flight may add to it), of alice, then of as many made-up
  # addresses. Tokens live 15 minutes, so the first figure holds 100k pending requests.
  # wrk runs for its whole -d even when its threads stop early, so -d is kept short.
  seconds=20
  echo
  echo "| memory | RSS KiB |"
  echo "|---|---:|"
  start
  echo "| idle after start-up | $(rss_kib) |"
  LOAD_METHOD=POST LOAD_BODY="$alice" run "start (alice)" "$api/auth/start" 200 50 $((rss_starts / 2)) >/dev/null
  echo "| after ${r[requests]} starts of alice (100k live tokens) | $(rss_kib) |"
  stop
  start
  LOAD_METHOD=POST LOAD_BODY="$alice" run "start (made-up)" "$api/auth/start" 404,429 50 $((rss_starts / 2)) 1 >/dev/null
  echo "| fresh stand-in, after ${r[requests]} starts of distinct made-up addresses | $(rss_kib) |"
  stop
fi
exit "$failed"
