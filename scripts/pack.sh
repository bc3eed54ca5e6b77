#!/usr/bin/env bash
# Builds the publishable npm package: target/npm/tvmaze-auth-<version>.tgz, whose path is
# the last line printed. `npm publish <that file>` publishes exactly what was tested.
#
# Usage: scripts/pack.sh             wasm-pack build --release --target web, then pack
#        scripts/pack.sh --no-build  pack the pkg/ already built (the test command)
#
# The layout (one .wasm shared by the browser, Node ESM and CommonJS entries) is
# explained in scripts/lib/npm-package.mjs; the unpacked package is left in
# target/npm/package/ for scripts/size.sh.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

if [ "${1:-}" != "--no-build" ]; then
  scripts/setup.sh demo
  . scripts/env.sh
  wasm-pack build --release --target web >&2
fi

out="$repo_root/target/npm"
node scripts/lib/npm-package.mjs pkg "$out/package"
rm -f "$out"/tvmaze-auth-*.tgz
tarball="$(cd "$out" && npm pack ./package --pack-destination "$out" --silent)"
echo "$out/$tarball"
