//! The client against the stand-ins, in a browser page:
//! `wasm-pack test --headless --chrome` and `--headless --firefox`.

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod harness;
mod suites;
#[path = "suites/web_only.rs"]
mod web_only;
