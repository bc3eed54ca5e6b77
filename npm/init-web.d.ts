
/**
 * Loads the WebAssembly module; call it (and await it) before any other function, which
 * until then reject with NOT_INITIALIZED. By default it fetches `tvmaze_auth_bg.wasm`
 * next to this file (bundlers such as Vite and webpack rewrite that URL); pass
 * `module_or_path` to load it from elsewhere. Later calls resolve at once.
 */
export default function init(options?: {
  module_or_path: RequestInfo | URL | Response | BufferSource | WebAssembly.Module
    | Promise<RequestInfo | URL | Response | BufferSource | WebAssembly.Module>;
}): Promise<void>;

/** Loads the WebAssembly module synchronously from its bytes or a compiled module. */
export function initSync(options: { module: BufferSource | WebAssembly.Module }): void;
