// The app every bundler recipe of npm/README.md's "Setups" bundles (Rollup, esbuild ESM
// and IIFE, the strict-CSP and missing-.wasm pages): the shared sign-in, one call that
// reports how it ended, for the pages where loading is meant to fail, and init() with a
// URL of the page's choosing.
import init, { isTvmazeAuthError, startAuth } from "tvmaze-auth";
import { signIn } from "../shared/flow.js";

window.run = (baseUrl, options) => signIn(baseUrl, window.confirmInHarness, options);
window.once = (baseUrl) =>
  startAuth("alice@example.com", { baseUrl, emailConfirmation: false }).then(
    () => ({ ok: true }),
    (e) => ({ ours: isTvmazeAuthError(e), code: e?.code, message: `${e?.message}` }),
  );
window.preload = (url) => init({ module_or_path: url }).then(() => "loaded");
