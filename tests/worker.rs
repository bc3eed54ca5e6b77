//! The client in a dedicated Web Worker (no `window`): fetch and setTimeout must be
//! the globals. Runs with the browser suites (`wasm-pack test --headless --chrome`).

#[macro_use]
#[path = "common/suite.rs"]
mod suite_macro;
mod common;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

suite!(
    full_confirm_flow,
    start_error_codes,
    timeout_rejects_with_timeout,
    abort_during_request_rejects_at_once,
    abort_between_polls_rejects_at_once,
    key_delivered_despite_late_abort,
    cors_refusal_is_network,
    same_origin_base_resolves_against_location,
);
