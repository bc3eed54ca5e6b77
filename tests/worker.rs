//! The client in a dedicated Web Worker (no `window`): fetch and setTimeout must be the
//! globals. Every suite a page runs, run again in the Worker by the browser steps
//! (`wasm-pack test --headless --chrome` and `--firefox`).

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

mod harness;
mod suites;
#[path = "suites/web_only.rs"]
mod web_only;
