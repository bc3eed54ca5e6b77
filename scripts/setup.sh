#!/usr/bin/env bash
# Installs every tool the demo and the tests need, skipping what is already there,
# so a second run returns in seconds. Everything comes from the package registries
# of apt, cargo, npm and pip; nothing downloads a binary from anywhere else.
#
#   scripts/setup.sh [demo|test|bench]     then, for PATH and the drivers: . scripts/env.sh
#
# `demo` installs only what building and serving the demo needs; `test` (the default)
# adds the browsers, their drivers and schemathesis; `bench` adds valgrind to `test`
# (scripts/bench.sh counts instructions with it). Run it; don't source it (it sets
# strict shell options, which must not leak into an interactive shell).
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  echo "scripts/setup.sh installs: run it (scripts/setup.sh), then source scripts/env.sh" >&2
  return 1
fi
set -euo pipefail
setup_for="${1:-test}"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${TVMAZE_AUTH_TOOLS:-$HOME/.cache/tvmaze-auth}"
say() { printf '[setup] %s\n' "$*" >&2; }

# --- Debian packages: the two browsers and Chromium's driver -----------------
# curl: standin/conformance.sh pairs a user with it to give schemathesis real credentials.
# wrk: scripts/load.sh measures the stand-in with it.
apt_packages=(chromium chromium-driver firefox-esr curl wrk)
case "$setup_for" in
  test) ;;
  bench) apt_packages+=(valgrind) ;;
  *) apt_packages=() ;;
esac
missing=()
for p in ${apt_packages[@]+"${apt_packages[@]}"}; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  say "apt-get install ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Rust: the wasm target and the cargo-built tools -------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
# cargo_tool BINARY CRATE VERSION: installs CRATE@VERSION unless BINARY already reports it.
cargo_tool() {
  local bin="$1" crate="$2" version="$3"
  # The whole --version output, then an exact word match: `| grep -q` would close the
  # pipe early (SIGPIPE fails the pipeline under pipefail) and match 0.2.13 in 0.2.130.
  local reported
  reported="$("$cargo_bin/$bin" --version 2>/dev/null || true)"
  if [[ " ${reported//$'\n'/ } " == *" $version "* ]]; then
    return
  fi
  say "cargo install $crate@$version"
  # --locked builds what the tool's authors tested; when one of those pins has since been
  # yanked from crates.io (seen with wasm-bindgen-cli 0.2.130), resolve afresh instead.
  cargo install --quiet --locked "$crate" --version "$version" ||
    cargo install --quiet "$crate" --version "$version"
}
# wasm-pack cannot download wasm-bindgen here; it uses the CLI on PATH, which must be
# the exact version in Cargo.lock or the generated glue and the wasm disagree.
wasm_bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$repo_root/Cargo.lock")"
cargo_tool wasm-pack wasm-pack 0.15.1
cargo_tool wasm-bindgen wasm-bindgen-cli "$wasm_bindgen_version"
if [ "$setup_for" != demo ]; then cargo_tool geckodriver geckodriver 0.37.1; fi

# --- npm: wasm-opt (binaryen) for wasm-pack, esbuild (size check), tsc (types) --
if [ ! -x "$repo_root/node_modules/.bin/wasm-opt" ] || [ "$repo_root/package-lock.json" -nt "$repo_root/node_modules/.package-lock.json" ]; then
  say "npm ci"
  (cd "$repo_root" && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- pip: schemathesis, in a venv of its own ---------------------------------
venv="$tools_dir/venv"
# The stamp is the requirements file itself: a changed pin reinstalls.
if [ "$setup_for" != demo ] && ! cmp -s "$repo_root/scripts/requirements.txt" "$venv/requirements.txt"; then
  say "pip install -r scripts/requirements.txt into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$repo_root/scripts/requirements.txt"
  cp "$repo_root/scripts/requirements.txt" "$venv/requirements.txt"
fi

say "ready ($setup_for); for PATH and the drivers: . scripts/env.sh"
