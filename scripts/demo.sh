#!/usr/bin/env bash
# The demo command: builds the package and serves the demo page and the local TVmaze
# stand-in. Installs what is missing first (scripts/setup.sh demo).
#   DEMO_ADDR (default 127.0.0.1:8080) and API_ADDR (default 127.0.0.1:8081) move the ports.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

scripts/setup.sh demo

. scripts/env.sh
wasm-pack build --release --target web
# The page loads the package as it ships (openSession included): target/npm/package.
scripts/pack.sh --no-build >/dev/null
cargo build -p tvmaze-standin --locked

cat >&2 <<'TXT'

tvmaze-auth demo: open the demo= URL below and sign in as alice@example.com
(bob@example.com has no premium; carol@example.com has not confirmed her email).
The stand-in accepts a poll every 2 s so the demo does not keep you waiting; TVmaze
itself allows one every 10 s. Ctrl-C stops it. Ports taken? Run it as
DEMO_ADDR=127.0.0.1:9080 API_ADDR=127.0.0.1:9081 scripts/demo.sh

TXT
# 2 s between polls instead of TVmaze's 10 s: the page polls loopback stand-ins every 2 s.
# Extra arguments go to the stand-in, e.g. `scripts/demo.sh --proxy-api --no-cors`.
exec target/debug/tvmaze-standin --poll-interval-ms 2000 --pkg-dir target/npm/package \
  --demo-addr "${DEMO_ADDR:-127.0.0.1:8080}" --api-addr "${API_ADDR:-127.0.0.1:8081}" "$@"
