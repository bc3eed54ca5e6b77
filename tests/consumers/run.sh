#!/usr/bin/env bash
# Installs the packed tarball into the consumer apps here, as a user would (`npm i
# <tgz>`; --no-save, so the committed lockfile pins only the tools), starts two
# stand-ins on free ports and runs consumers.test.mjs.
#
# Usage: tests/consumers/run.sh TARBALL   (scripts/pack.sh prints its path last)
# Needs the stand-in built (cargo build -p tvmaze-standin) and /usr/bin/chromium
# (or $CHROMIUM).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tarball="$(realpath "${1:?usage: tests/consumers/run.sh TARBALL}")"
cd "$here"

# The tools, once per lockfile change (as scripts/setup.sh does for the repo's own).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# Same version, new contents after every build: never let npm keep the old copy.
rm -rf node_modules/tvmaze-auth
npm install --no-save --no-audit --no-fund --loglevel=error "$tarball"

. "$here/../../scripts/lib/standins.sh"
fast=(--poll-interval-ms 100 --start-limit-per-minute 10000)
start_standin TVMAZE_API "${fast[@]}"
start_standin TVMAZE_NO_CORS_API "${fast[@]}" --no-cors
TVMAZE_AUTH_TGZ="$tarball" node --test --test-concurrency=1 consumers.test.mjs
