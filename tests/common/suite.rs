//! Declares a `#[wasm_bindgen_test]` wrapper per shared test body, so the suites list
//! names instead of repeating bodies.
macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        $(
            #[wasm_bindgen_test::wasm_bindgen_test]
            async fn $name() {
                common::$name().await;
            }
        )*
    };
}

/// Every shared test that runs wherever fetch does (page and Node), plus `$extra`.
// The worker suite picks a few tests with `suite!` and leaves this one unused.
#[allow(unused_macros)]
macro_rules! full_suite {
    ($($extra:ident),* $(,)?) => {
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
            fault_matrix,
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
            endless_body_is_cut_off,
            redirects_are_not_followed,
            unsafe_confirm_urls_are_bad_response,
            retry_after_is_capped_at_a_day,
            rate_limit_always_slows_down,
            lone_surrogates_are_bad_response,
            results_are_plain_objects,
            $($extra,)*
        );
    };
}
