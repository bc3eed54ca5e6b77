#!/usr/bin/env bash
# Fails when the TypeScript declarations wasm-pack generates (pkg/tvmaze_auth.d.ts)
# differ in their public part from the reviewed copy in api/tvmaze_auth.d.ts, so an API
# change is always a visible, deliberate diff in review. Also fails if `any` appears in
# the public part as a type.
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

# The public API is everything before wasm-bindgen's init declarations (InitInput,
# InitOutput, initSync, the default export): those are wasm-bindgen's own, name its
# internal exports (some after symbol hashes that change with any code change) and use
# `any`. The npm package replaces them with npm/init-web.d.ts and npm/init-node.d.ts,
# and scripts/lib/npm-package.mjs fails if wasm-bindgen changes what they declare.
public_api() { sed '/^export type InitInput/,$d' "$1"; }

if [ "${1:-}" = "--accept" ]; then
  mkdir -p "$(dirname "$reference")"
  public_api "$generated" >"$reference"
  echo "check-dts: accepted; api/tvmaze_auth.d.ts updated — commit it with the change that caused it."
  exit 0
fi

# `any` as a type, not the English word in a doc comment: comment lines (JSDoc's `/**`
# and ` *`) and trailing `//` comments are dropped before the search.
if public_api "$generated" | sed -E 's#^[[:space:]]*(/\*\*|\*).*##; s#//.*##' | grep -nwE 'any'; then
  echo "check-dts: FAIL: \`any\` in the public API of $generated (lines above)." >&2
  exit 1
fi

if [ ! -f "$reference" ]; then
  echo "check-dts: FAIL: $reference is missing. Review pkg/tvmaze_auth.d.ts, then run" >&2
  echo "  scripts/check-dts.sh --accept" >&2
  exit 1
fi

if ! changes="$(diff -u --label api/tvmaze_auth.d.ts --label pkg/tvmaze_auth.d.ts \
  "$reference" <(public_api "$generated"))"; then
  echo "$changes"
  echo >&2
  echo "check-dts: FAIL: the generated pkg/tvmaze_auth.d.ts differs from the reviewed" >&2
  echo "api/tvmaze_auth.d.ts (diff above; - reviewed, + generated). If the API change is" >&2
  echo "intended, accept it and commit api/tvmaze_auth.d.ts with it:" >&2
  echo "  scripts/check-dts.sh --accept" >&2
  exit 1
fi
echo "check-dts: pkg/tvmaze_auth.d.ts matches api/tvmaze_auth.d.ts"
