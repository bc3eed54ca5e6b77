// The README tells developers to source scripts/env.sh in their own shell: it must not
// change that shell's options or traps (a sourced `set -e` closes the terminal at the
// next failing command), and scripts/setup.sh, which does set them, refuses to be
// sourced. Run: node --test tests/scripts/
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const state = 'echo "$(set +o; shopt -p; trap -p)"';

/** Runs `script` in an interactive-like bash in the repo; returns its stdout. */
function bash(script) {
  const r = spawnSync("bash", ["--norc", "--noprofile", "-c", script], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("sourcing scripts/env.sh leaves the shell's options and traps as they were", () => {
  const out = bash(`before="$(${state})"; . scripts/env.sh; after="$(${state})"; [ "$before" = "$after" ] && echo same`);
  assert.equal(out.trim(), "same");
});

test("scripts/env.sh puts the tools on PATH once, however often it is sourced", () => {
  const out = bash('. scripts/env.sh; . scripts/env.sh; echo "$PATH"; echo "$CHROMEDRIVER"; echo "$GECKODRIVER"');
  const [path, chromedriver, geckodriver] = out.trim().split("\n");
  const ours = path.split(":").filter((p) => p === `${root}node_modules/.bin`);
  assert.equal(ours.length, 1, path);
  assert.ok(chromedriver && geckodriver.endsWith("/bin/geckodriver"));
});

test("sourcing scripts/setup.sh refuses, and changes nothing", () => {
  const out = bash(`before="$(${state})"; . scripts/setup.sh 2>/dev/null; rc=$?; after="$(${state})"; [ "$before" = "$after" ] && echo "same $rc"`);
  assert.equal(out.trim(), "same 1");
});
