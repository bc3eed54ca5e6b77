// The Node ESM entry ("node" + "import" in package.json's exports): the browser entry's
// glue, loaded at import from the .wasm's bytes, which scripts/lib/npm-package.mjs
// writes into this file as base64. Embedded rather than read from disk, because
// bundlers of server code (Next.js with webpack or Turbopack) rewrite a file URL next
// to the module into an asset of their own, and no runtime then has a file path to read
// (Bun, Deno and edge bundles alike): embedded, there is nothing to find.
// Its exports are the glue's, all of them (`export *`), so none is listed here.
import { Buffer } from "node:buffer";
import { initSync } from "./tvmaze_auth.js";

initSync({ module: Buffer.from("@WASM_BASE64@", "base64") });

export * from "./tvmaze_auth.js";
// Loaded already: init() resolves at once and initSync() does nothing.
export { default } from "./tvmaze_auth.js";
