# shellcheck shell=bash
# The environment the demo, the tests and their tools need: PATH (the repo's
# node_modules/.bin, cargo's bin, the schemathesis venv), CHROMEDRIVER and GECKODRIVER.
#
#   . scripts/env.sh        (after scripts/setup.sh has installed what it points at)
#
# Safe to source in an interactive shell: it sets no shell options and exits nothing.
tvmaze_auth_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tvmaze_auth_cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
tvmaze_auth_venv="${TVMAZE_AUTH_TOOLS:-$HOME/.cache/tvmaze-auth}/venv"
case ":$PATH:" in
  *":$tvmaze_auth_root/node_modules/.bin:"*) ;;
  *) export PATH="$tvmaze_auth_root/node_modules/.bin:$tvmaze_auth_cargo_bin:$tvmaze_auth_venv/bin:$PATH" ;;
esac
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export GECKODRIVER="${GECKODRIVER:-$tvmaze_auth_cargo_bin/geckodriver}"
