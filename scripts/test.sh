#!/usr/bin/env bash
# The test command: everything CI checks, in the order that fails fastest.
# Installs what is missing first (scripts/setup.sh), so it works on a fresh machine.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

scripts/setup.sh test
. scripts/env.sh

log="$(mktemp -t tvmaze-auth-test.XXXXXX.log)"
t0=$SECONDS
# step NAME CMD...: runs one check, echoing its output into $log for the final count.
step() {
  local name="$1"; shift
  local t=$SECONDS
  printf '\n=== %s\n' "$name"
  "$@" 2>&1 | tee -a "$log"
  printf '=== %s: ok (%ss)\n' "$name" "$((SECONDS - t))"
}

step "rustfmt" cargo fmt --all --check
step "imports run one way (no cycle in src/ or standin/src/)" scripts/check-cycles.mjs src standin/src
step "clippy (host)" cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (wasm32)" cargo clippy -p tvmaze-auth --all-targets --target wasm32-unknown-unknown --locked -- -D warnings

step "demo and element scripts formatted (prettier --check)" prettier --check "www/*.js" "npm/element.js"
step "the docs explain every error code (node --test)" node --test tests/docs/*.test.mjs
step "scripts: env.sh is safe to source (node --test)" node --test tests/scripts/*.test.mjs
step "build the stand-in" cargo build -p tvmaze-standin --locked
export TVMAZE_STANDIN_BIN="$repo_root/target/debug/tvmaze-standin"

step "host tests (client core, stand-in over HTTP)" \
  cargo test --workspace --exclude tvmaze-demo-e2e --locked
step "stand-in under load, CI size (wrk: no 5xx, no socket errors)" scripts/load.sh --ci

step "wasm-pack build (release, web)" wasm-pack build --release --target web
step ".d.ts matches api/tvmaze_auth.d.ts" scripts/check-dts.sh
step "TypeScript type tests (tsc --strict)" tsc -p tests/types
step "demo scripts type-checked against pkg/ (tsc -p www)" tsc -p www
step "session and element shells type-checked (tsc -p npm)" tsc -p npm
step "npm package (scripts/pack.sh)" scripts/pack.sh --no-build
# What browsers download: the packed browser entry (the web glue and its init guard)
# and the session's shell it re-exports.
step "shipped size" scripts/size.sh target/npm/package
step "no leak: 2000 requests, 200 endless bodies, 10,000 mixed calls; the packed loader; no abort under a flood of 15,000 (node --test)" node --expose-gc --test tests/package/*.test.mjs
step "the tarball in Vite, webpack, Next.js, Rollup, esbuild, CSP pages, an MV3 extension, a Worker; Node 18/20/22 ESM + CJS, Bun, Deno; tsc; the element on a plain page and in React; publint, attw" \
  tests/consumers/run.sh target/npm/tvmaze-auth-*.tgz
step "soak: concurrent sign-ins with faults, Node and Chromium (node --test)" \
  node --expose-gc --test tests/soak/soak.test.mjs

. scripts/lib/standins.sh
# standins.sh stops its stand-ins on exit; the temporary log goes too.
trap 'stop_standins; rm -f "$log"' EXIT
start_wasm_suite_standins

# wasm-bindgen's test runner picks the first driver whose variable is set (geckodriver
# before chromedriver), whatever the --chrome/--firefox flag says: each browser step
# sees only its own. Its page timeout (20 s by default) is for the whole suite.
export WASM_BINDGEN_TEST_TIMEOUT=300
step "wasm tests in headless Chromium" env -u GECKODRIVER wasm-pack test --headless --chrome
step "wasm tests in headless Firefox" env -u CHROMEDRIVER wasm-pack test --headless --firefox
step "wasm tests in Node $(node --version)" wasm-pack test --node
step "spec conformance of the stand-in (schemathesis)" standin/conformance.sh
step "demo and sign-in session end to end (Chromium, Firefox)" cargo test -p tvmaze-demo-e2e --locked -- --test-threads=2

stop_standins
# One closing line for every suite above: cargo, wasm-bindgen-test and the e2e tests print
# "test result: ok. N passed; M failed; ...", node's runner "# pass N" and "# fail M".
passed=$(grep -hoE 'test result: [a-zA-Z]+\. [0-9]+ passed|^# pass [0-9]+' "$log" | awk '{s+=($NF=="passed" ? $(NF-1) : $NF)} END {print s+0}')
failed=$(grep -hoE '[0-9]+ failed;|^# fail [0-9]+' "$log" | awk '{s+=($1=="#" ? $NF : $1)} END {print s+0}')
printf '\nall checks green in %ss\n' "$((SECONDS - t0))"
printf 'tests: %s passed, %s failed\n' "$passed" "$failed"
