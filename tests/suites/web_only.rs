//! What only pages and Workers have: CORS, and a `location` for same-origin paths.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::harness::*;

/// Browsers refuse a cross-origin answer without CORS headers: NETWORK.
#[wasm_bindgen_test]
async fn cors_refusal_is_network() {
    let api = no_cors_api();
    expect_code(
        start_with("alice@example.com", opts(api, &[])).await,
        "NETWORK",
        None,
    );
}

/// Page and Worker: a same-origin `baseUrl` is resolved against `location` (here the
/// test runner's loopback origin, which has no TVmaze API), so the request is sent there
/// and answered: an HTTP error with a status, not INVALID_ARGUMENT and not NETWORK. A
/// protocol-relative "//host" is not a same-origin path and stays refused.
#[wasm_bindgen_test]
async fn same_origin_base_resolves_against_location() {
    let base = opts("/no-such-api/v1", &[]);
    let err = match validate_with("alice", "key", base).await {
        Ok(v) => panic!("the test runner has no validate endpoint, yet: {v:?}"),
        Err(e) => e,
    };
    assert!(tvmaze_auth::is_tvmaze_auth_error(err.clone()), "{err:?}");
    let code = get_str(&err, "code");
    assert!(code != "INVALID_ARGUMENT" && code != "NETWORK", "{code}");
    assert!(
        get(&err, "status").as_f64().is_some(),
        "no HTTP answer: {err:?}"
    );
    let protocol_relative = opts("//127.0.0.1/v1", &[]);
    expect_code(
        validate_with("alice", "key", protocol_relative).await,
        "INVALID_ARGUMENT",
        None,
    );
}
