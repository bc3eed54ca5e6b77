//! What only Node does: no `location`, so a same-origin path is refused.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::harness::*;

/// Node has no `location`: a same-origin `baseUrl` is INVALID_ARGUMENT, nothing sent.
#[wasm_bindgen_test]
async fn same_origin_base_is_refused_without_location() {
    for base in ["/v1", "/tvmaze/v1", "//127.0.0.1/v1"] {
        expect_code(
            start_with("alice@example.com", opts(base, &[])).await,
            "INVALID_ARGUMENT",
            None,
        );
    }
}
