#!/usr/bin/env bash
# Saves PNGs of the demo's main states (start, waiting, success, an error), light and dark, at 1280 px
# and 360 px wide into docs/screenshots/, driving headless Chromium against a private
# stand-in. Builds only what is missing: the wasm package, its npm layout and the stand-in.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
# PATH (wasm-pack, wasm-bindgen, wasm-opt) and CHROMEDRIVER.
scripts/setup.sh
. scripts/env.sh

if [ ! -f pkg/tvmaze_auth.js ] || [ ! -f pkg/tvmaze_auth_bg.wasm ]; then
  wasm-pack build --release --target web
fi
# The demo loads the package as it ships (target/npm/package), openSession included.
if [ ! -f target/npm/package/session.js ]; then
  scripts/pack.sh --no-build >/dev/null
fi
standin="${TVMAZE_STANDIN_BIN:-$repo_root/target/debug/tvmaze-standin}"
if [ ! -x "$standin" ]; then
  cargo build -p tvmaze-standin
fi

TVMAZE_STANDIN_BIN="$standin" cargo run --quiet -p tvmaze-demo-e2e --bin screenshots
