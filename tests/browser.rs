//! The client against the stand-ins, in a browser page:
//! `wasm-pack test --headless --chrome` and `--headless --firefox`.

#[macro_use]
#[path = "common/suite.rs"]
mod suite_macro;
mod common;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

full_suite!(
    // Only browsers enforce CORS.
    cors_refusal_is_network,
    // Only pages and Workers have a location.
    same_origin_base_resolves_against_location,
);
