#!/usr/bin/env bash
# Spec conformance of the stand-in: schemathesis against the OpenAPI spec of TVmaze's
# auth endpoints (standin/spec/), pointed at a stand-in.
#
#   standin/conformance.sh [API_BASE]
#
# API_BASE is a running stand-in's `api=` URL (ending in /v1). Without it the script
# starts its own stand-in with limits that schemathesis's bursts of requests would trip
# otherwise (--start-limit-per-minute 100000 --poll-interval-ms 0) and stops it at exit.
#
# Two runs, both with real credentials (found by running the pairing flow with curl, so
# /auth/validate is exercised beyond 401), each bounded to --max-examples per operation:
#   --mode positive: every check passes (valid requests get documented answers);
#   --mode negative: every check but status_code_conformance passes - TVmaze documents
#     no status for malformed requests, so the stand-in's 400/405/413/415/422 are its own,
#     but a 5xx or an answer that breaks the spec is a failure.
# Exits non-zero on any failure. Env: SCHEMATHESIS (the binary), TVMAZE_STANDIN_BIN,
# CONFORMANCE_MAX_EXAMPLES (default 50), CONFORMANCE_SEED (default: random).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"
spec="$here/spec/tvmaze-auth.openapi.yaml"
max_examples="${CONFORMANCE_MAX_EXAMPLES:-50}"

schemathesis="${SCHEMATHESIS:-}"
if [ -z "$schemathesis" ]; then
  if command -v schemathesis >/dev/null; then
    schemathesis="$(command -v schemathesis)"
  else
    # Where scripts/setup.sh installs it.
    schemathesis="${TVMAZE_AUTH_TOOLS:-$HOME/.cache/tvmaze-auth}/venv/bin/schemathesis"
  fi
fi
if [ ! -x "$schemathesis" ]; then
  echo "conformance: schemathesis not found (run scripts/setup.sh, or set SCHEMATHESIS)" >&2
  exit 1
fi

# Hypothesis keeps a database in the working directory: keep it out of the repo.
work="$(mktemp -d -t tvmaze-conformance.XXXXXX)"
. "$repo_root/scripts/lib/standins.sh"
trap 'stop_standins; rm -rf "$work"' EXIT

api="${1:-}"
if [ -z "$api" ]; then
  start_standin CONFORMANCE_API --start-limit-per-minute 100000 --poll-interval-ms 0
  api="$CONFORMANCE_API"
fi
api="${api%/}"
echo "conformance: stand-in at $api"

# --- credentials: the pairing flow, as a browser user would do it ----------------------
field() { # field NAME: that string field of the JSON object on stdin
  python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}
started="$(curl -fsS -X POST "$api/auth/start" -H 'Content-Type: application/json' \
  -d '{"email":"alice@example.com","email_confirmation":false}')"
token="$(field token <<<"$started")"
confirm_url="$(field confirm_url <<<"$started")"
curl -fsS -o /dev/null -X POST "$confirm_url" --data 'decision=confirm'
# A stand-in we did not start may enforce a poll interval: retry on 429 for a while.
credentials=""
for _ in $(seq 1 60); do
  status="$(curl -sS -o "$work/poll.json" -w '%{http_code}' -X POST "$api/auth/poll" \
    -H 'Content-Type: application/json' -d "{\"token\":\"$token\"}")"
  if [ "$status" = 200 ]; then
    credentials="$(field username <"$work/poll.json"):$(field apikey <"$work/poll.json")"
    break
  fi
  if [ "$status" != 429 ]; then
    echo "conformance: poll answered $status, not 200" >&2
    exit 1
  fi
  sleep 1
done
rm -f "$work/poll.json"
if [ -z "$credentials" ]; then
  echo "conformance: no API key from the pairing flow" >&2
  exit 1
fi

# --- the two runs -------------------------------------------------------------------------
common=(
  --url "$api"
  --auth "$credentials"
  --max-examples "$max_examples"
  --request-timeout 10
  --generation-database none
  --no-color
)
if [ -n "${CONFORMANCE_SEED:-}" ]; then
  common+=(--seed "$CONFORMANCE_SEED")
fi

cd "$work"
echo "conformance: --mode positive, every check"
"$schemathesis" run "$spec" "${common[@]}" --mode positive --checks all
echo "conformance: --mode negative, every check but status_code_conformance"
"$schemathesis" run "$spec" "${common[@]}" --mode negative --checks all \
  --exclude-checks status_code_conformance
echo "conformance: both runs passed"
