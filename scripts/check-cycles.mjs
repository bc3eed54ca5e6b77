#!/usr/bin/env node
// Fails when the modules of a Rust crate import each other in a loop: each layer may use
// the ones below it, never the ones above (CONTRIBUTING.md, "The layers").
//
// Usage: scripts/check-cycles.mjs DIR...   (each DIR a crate's src/, with lib.rs or main.rs)
//
// What counts as an import, read from the text with comments and strings left out:
// `crate::m` and (at a file's top level) `super::m` in any module, and `m::` in the crate
// root for each `mod m;` it declares. Test-only modules (`#[cfg(test)] mod … { … }`) are
// left out: a test may reach anywhere, and nothing imports it back.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** The text with comments, string and char literals blanked out (line breaks kept). */
function code(text) {
  let out = "";
  let i = 0;
  const blank = (s) => s.replace(/[^\n]/g, " ");
  while (i < text.length) {
    const rest = text.slice(i);
    let m;
    if ((m = /^\/\/[^\n]*/.exec(rest))) {
      out += blank(m[0]);
    } else if (rest.startsWith("/*")) {
      const end = text.indexOf("*/", i + 2);
      const s = text.slice(i, end < 0 ? text.length : end + 2);
      out += blank(s);
      m = [s];
    } else if ((m = /^b?r(#*)"/.exec(rest))) {
      const close = `"${m[1]}`;
      const end = text.indexOf(close, i + m[0].length);
      const s = text.slice(i, end < 0 ? text.length : end + close.length);
      out += blank(s);
      m = [s];
    } else if ((m = /^b?"(?:[^"\\]|\\[\s\S])*"/.exec(rest))) {
      out += blank(m[0]);
    } else if ((m = /^b?'(?:[^'\\\n]|\\[^\n]+?)'/.exec(rest))) {
      out += blank(m[0]);
    } else {
      m = [text[i]];
      out += m[0];
    }
    i += m[0].length;
  }
  return out;
}

/** `code` without the test-only inline modules. */
function withoutTests(src) {
  const re = /#\[cfg\([^\]]*\btest\b[^\]]*\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{/g;
  let out = "";
  let from = 0;
  let m;
  while ((m = re.exec(src))) {
    let depth = 1;
    let j = m.index + m[0].length;
    while (j < src.length && depth > 0) {
      if (src[j] === "{") depth++;
      else if (src[j] === "}") depth--;
      j++;
    }
    out += src.slice(from, m.index);
    from = j;
    re.lastIndex = j;
  }
  return out + src.slice(from);
}

/** The index of the brace that closes the one at `open`. */
function matching(src, open) {
  let depth = 0;
  for (let j = open; j < src.length; j++) {
    if (src[j] === "{") depth++;
    else if (src[j] === "}" && --depth === 0) return j;
  }
  return src.length;
}

/** The paths a braced use group names: `a::{b, c::{self, d}}` → a::b, a::c, a::c::d. */
function useTree(prefix, group) {
  const paths = [];
  let depth = 0;
  let start = 0;
  const items = [];
  for (let j = 0; j <= group.length; j++) {
    const ch = group[j];
    if (ch === "{") depth++;
    else if (ch === "}") depth--;
    else if ((ch === "," && depth === 0) || j === group.length) {
      items.push(group.slice(start, j).trim());
      start = j + 1;
    }
  }
  const join = (a, b) => (a ? `${a}::${b}` : b);
  for (const item of items.filter(Boolean)) {
    const nested = /^((?:\w+::)*)\{([\s\S]*)\}$/.exec(item);
    if (nested) {
      paths.push(...useTree(join(prefix, nested[1].replace(/::$/, "")), nested[2]));
    } else {
      const head = item.split(/\s+as\s+/)[0];
      paths.push(head === "self" ? prefix : join(prefix, head));
    }
  }
  return paths;
}

/** Module name of a file below `dir`: "crate" for the root, else a::b. */
function moduleOf(dir, file) {
  const rel = relative(dir, file).replace(/\\/g, "/").replace(/\.rs$/, "");
  if (rel === "lib" || rel === "main") return "crate";
  return rel
    .replace(/\/mod$/, "")
    .split("/")
    .join("::");
}

function rustFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".rs"))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** The import graph of one crate: Map(module → Map(imported module → Set(names))). */
export function graph(dir) {
  const files = rustFiles(dir);
  const modules = new Map(files.map((f) => [moduleOf(dir, f), f]));
  const edges = new Map();
  // The longest known module that `path` (a::b::c) starts with, and the name after it.
  const resolve = (path) => {
    const parts = path.split("::");
    for (let n = parts.length; n > 0; n--) {
      const mod = parts.slice(0, n).join("::");
      if (modules.has(mod)) return [mod, parts[n] ?? mod.split("::").pop()];
    }
    return ["crate", parts[0]];
  };
  for (const [mod, file] of modules) {
    const src = withoutTests(code(readFileSync(file, "utf8")));
    const out = new Map();
    const add = (target, name) => {
      if (target === mod) return;
      if (!out.has(target)) out.set(target, new Set());
      out.get(target).add(name);
    };
    const parent = mod.includes("::") ? mod.split("::").slice(0, -1).join("::") : "crate";
    // `use crate::a::{b, c::{d, e}}` and inline `crate::a::f(…)`.
    const path = /\b(crate|super)((?:::\w+)*)(::\{)?/g;
    let m;
    while ((m = path.exec(src))) {
      if (!m[2] && !m[3]) continue; // `pub(crate)`, or `super` alone
      const base = m[1] === "crate" || parent === "crate" ? "" : `${parent}::`;
      const full = base + m[2].slice(2);
      if (!m[3]) {
        add(...resolve(full));
        continue;
      }
      const close = matching(src, path.lastIndex - 1);
      for (const item of useTree(full, src.slice(path.lastIndex, close))) add(...resolve(item));
      path.lastIndex = close;
    }
    // A module brought in whole (`use crate::m;`, or the root's own `mod m;`): the names
    // are those used as `m::name`.
    const whole = [...out].filter(([target, names]) => names.has(target.split("::").pop()));
    if (mod === "crate") {
      for (const child of modules.keys()) {
        if (child !== "crate" && !child.includes("::")) whole.push([child, new Set()]);
      }
    }
    for (const [target] of whole) {
      const alias = target.split("::").pop();
      const re = new RegExp(`(?<![\\w:])${alias}::(\\w+|\\{[^}]*\\})`, "g");
      const used = [];
      while ((m = re.exec(src))) used.push(...m[1].replace(/[{}]/g, "").split(","));
      for (const name of used.map((s) => s.trim()).filter(Boolean)) add(target, name);
      if (used.length) out.get(target)?.delete(alias);
    }
    edges.set(mod, out);
  }
  return { modules, edges };
}

/** Strongly connected components with more than one module (Tarjan). */
export function cycles({ edges }) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const found = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v), idx.get(w)));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return found;
}

function main(dirs) {
  if (dirs.length === 0) {
    console.error("usage: scripts/check-cycles.mjs DIR...  (a crate's src/ each)");
    return 2;
  }
  let failed = 0;
  for (const dir of dirs) {
    const g = graph(dir);
    const imports = [...g.edges.values()].reduce((n, out) => n + out.size, 0);
    const found = cycles(g);
    if (found.length === 0) {
      console.log(`cycles: ${dir}: ${g.modules.size} modules, ${imports} imports between them, no cycle`);
      continue;
    }
    failed++;
    console.log(`cycles: ${dir}: FAIL: ${found.length} import cycle(s) among ${g.modules.size} modules`);
    for (const scc of found) {
      const file = (m) => relative(process.cwd(), g.modules.get(m));
      console.log(`  cycle: ${scc.map(file).join(", ")}`);
      for (const from of scc) {
        for (const [to, names] of g.edges.get(from)) {
          if (scc.includes(to)) console.log(`    ${file(from)} -> ${file(to)}: ${[...names].sort().join(", ")}`);
        }
      }
    }
  }
  if (failed) {
    console.log('cycles: move what both sides need into a module below both (CONTRIBUTING.md, "The layers").');
  }
  return failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("check-cycles.mjs")) {
  process.exitCode = main(process.argv.slice(2));
}
