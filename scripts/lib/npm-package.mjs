// Lays out the npm package from wasm-pack's web build; scripts/pack.sh runs it.
//
//   node scripts/lib/npm-package.mjs PKG_DIR OUT_DIR
//
// One compile, one wasm-bindgen run, one .wasm, one glue: every entry runs the code
// wasm-bindgen wrote for the Rust exports.
// - tvmaze_auth.js, the browser and bundler entry ("default"), is the `--target web`
//   glue, which works in Vite's dev server and production build, webpack 5, Rollup,
//   esbuild and a plain <script type="module"> (the bundler target fails in Vite dev),
//   plus npm/lazy.js: the module loads itself at the first call, so nobody has to call
//   init(), and importing the package fetches nothing but this file.
// - node.mjs ("node" + "import") imports that same glue and loads it at import from the
//   .wasm's bytes, embedded in it as base64 (npm/node.mjs says why).
// - node.cjs ("node" + "require") does the same over tvmaze_auth.cjs, the same glue
//   converted to CommonJS by esbuild, because Node 18 cannot require() ES modules.
// tvmaze_auth_bg.wasm stays a file of its own for browsers (streaming compile, its own
// cache entry) and for those who load it themselves: `tvmaze-auth/tvmaze_auth_bg.wasm`.
//
// The exports: the one list is what wasm-bindgen wrote for the Rust exports. Each
// Promise-returning one is wrapped in the lazy loader; one that is not must have a JS
// implementation in npm/lazy.js (it has to answer before the module loads), or the
// build fails. node.mjs re-exports the glue whole, node.cjs each of those names. After writing, every
// entry is loaded and its exports compared with that list.
//
// This is the layout of @matrix-org/matrix-sdk-crypto-wasm (one .wasm, hand-written Node
// loaders, the glue converted to CommonJS with Babel), rather than that of
// @automerge/automerge-wasm, which ships one wasm-bindgen output, and one copy of the
// .wasm, per target. Converting the one glue keeps every entry running the same code.
//
// Declarations: the public part of wasm-bindgen's .d.ts (everything before its init
// declarations; reviewed as api/tvmaze_auth.d.ts) plus npm/init-web.d.ts for the
// browser entry or npm/init-node.d.ts for Node, which names no DOM or WebAssembly
// type, so a Node-only TypeScript project (lib es2022, types node) checks it.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { transformSync } from "esbuild";

const [pkg, out] = process.argv.slice(2);
if (!pkg || !out) {
  console.error("usage: node scripts/lib/npm-package.mjs PKG_DIR OUT_DIR");
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const npm = join(root, "npm");
const read = (path) => readFileSync(path, "utf8");
const fail = (message) => {
  console.error(`npm-package: ${message}`);
  process.exit(1);
};

/** Replaces `pattern` in `text`, failing unless it matched exactly `count` times. */
function patch(text, pattern, replacement, count, what) {
  const all = new RegExp(pattern.source, pattern.flags.replace("g", "") + "g");
  const found = text.match(all)?.length ?? 0;
  if (found !== count) {
    fail(`${what}: expected ${count} match(es) of ${pattern} in the wasm-bindgen glue, found ${found}; has wasm-bindgen changed its output?`);
  }
  return text.replace(all, replacement);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// --- The exports: what wasm-bindgen wrote for the Rust ones --------------------------
let glue = read(join(pkg, "tvmaze_auth.js"));
const dts = read(join(pkg, "tvmaze_auth.d.ts"));
const lazy = read(join(npm, "lazy.js"));
const exported = [...glue.matchAll(/^export function (\w+)\(([^)]*)\) \{$/gm)].map(([, name, params]) => ({ name, params }));
if (exported.length === 0) fail("no `export function` in the wasm-bindgen glue; has its output changed?");
/** The exports npm/lazy.js implements in JS, to answer before the module has loaded. */
const inJs = new Set([...lazy.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]));
for (const name of inJs) {
  if (!exported.some((e) => e.name === name)) fail(`npm/lazy.js implements ${name}, which the Rust crate does not export`);
}

// --- The browser entry: the web glue, loading itself at the first call -------------
// Each Promise-returning export is renamed wasm_<name> and wrapped: `later` runs it at
// once when the module is loaded, else after loading it. A synchronous export cannot
// wait for a load, so it needs a JS implementation in npm/lazy.js.
let wrappers = "";
for (const { name, params } of exported) {
  if (inJs.has(name)) {
    // The glue's version (and its doc comment) goes; lazy.js's is the export.
    glue = patch(glue, new RegExp(`(?:/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\n)?^export function ${name}\\([^)]*\\) \\{\\n[\\s\\S]*?^\\}\\n\\n?`, "m"), "", 1, name);
    continue;
  }
  // An export named `__…` is internal (npm/session.js calls it; skip_typescript keeps it
  // out of the .d.ts): src/session/shell.rs makes each return a Promise.
  const returns = name.startsWith("__")
    ? "Promise<internal>"
    : dts.match(new RegExp(`^export function ${name}\\(.*\\): (.+);$`, "m"))?.[1];
  if (!returns?.startsWith("Promise<")) {
    fail(
      `the Rust export ${name} returns ${returns ?? "(not found in the .d.ts)"}, not a Promise, so it cannot wait for the module to load on ` +
        `first use: make it return a Promise (an async fn), or implement it in JS in npm/lazy.js`,
    );
  }
  const options = params.split(/,\s*/).includes("options") ? "options" : "undefined";
  glue = patch(glue, new RegExp(`^export function ${name}\\(`, "m"), `function wasm_${name}(`, 1, name);
  wrappers += `\nexport function ${name}(${params}) {\n    return later(() => wasm_${name}(${params}), ${options});\n}\n`;
}
// lazy.js may call a renamed export itself (init's first call): it must still exist.
for (const [, name] of lazy.matchAll(/\bwasm_(\w+)\(/g)) {
  if (!exported.some((e) => e.name === name && !inJs.has(name))) fail(`npm/lazy.js calls wasm_${name}, but the Rust crate has no Promise-returning export ${name}`);
}
// lazy.js picks the .wasm's URL and exports init and initSync itself.
glue = patch(glue, /^\s*if \(module_or_path === undefined\) \{\n\s*module_or_path = new URL\('tvmaze_auth_bg\.wasm', import\.meta\.url\);\n\s*\}\n/m, "", 1, "default .wasm URL");
glue = patch(glue, /^export \{ initSync, __wbg_init as default \};\n/m, "", 1, "init exports");
glue = `${glue.trimEnd()}\n\n${lazy}${wrappers}`;
// openSession is npm/session.js, shipped beside the glue (whose exports it imports) and
// re-exported by every entry; as CommonJS it is session.cjs over tvmaze_auth.cjs.
writeFileSync(join(out, "tvmaze_auth.js"), `${glue}\nexport { openSession } from "./session.js";\n`);
copyFileSync(join(npm, "session.js"), join(out, "session.js"));
// <tvmaze-sign-in>, its own subpath (tvmaze-auth/element) so a page that never imports
// it pays nothing; it imports the browser entry, and in Node defines nothing.
copyFileSync(join(npm, "element.js"), join(out, "element.js"));
copyFileSync(join(npm, "element-types.d.ts"), join(out, "element.d.ts"));
const sessionCjs = transformSync(read(join(npm, "session.js")), { format: "cjs", platform: "node", target: "node18" });
writeFileSync(join(out, "session.cjs"), patch(sessionCjs.code, /require\("\.\/tvmaze_auth\.js"\)/, 'require("./tvmaze_auth.cjs")', 1, "session.cjs"));

// --- The same glue as CommonJS, for node.cjs ---------------------------------------
// Its only `import.meta` is lazy.js's default .wasm URL, which node.cjs never reaches
// (it loads the module with initSync first), hence the silenced warning.
const cjs = transformSync(glue, {
  format: "cjs",
  platform: "node",
  target: "node18",
  logOverride: { "empty-import-meta": "silent" },
});
writeFileSync(join(out, "tvmaze_auth.cjs"), cjs.code);

// --- The Node entries, with the .wasm embedded ----------------------------------------
const wasmBase64 = readFileSync(join(pkg, "tvmaze_auth_bg.wasm")).toString("base64");
const entryNames = [...exported.map((e) => e.name), "default", "initSync", "openSession"].sort();
const cjsExports = entryNames
  .map((name) => (name === "openSession" ? `exports.${name} = require("./session.cjs").${name};` : `exports.${name} = glue.${name};`))
  .join("\n");
for (const file of ["node.mjs", "node.cjs"]) {
  let text = patch(read(join(npm, file)), /"@WASM_BASE64@"/, `"${wasmBase64}"`, 1, `npm/${file}`);
  if (file === "node.cjs") text = patch(text, /\/\* @EXPORTS@ \*\//, cjsExports, 1, `npm/${file}`);
  writeFileSync(join(out, file), text);
}

// --- Declarations -----------------------------------------------------------------
const split = dts.indexOf("\nexport type InitInput");
if (split < 0) fail("no `export type InitInput` in the generated .d.ts");
const publicApi = dts.slice(0, split).trimEnd() + "\n";
// npm/init-web.d.ts restates wasm-bindgen's init() and initSync() without InitOutput;
// if wasm-bindgen changes what they accept, that file must be reviewed.
for (const signature of [
  "export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;",
  "export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;",
  "export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;",
  "export type SyncInitInput = BufferSource | WebAssembly.Module;",
]) {
  if (!dts.includes(signature)) fail(`the generated .d.ts no longer declares\n  ${signature}\nreview npm/init-web.d.ts against it`);
}
writeFileSync(join(out, "tvmaze_auth.d.ts"), publicApi + read(join(npm, "init-web.d.ts")));
const nodeDts = publicApi + read(join(npm, "init-node.d.ts"));
writeFileSync(join(out, "node.d.ts"), nodeDts);
writeFileSync(join(out, "node.d.cts"), nodeDts);

// --- Files copied as they are -------------------------------------------------------
copyFileSync(join(pkg, "tvmaze_auth_bg.wasm"), join(out, "tvmaze_auth_bg.wasm"));
for (const file of ["LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md"]) copyFileSync(join(root, file), join(out, file));

// --- package.json, from Cargo.toml ------------------------------------------------------
const metadata = JSON.parse(
  execFileSync("cargo", ["metadata", "--no-deps", "--format-version", "1", "--manifest-path", join(root, "Cargo.toml")], { encoding: "utf8" }),
);
const crate = metadata.packages.find((p) => p.name === "tvmaze-auth") ?? fail("no tvmaze-auth package in cargo metadata");
const types = (path) => ({ types: path });
const manifest = {
  name: crate.name,
  version: crate.version,
  description: crate.description,
  license: crate.license,
  keywords: crate.keywords,
  // Only what Cargo.toml states: without a `repository` there, npm shows none.
  ...(crate.repository && {
    repository: { type: "git", url: `git+${crate.repository.replace(/^git\+/, "").replace(/(\.git)?$/, ".git")}` },
    homepage: crate.homepage ?? `${crate.repository.replace(/\.git$/, "")}#readme`,
  }),
  ...(/^https:\/\/github\.com\//.test(crate.repository ?? "") && {
    bugs: { url: `${crate.repository.replace(/\.git$/, "")}/issues` },
  }),
  type: "module",
  exports: {
    ".": {
      node: {
        import: { ...types("./node.d.ts"), default: "./node.mjs" },
        require: { ...types("./node.d.cts"), default: "./node.cjs" },
      },
      default: { ...types("./tvmaze_auth.d.ts"), default: "./tvmaze_auth.js" },
    },
    "./element": { ...types("./element.d.ts"), default: "./element.js" },
    "./tvmaze_auth_bg.wasm": "./tvmaze_auth_bg.wasm",
    "./package.json": "./package.json",
  },
  // For tools that predate `exports`: CommonJS Node (main) and ESM bundlers (module).
  main: "./node.cjs",
  module: "./tvmaze_auth.js",
  types: "./node.d.cts",
  files: [
    "tvmaze_auth.js", "tvmaze_auth.d.ts", "tvmaze_auth_bg.wasm", "tvmaze_auth.cjs", "session.js", "session.cjs",
    "element.js", "element.d.ts",
    "node.mjs", "node.cjs", "node.d.ts", "node.d.cts", "LICENSE-MIT", "LICENSE-APACHE",
    "CHANGELOG.md",
  ],
  // Only the Node entries (they load the .wasm) and the element (it registers
  // <tvmaze-sign-in>) do something on import; a bundler that thought them pure would drop
  // `import "tvmaze-auth/element"` or call into a module never loaded.
  sideEffects: ["./node.mjs", "./node.cjs", "./element.js"],
  engines: { node: ">=18" },
};
writeFileSync(join(out, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
// npm packs a listed file that is missing without a word; a package without its
// changelog or a license file must not get as far as publishing.
for (const file of manifest.files) if (!existsSync(join(out, file))) fail(`${file} is listed in "files" but was not written`);

// --- README.md: npm/README.md, linking the full documentation where there is one ----
// The repository's README is the full documentation; without a `repository` in
// Cargo.toml there is no address to give, and none is made up.
const marker = /^<!-- full-docs:.*-->\n/m;
const readme = read(join(npm, "README.md"));
if (!marker.test(readme)) fail("npm/README.md has no full-docs marker");
const docs = manifest.homepage ? `The full documentation: <${manifest.homepage}>.\n` : "";
writeFileSync(join(out, "README.md"), readme.replace(marker, docs));

// --- Every entry exports what the Rust crate exports, plus init and initSync ----------
// Loaded as users load them; a Rust export missing from any entry fails the build.
const expected = entryNames;
const entries = {
  "tvmaze_auth.js": await import(pathToFileURL(join(out, "tvmaze_auth.js"))),
  "node.mjs": await import(pathToFileURL(join(out, "node.mjs"))),
  "node.cjs": createRequire(import.meta.url)(join(out, "node.cjs")),
};
for (const [file, module] of Object.entries(entries)) {
  const names = Object.keys(module).filter((n) => n !== "__esModule").sort();
  if (names.join() !== expected.join()) fail(`${file} exports ${names.join(", ")}; the Rust crate's exports and init make ${expected.join(", ")}`);
  const notFunctions = names.filter((n) => typeof module[n] !== "function");
  if (notFunctions.length) fail(`${file}: ${notFunctions.join(", ")} not functions`);
}
