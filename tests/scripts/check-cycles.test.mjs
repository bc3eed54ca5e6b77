// scripts/check-cycles.mjs must fail on an import cycle, name the files and what ties
// them, and not be fooled by comments, strings or test modules. Run: node --test tests/scripts/
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("../../scripts/check-cycles.mjs", import.meta.url));

/** Runs the check on a crate made of `files` (path → text); returns status and output. */
function check(files) {
  const dir = mkdtempSync(join(tmpdir(), "check-cycles-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = spawnSync(process.execPath, [script, dir], { encoding: "utf8" });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("one-way imports pass", () => {
  const r = check({
    "lib.rs": "mod a;\nmod b;\npub fn f() { a::g(); }\n",
    "a.rs": "use crate::b::{self, B};\npub fn g() { b::h(); }\n",
    "b.rs": "pub struct B;\npub fn h() {}\n",
  });
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /3 modules, 2 imports between them, no cycle/);
});

test("a cycle fails, naming its files and the names each takes from the other", () => {
  const r = check({
    "lib.rs": "mod a;\nmod b;\nmod c;\n",
    "a.rs": "use crate::b::B;\npub fn f() {}\n",
    "b.rs": "pub struct B;\npub fn g() { crate::c::h() }\n",
    "c.rs": "use crate::{a, b::B};\npub fn h() { a::f() }\n",
  });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /cycle: \S*a\.rs, \S*b\.rs, \S*c\.rs/);
  assert.match(r.out, /a\.rs -> \S*b\.rs: B\n/);
  assert.match(r.out, /b\.rs -> \S*c\.rs: h\n/);
  assert.match(r.out, /c\.rs -> \S*a\.rs: f\n/);
});

test("a child that imports its crate root's items closes a cycle with it", () => {
  const r = check({
    "main.rs": "mod a;\npub struct Root;\nfn main() { a::run() }\n",
    "a.rs": "use super::Root;\npub fn run() {}\n",
  });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /main\.rs -> \S*a\.rs: run/);
});

test("comments, strings and test modules are not imports", () => {
  const r = check({
    "lib.rs": "mod a;\nmod b;\n",
    "a.rs": "use crate::b::B;\npub fn f() {}\n",
    "b.rs": [
      "//! Called from crate::a::f.",
      "pub struct B;",
      'const S: &str = "crate::a::f";',
      'const R: &str = r#"crate::a"#;',
      "const C: char = '{';",
      "#[cfg(test)]",
      "mod tests {",
      "    use crate::a::f;",
      '    #[test] fn t() { let _ = "{"; f() }',
      "}",
      "",
    ].join("\n"),
  });
  assert.equal(r.status, 0, r.out);
});

test("every argument is checked, and a failing one fails the run", () => {
  const dir = mkdtempSync(join(tmpdir(), "check-cycles-"));
  try {
    writeFileSync(join(dir, "lib.rs"), "mod a;\npub struct X;\npub fn f() { a::g() }\n");
    writeFileSync(join(dir, "a.rs"), "use super::X;\npub fn g() {}\n");
    const r = spawnSync(process.execPath, [script, dir, dir], { encoding: "utf8" });
    assert.equal(r.status, 1);
    assert.equal(r.stdout.match(/FAIL/g)?.length, 2, r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
