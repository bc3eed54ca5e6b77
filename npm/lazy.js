// ---- npm/lazy.js, appended to wasm-bindgen's web glue by scripts/lib/npm-package.mjs ----
// The module loads itself: the first call of any function fetches and compiles
// tvmaze_auth_bg.wasm (streaming where the server sends application/wasm), calls made
// meanwhile share that one load, and importing the package fetches nothing. init() is
// an optional preload. A failed load rejects with LOAD_FAILED saying what to fix, and is
// forgotten, so the next call tries again.
// Uses the glue's `wasm`, `initSync` and `__wbg_init`; npm-package.mjs renames each
// Promise-returning export of the glue to `wasm_<name>` and exports a wrapper that runs
// it through `later`. Every byte here ships to every browser (docs/size.md).

// A classic script (an IIFE bundle) has no import.meta.url: there the .wasm is looked
// for next to the script, whose URL is known only while it first runs.
const scriptUrl = typeof document == "object" ? document.currentScript?.src : undefined;

/** The load in progress or done, shared by every call; undefined again after a failure. */
let loading;

function load(options) {
  if (wasm) return Promise.resolve();
  if (!loading) {
    loading = loadOnce(options);
    loading.catch(() => (loading = undefined));
  }
  return loading;
}

async function loadOnce(options) {
  let source =
    options !== undefined && Object.getPrototypeOf(options) === Object.prototype ? options.module_or_path : options;
  source = await source;
  let url = "";
  if (source === undefined) {
    try {
      // The expression wasm-bindgen writes, which Vite, webpack, Next.js and Rollup
      // plugins find and answer by emitting the .wasm with the bundle.
      source = new URL("tvmaze_auth_bg.wasm", import.meta.url);
    } catch {
      try {
        source = new URL("tvmaze_auth_bg.wasm", scriptUrl || globalThis.location?.href);
      } catch {
        throw loadFailed("this script has no URL to look for it next to: pass its URL, init({ module_or_path })");
      }
    }
  }
  if (
    typeof source == "string" ||
    source instanceof URL ||
    (typeof Request == "function" && source instanceof Request)
  ) {
    url = `${source.url ?? source}`;
    try {
      source = await fetch(source);
    } catch (e) {
      throw loadFailed(
        `fetching ${url} failed: offline, or a Content-Security-Policy connect-src that does not allow it`,
        e,
      );
    }
  }
  if (typeof Response == "function" && source instanceof Response) {
    url = source.url || url;
    if (!source.ok) throw loadFailed(`${url} answered HTTP ${source.status}. ${WHERE}`);
  }
  try {
    await __wbg_init({ module_or_path: source });
  } catch (e) {
    throw explain(e, url ? `${url} (Content-Type ${source.headers.get("content-type")})` : undefined);
  }
}

const WHERE =
  "Copy tvmaze-auth/tvmaze_auth_bg.wasm there, next to this script (bundlers such as esbuild and Rollup do not copy it), or pass its URL: init({ module_or_path })";

/** LOAD_FAILED for what compiling or instantiating threw, naming the fix where known. */
function explain(e, what = "the module given") {
  if (typeof WebAssembly != "object") return loadFailed("WebAssembly is turned off here", e);
  if (/Content.Security|CSP|unsafe-eval/i.test(e?.message)) {
    return loadFailed(
      `the Content-Security-Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to its script-src (in a Chrome extension, to content_security_policy.extension_pages in manifest.json)`,
      e,
    );
  }
  if (e instanceof WebAssembly.CompileError) return loadFailed(`${what} is not WebAssembly. ${WHERE}`, e);
  return loadFailed(`${e?.message ?? e} (is the .wasm from the same version of tvmaze-auth?)`, e);
}

function loadFailed(why, cause) {
  return Object.assign(
    new Error(`tvmaze-auth could not load tvmaze_auth_bg.wasm: ${why}. The next call tries again.`, { cause }),
    {
      name: "TvmazeAuthError",
      code: "LOAD_FAILED",
    },
  );
}

/**
 * Runs `call` at once when the module is loaded, else after loading it. While it loads,
 * an abort of `options.signal` rejects with its reason at once, as a loaded call would.
 */
function later(call, options) {
  warm = true;
  if (wasm) return call();
  let signal;
  try {
    signal = options.signal;
  } catch {}
  // Anything else is left to the call, which rejects it with INVALID_ARGUMENT.
  if (!(typeof AbortSignal == "function" && signal instanceof AbortSignal)) signal = undefined;
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort);
    load()
      .then(() => signal?.aborted || resolve(call()), reject)
      .finally(() => signal?.removeEventListener("abort", abort));
  });
}

/**
 * Whether `e` is an error made by this library: an Error named "TvmazeAuthError" with a
 * string `code`, by name rather than class so that errors from another copy of the module
 * count. Plain JS, so it answers before the module has loaded; the wasm's own
 * `isTvmazeAuthError` (src/interop.rs) is not used by the package.
 */
export function isTvmazeAuthError(e) {
  try {
    return e instanceof Error && e.name === "TvmazeAuthError" && typeof e.code == "string";
  } catch {
    return false;
  }
}

// Both resolve with (return) the wasm's exports, as wasm-bindgen's do: declared void,
// for the repository's own memory tests.

/** Whether a call has run: the first one is slower, which init() takes on itself. */
let warm = false;

/**
 * Optional: loads the module before the first call needs it (on hover or focus, say),
 * then makes one call that is refused before anything is sent (a blank email; a loopback
 * baseUrl all the same), so that the engine's first-run work (the wasm-to-JS wrappers
 * of every option read and of the error) is done before the user's click, not after.
 */
function init(options) {
  return load(options).then(() => {
    if (!warm) {
      warm = true;
      wasm_startAuth("", { baseUrl: "http://127.0.0.1/v1", emailConfirmation: false, timeoutMs: 30000 }).catch(
        () => {},
      );
    }
    return wasm;
  });
}

/** Loads the module at once from its bytes or a compiled WebAssembly.Module. */
function loadSync(options) {
  try {
    return initSync(options);
  } catch (e) {
    throw explain(e);
  }
}

export { loadSync as initSync, init as default };
