#!/usr/bin/env bash
# Fails when the TypeScript declarations wasm-pack generates (pkg/tvmaze_auth.d.ts)
# differ from the reviewed copy in api/tvmaze_auth.d.ts, so an API change is always a
# visible, deliberate diff in review. Also fails if `any` appears in the public part.
#
# Usage: scripts/check-dts.sh            compare (builds pkg/ first if it is missing)
#        scripts/check-dts.sh --accept   after reviewing a change: copy it to api/
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
generated="$repo_root/pkg/tvmaze_auth.d.ts"
reference="$repo_root/api/tvmaze_auth.d.ts"

if [ ! -f "$generated" ]; then
  echo "check-dts: $generated is missing; running wasm-pack build --release --target web" >&2
  (cd "$repo_root" && wasm-pack build --release --target web)
fi

# wasm-bindgen names some internal exports of InitOutput after symbol hashes, which
# change with any code change; they are not API, so they are compared as `<hash>`.
normalize() { sed -E 's/__h[0-9a-f]{16}\b/__h<hash>/g' "$1"; }

if [ "${1:-}" = "--accept" ]; then
  mkdir -p "$(dirname "$reference")"
  normalize "$generated" >"$reference"
  echo "check-dts: accepted; api/tvmaze_auth.d.ts updated — commit it with the change that caused it."
  exit 0
fi

# The public API is everything before wasm-bindgen's init declarations (InitInput,
# InitOutput, initSync, the default export), which are its own and use `any` for raw
# wasm exports.
public="$(sed '/^export type InitInput/,$d' "$generated")"
if grep -nwE 'any' <<<"$public"; then
  echo "check-dts: FAIL: \`any\` in the public API of $generated (lines above)." >&2
  exit 1
fi

if [ ! -f "$reference" ]; then
  echo "check-dts: FAIL: $reference is missing. Review pkg/tvmaze_auth.d.ts, then run" >&2
  echo "  scripts/check-dts.sh --accept" >&2
  exit 1
fi

if ! changes="$(diff -u --label api/tvmaze_auth.d.ts --label pkg/tvmaze_auth.d.ts \
  "$reference" <(normalize "$generated"))"; then
  echo "$changes"
  echo >&2
  echo "check-dts: FAIL: the generated pkg/tvmaze_auth.d.ts differs from the reviewed" >&2
  echo "api/tvmaze_auth.d.ts (diff above; - reviewed, + generated). If the API change is" >&2
  echo "intended, accept it and commit api/tvmaze_auth.d.ts with it:" >&2
  echo "  scripts/check-dts.sh --accept" >&2
  exit 1
fi
echo "check-dts: pkg/tvmaze_auth.d.ts matches api/tvmaze_auth.d.ts"
