#!/usr/bin/env bash
# Writes the fault matrix (every endpoint × every fault kind the stand-in injects, in
# Chromium, Firefox and Node) into docs/reliability.md, between the "fault-matrix"
# markers. The cells come from the `fault_matrix` wasm test, which also runs (and must
# pass) in every run of scripts/test.sh; this command only collects what it printed,
# and checks it got as many cells as the test says the matrix has.
#
# Usage: scripts/fault-matrix.sh
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
scripts/setup.sh test
. scripts/env.sh

cargo build -q -p tvmaze-standin --locked
export TVMAZE_STANDIN_BIN="$repo_root/target/debug/tvmaze-standin"
. scripts/lib/standins.sh
start_wasm_suite_standins
export WASM_BINDGEN_TEST_TIMEOUT=300

out="$(mktemp -d -t fault-matrix.XXXXXX)"
trap 'rm -rf "$out"; stop_standins' EXIT
# (runtime label, command): the same driver rule as scripts/test.sh.
env -u GECKODRIVER wasm-pack test --headless --chrome --test browser -- fault_matrix --nocapture >"$out/chromium" 2>&1
env -u CHROMEDRIVER wasm-pack test --headless --firefox --test browser -- fault_matrix --nocapture >"$out/firefox" 2>&1
wasm-pack test --node --test node -- fault_matrix --nocapture >"$out/node" 2>&1

doc=docs/reliability.md
[ -f "$doc" ] || printf '# Reliability\n\n## Fault matrix\n\n<!-- fault-matrix -->\n<!-- /fault-matrix -->\n' >"$doc"
rows=$(python3 - "$doc" "$out" "$(date -u +%F)" <<'PY'
import re, sys
doc, out, day = sys.argv[1:]
cells = {}
sizes = set()
for runtime in ("chromium", "firefox", "node"):
    for line in open(f"{out}/{runtime}"):
        size = re.search(r"fault-matrix-size \| (\d+)$", line.strip())
        if size:
            sizes.add(int(size.group(1)))
        m = re.search(r"fault-matrix \| (\w+) \| (.+?) \| (\w+) \| (\S+) \| (.+)$", line.strip())
        if m:
            endpoint, fault, code, status, after = m.groups()
            cells.setdefault((endpoint, fault), {})[runtime] = (code, status, after)
rows = [f"<!-- fault-matrix: written by scripts/fault-matrix.sh on {day}; do not edit by hand -->", "",
        "| endpoint | fault | Chromium | Firefox | Node | then |", "|---|---|---|---|---|---|"]
for (endpoint, fault), got in cells.items():
    if len(got) != 3:
        sys.exit(f"fault-matrix: {endpoint} × {fault} missing from {sorted(set(['chromium','firefox','node']) - set(got))}")
    show = lambda r: f"{got[r][0]} {got[r][1]}".replace(" -", "")
    rows.append(f"| {endpoint} | {fault} | {show('chromium')} | {show('firefox')} | {show('node')} | {got['node'][2]} |")
if len(sizes) != 1 or len(cells) not in sizes:
    sys.exit(f"fault-matrix: the test printed matrix sizes {sorted(sizes)}, but {len(cells)} cells were collected")
rows += ["", "<!-- /fault-matrix -->"]
text = open(doc).read()
text, n = re.subn(r"<!-- fault-matrix.*?<!-- /fault-matrix -->", lambda _: "\n".join(rows), text, flags=re.S)
if n != 1:
    sys.exit("fault-matrix: docs/reliability.md has no fault-matrix markers")
open(doc, "w").write(text)
print(len(cells))
PY
)
echo "fault-matrix: $rows cells written to $doc"
