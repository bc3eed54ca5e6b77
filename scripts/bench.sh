#!/usr/bin/env bash
# The benchmark: what a call costs the client, in Node and in headless Chromium, against a
# local server that answers at once, next to a hand-written plain fetch and
# @octokit/request; start-up (what a page downloads for importing the package, click to
# first request cold and preloaded, Node's import); wasm memory after 10,000 mixed calls;
# the pacing of waitForConfirmation against the stand-in. Writes docs/benchmarks.md and
# docs/benchmarks.json. Builds what it needs, so it runs from a fresh clone.
#
# Usage: scripts/bench.sh            all of it, about an hour (BENCH_ROUNDS=15 by default;
#                                    CHROMIUM=/usr/bin/chromium)
#        scripts/bench.sh --startup  the start-up part only, a few minutes: replaces its
#                                    section of docs/benchmarks.md and its key in the JSON
#                                    (BENCH_STARTUP_ROUNDS=20 by default)
# Not a test: the figures depend on the machine. The deterministic memory check is a test
# (tests/package/memory.test.mjs, run by scripts/test.sh).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

scripts/setup.sh bench
. scripts/env.sh

step() { printf '\n=== %s\n' "$1" >&2; shift; "$@"; }
step "wasm-pack build (release, web)" wasm-pack build --release --target web
# The start-up part measures the package as packed, as users install it.
step "npm package (scripts/pack.sh)" scripts/pack.sh --no-build >/dev/null
out="target/bench"
mkdir -p "$out"
if [ "${1:-}" = "--startup" ]; then
  step "start-up (Chromium, Node)" timeout 900 node bench/startup.mjs "$out/startup.json"
  step "report (start-up section)" node bench/startup-report.mjs "$out/startup.json" docs/benchmarks.md docs/benchmarks.json
  exit 0
fi
step "build the stand-in" cargo build -p tvmaze-standin --locked
export TVMAZE_STANDIN_BIN="$repo_root/target/debug/tvmaze-standin"
# @octokit/request for the page: one ES module, as a bundler would give a web app.
step "bundle @octokit/request for the page" sh -c \
  'echo "export { request } from \"@octokit/request\";" | esbuild --bundle --format=esm --platform=browser --minify --log-level=warning --outfile=target/bench/octokit.mjs'

# Each part is bounded in time as well as in count (`timeout`), so a stuck server or
# browser ends the run instead of stalling it.
step "Node" timeout 900 node --expose-gc bench/node.mjs "$out/node.json"
step "Chromium" timeout 900 node bench/browser.mjs "$out/chromium.json"
step "start-up (Chromium, Node)" timeout 900 node bench/startup.mjs "$out/startup.json"
step "Node, instructions per call (callgrind)" timeout 4800 node bench/instructions.mjs "$out/instructions.json"

. scripts/lib/standins.sh
start_standin TVMAZE_STANDIN_API --poll-interval-ms 200 --start-limit-per-minute 10000
# A late poll is reported in the table, not an abort of the whole run.
step "pacing (stand-in)" timeout 120 node bench/pacing.mjs "$out/pacing.json" || true
stop_standins

step "report" node bench/report.mjs "$out" docs/benchmarks.md docs/benchmarks.json
