// The Node ESM entry ("node" + "import" in package.json's exports). Node has no fetch
// for file URLs, so the browser entry's `init()` cannot load the .wasm here: this entry
// reads the same tvmaze_auth_bg.wasm from disk with the same glue, at import, so no
// init is needed. `init()` and `initSync()` remain, doing nothing, so code written for
// the browser entry runs unchanged.
import { readFileSync } from "node:fs";
import { initSync as load } from "./tvmaze_auth.js";

load({ module: readFileSync(new URL("./tvmaze_auth_bg.wasm", import.meta.url)) });

export { isTvmazeAuthError, pollAuth, startAuth, validate, waitForConfirmation } from "./tvmaze_auth.js";

/** Does nothing: this entry loaded the module when it was imported. */
export default async function init() {}

/** Does nothing: this entry loaded the module when it was imported. */
export function initSync() {}
