// Lays out the npm package from wasm-pack's web build; scripts/pack.sh runs it.
//
//   node scripts/lib/npm-package.mjs PKG_DIR OUT_DIR
//
// One compile, one wasm-bindgen run, one .wasm: every entry shares pkg/'s
// tvmaze_auth_bg.wasm and the glue wasm-bindgen wrote for it.
// - tvmaze_auth.js, the browser and bundler entry ("default"), is the `--target web`
//   glue, which works in Vite's dev server and production build, webpack 5 and a plain
//   <script type="module"> (the bundler target fails in Vite dev). It gets one patch:
//   a call before init() rejects with NOT_INITIALIZED instead of a TypeError.
// - node.mjs ("node" + "import") imports that same glue and loads the .wasm from disk
//   with initSync, so no init() is needed in Node (whose fetch cannot read files).
// - node.cjs ("node" + "require") does the same over tvmaze_auth.cjs, the same glue
//   converted to CommonJS by esbuild, because Node 18 cannot require() ES modules.
// This is the layout of @matrix-org/matrix-sdk-crypto-wasm (one .wasm, hand-written Node
// loaders, the glue converted to CommonJS with Babel), rather than that of
// @automerge/automerge-wasm, which ships one wasm-bindgen output, and one copy of the
// .wasm, per target. A second wasm-bindgen run with `--target nodejs` over the same
// input could share the .wasm (with wasm-bindgen 0.2.130 its .wasm is byte-identical to
// the web target's), but it is a second glue, with its own loading code, to keep in step
// with the first; converting the one glue keeps every entry running the same code.
//
// Declarations: the public part of wasm-bindgen's .d.ts (everything before its init
// declarations; reviewed as api/tvmaze_auth.d.ts) plus npm/init-web.d.ts for the
// browser entry or npm/init-node.d.ts for Node, which names no DOM or WebAssembly
// type, so a Node-only TypeScript project (lib es2022, types node) checks it.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
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
  const found = text.match(new RegExp(pattern.source, "g"))?.length ?? 0;
  if (found !== count) {
    fail(`${what}: expected ${count} match(es) of ${pattern} in the wasm-bindgen glue, found ${found}; has wasm-bindgen changed its output?`);
  }
  return text.replace(new RegExp(pattern.source, "g"), replacement);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// --- The browser entry: the web glue, calls before init() guarded ---------------
// The glue's exports call `wasm.<name>(...)`, and `wasm` is undefined until init()
// resolves. Each call goes through `(wasm || notReady)` instead: four rejections and a
// plain-JS isTvmazeAuthError (the wasm one checks the same things: an Error, its name,
// a string code). Kept this small because every byte ships to every browser.
const EXPORTS = ["isTvmazeAuthError", "pollAuth", "startAuth", "validate", "waitForConfirmation"];
const NOT_READY = `// Added by scripts/lib/npm-package.mjs: until init() resolves, calls reject with a
// TvmazeAuthError NOT_INITIALIZED instead of failing with a TypeError on \`wasm\`.
const notReady = new Proxy({
    isTvmazeAuthError: (e) => +(e instanceof Error && e.name == "TvmazeAuthError" && typeof e.code == "string"),
}, {
    get: (known, name) => known[name] || (async () => {
        throw Object.assign(Error("tvmaze-auth: call init() first"), { name: "TvmazeAuthError", code: "NOT_INITIALIZED" });
    }),
});
`;
let glue = read(join(pkg, "tvmaze_auth.js"));
glue = patch(glue, /^(\/\* @ts-self-types="\.\/tvmaze_auth\.d\.ts" \*\/\n)/, `$1${NOT_READY}`, 1, "header");
glue = patch(glue, new RegExp(`const ret = wasm\\.(${EXPORTS.join("|")})\\(`), "const ret = (wasm || notReady).$1(", EXPORTS.length, "export calls");
writeFileSync(join(out, "tvmaze_auth.js"), glue);

// --- The same glue as CommonJS, for node.cjs ---------------------------------------
// Its only `import.meta` is the default .wasm URL of init(), which node.cjs never
// reaches (it calls initSync first), hence the silenced warning.
const cjs = transformSync(glue, {
  format: "cjs",
  platform: "node",
  target: "node18",
  logOverride: { "empty-import-meta": "silent" },
});
writeFileSync(join(out, "tvmaze_auth.cjs"), cjs.code);

// --- Declarations -----------------------------------------------------------------
const dts = read(join(pkg, "tvmaze_auth.d.ts"));
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
for (const file of ["node.mjs", "node.cjs"]) copyFileSync(join(npm, file), join(out, file));
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
    "./tvmaze_auth_bg.wasm": "./tvmaze_auth_bg.wasm",
    "./package.json": "./package.json",
  },
  // For tools that predate `exports`: CommonJS Node (main) and ESM bundlers (module).
  main: "./node.cjs",
  module: "./tvmaze_auth.js",
  types: "./node.d.cts",
  files: [
    "tvmaze_auth.js", "tvmaze_auth.d.ts", "tvmaze_auth_bg.wasm", "tvmaze_auth.cjs",
    "node.mjs", "node.cjs", "node.d.ts", "node.d.cts", "LICENSE-MIT", "LICENSE-APACHE",
    "CHANGELOG.md",
  ],
  // Only the Node entries do something on import (they load the .wasm); a bundler that
  // thought them pure could skip them and call into a module never loaded.
  sideEffects: ["./node.mjs", "./node.cjs"],
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
