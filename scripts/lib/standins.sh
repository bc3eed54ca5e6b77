# shellcheck shell=bash
# Starts tvmaze-standin processes on free ports (port 0) for the tests and the demo,
# and stops them all when the calling script exits. Source it; don't run it.
#
#   start_standin VAR [flag ...]   starts one, exports VAR=<api base> and VAR_DEMO=<demo url>
#   start_wasm_suite_standins      starts the four the wasm suites need
#   stop_standins                  stops every stand-in this shell started (also on EXIT)
# The binary is $TVMAZE_STANDIN_BIN, else target/debug/tvmaze-standin (what the test
# command builds, and the one default of every script and of the e2e tests), built
# here if it is missing.

standin_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
standin_default_bin="$standin_repo_root/target/debug/tvmaze-standin"
standin_log_dir="${STANDIN_LOG_DIR:-$(mktemp -d -t tvmaze-standin.XXXXXX)}"
standin_pids=()

start_standin() {
  local var="$1"; shift
  local out="$standin_log_dir/$var.out" err="$standin_log_dir/$var.log"
  local bin="${TVMAZE_STANDIN_BIN:-$standin_default_bin}"
  if [ ! -x "$bin" ] && [ -z "${TVMAZE_STANDIN_BIN:-}" ]; then
    (cd "$standin_repo_root" && cargo build --quiet -p tvmaze-standin --locked)
  fi
  "$bin" --api-addr 127.0.0.1:0 --demo-addr 127.0.0.1:0 "$@" >"$out" 2>"$err" &
  local pid=$!
  standin_pids+=("$pid")
  # The stand-in prints one line once both listeners are bound: wait for it.
  local line="" tries=0
  while ! line="$(grep -m1 '^tvmaze-standin api=' "$out" 2>/dev/null)"; do
    if ! kill -0 "$pid" 2>/dev/null || ((tries++ > 300)); then
      echo "tvmaze-standin ($var) did not start; its log:" >&2
      cat "$err" >&2
      return 1
    fi
    sleep 0.1
  done
  local api="${line#*api=}"; api="${api%% *}"
  local demo="${line#*demo=}"; demo="${demo%% *}"
  export "$var=$api" "${var}_DEMO=$demo"
  printf '[standin] %s=%s (%s)\n' "$var" "$api" "$*" >&2
}

# The four stand-ins the wasm suites find through TVMAZE_STANDIN_* variables at compile
# time (tests/harness): fast polling, short-lived tokens, Retry-After, and no CORS. The
# suites arm faults and decide through the /_standin/ helpers, so all four have them.
start_wasm_suite_standins() {
  local fast=(--test-helpers --poll-interval-ms 200 --start-limit-per-minute 10000)
  start_standin TVMAZE_STANDIN_API "${fast[@]}"
  start_standin TVMAZE_STANDIN_SHORT_TTL_API "${fast[@]}" --token-ttl-s 2
  start_standin TVMAZE_STANDIN_RETRY_AFTER_API --test-helpers --poll-interval-ms 1000 --retry-after --start-limit-per-minute 10000
  start_standin TVMAZE_STANDIN_NO_CORS_API --test-helpers --no-cors --start-limit-per-minute 10000
}

stop_standins() {
  local pid
  for pid in "${standin_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${standin_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  standin_pids=()
}
trap stop_standins EXIT
