#!/usr/bin/env bash
# Installs the packed tarball into the consumer apps here, as a user would (`npm i
# <tgz>`; --no-save, so the committed lockfile pins only the tools), starts two
# stand-ins on free ports and runs the *.test.mjs files here, one at a time.
#
# Usage: tests/consumers/run.sh TARBALL [TEST_FILE ...]   (scripts/pack.sh prints its
#        path last; without test files, all of them)
# Needs the stand-in built (cargo build -p tvmaze-standin) and /usr/bin/chromium
# (or $CHROMIUM).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tarball="$(realpath "${1:?usage: tests/consumers/run.sh TARBALL [TEST_FILE ...]}")"
shift
cd "$here"

# The tools, once per lockfile change (as scripts/setup.sh does for the repo's own).
for dir in . runtimes; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
# Same version, new contents after every build: never let npm keep the old copy.
rm -rf node_modules/tvmaze-auth
npm install --no-save --no-audit --no-fund --loglevel=error "$tarball"

. "$here/../../scripts/lib/standins.sh"
fast=(--poll-interval-ms 100 --start-limit-per-minute 10000)
start_standin TVMAZE_API "${fast[@]}"
start_standin TVMAZE_NO_CORS_API "${fast[@]}" --no-cors
if [ $# -eq 0 ]; then set -- *.test.mjs; fi
TVMAZE_AUTH_TGZ="$tarball" node --test --test-concurrency=1 "$@"
