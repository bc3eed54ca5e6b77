
/**
 * Optional. Every function loads the WebAssembly module (tvmaze_auth_bg.wasm) itself
 * the first time it is called, and calls made meanwhile share that load; init() starts
 * it earlier, as a preload: on hover or focus of a sign-in button, say. By default it
 * fetches `tvmaze_auth_bg.wasm` next to this file (bundlers such as Vite, webpack and
 * Next.js rewrite that URL); pass `module_or_path` to load it from elsewhere (a URL, a
 * Response, the bytes or a compiled module). Resolves once loaded, at once if it is;
 * rejects with a LOAD_FAILED TvmazeAuthError saying what to fix, and the next call or
 * init() tries again.
 */
export default function init(options?: {
  module_or_path: RequestInfo | URL | Response | BufferSource | WebAssembly.Module
    | Promise<RequestInfo | URL | Response | BufferSource | WebAssembly.Module>;
}): Promise<void>;

/**
 * Loads the WebAssembly module synchronously from its bytes or a compiled module;
 * throws a LOAD_FAILED TvmazeAuthError if it cannot. Optional, like {@link init}.
 */
export function initSync(options: { module: BufferSource | WebAssembly.Module }): void;
