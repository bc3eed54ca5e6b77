//! The client against the stand-ins, in Node (global fetch, Node 18+):
//! `wasm-pack test --node`. Everything but CORS, which Node does not enforce.

#[macro_use]
#[path = "common/suite.rs"]
mod suite_macro;
mod common;

suite!(
    full_confirm_flow,
    poll_auth_pending_then_confirmed,
    deny_rejects_with_token_not_found,
    expiry_rejects_with_token_not_found,
    deadline_rejects_with_deadline,
    start_error_codes,
    poll_error_codes,
    retry_after_is_reported_in_ms,
    validate_error_codes,
    errors_carry_no_secrets,
    invalid_arguments_send_nothing,
    lenient_options,
    is_tvmaze_auth_error_is_precise,
    healthy_after_every_bad_answer,
    timeout_rejects_with_timeout,
    rate_limited_wait_backs_off,
    rate_limited_wait_honours_retry_after,
    transient_errors_are_retried_within_budget,
    throwing_on_poll_is_ignored,
    abort_before_sends_nothing,
    abort_during_request_rejects_at_once,
    abort_between_polls_rejects_at_once,
    key_delivered_despite_late_abort,
    pending_poll_after_abort_rejects_when_answered,
);
