//! Time: the request timeout, and waitForConfirmation's pacing against the stand-in's
//! rate limit (the pacing rules themselves are tested on an injected clock in
//! src/policy.rs).

use wasm_bindgen_test::wasm_bindgen_test;

use crate::harness::*;

// --- timeouts

#[wasm_bindgen_test]
async fn timeout_rejects_with_timeout() {
    let api = api();
    clear_faults(api).await;
    arm(
        api,
        r#"{"endpoint":"start","kind":"delay","delay_ms":3000}"#,
    )
    .await;
    let t0 = now();
    let result = start_with("alice@example.com", opts(api, &[("timeoutMs", 300.into())])).await;
    expect_code(result, "TIMEOUT", None);
    let took = now() - t0;
    assert!((250.0..2000.0).contains(&took), "timed out after {took} ms");
    // The validate path too, and the module is fine afterwards.
    arm(
        api,
        r#"{"endpoint":"validate","kind":"delay","delay_ms":3000}"#,
    )
    .await;
    let result = validate_with("alice", "k", opts(api, &[("timeoutMs", 200.into())])).await;
    expect_code(result, "TIMEOUT", None);
    start_alice(api).await;
}

// --- waitForConfirmation's pacing -----------------------------------------------------

/// A 429 without Retry-After at least doubles the interval (to a second at least),
/// which then stays.
#[wasm_bindgen_test]
async fn rate_limited_wait_backs_off() {
    let api = api(); // the stand-in allows one poll per 200 ms
    let (token, confirm_url) = start_alice(api).await;
    let log = PollLog::new();
    let waiting = wait_promise(
        &token,
        opts(
            api,
            &[("intervalMs", 60.into()), ("onPoll", log.function())],
        ),
    );
    sleep(1500).await;
    decide(&confirm_url, "confirm").await;
    settle(waiting).await.expect("the wait survives 429s");
    let intervals = log.next_poll_in();
    assert!(intervals.len() >= 2, "pending answers: {intervals:?}");
    assert_eq!(intervals.first(), Some(&60.0), "{intervals:?}");
    assert!(
        intervals.windows(2).all(|w| w[0] <= w[1]),
        "never shortens: {intervals:?}"
    );
    // A 429 at least doubles the interval, and never leaves it below a second
    // (the doubling itself is tested in src/policy.rs, on an injected clock).
    assert!(
        intervals.iter().all(|&i| i == 60.0 || i >= 1000.0),
        "backed off to at least a second: {intervals:?}"
    );
    assert!(
        intervals.iter().any(|&i| i >= 1000.0),
        "backed off: {intervals:?}"
    );
}

/// A 429 with Retry-After waits exactly that long from then on.
#[wasm_bindgen_test]
async fn rate_limited_wait_honours_retry_after() {
    let api = retry_after_api(); // one poll per 1000 ms, Retry-After sent
    let (token, confirm_url) = start_alice(api).await;
    let log = PollLog::new();
    let waiting = wait_promise(
        &token,
        opts(
            api,
            &[("intervalMs", 100.into()), ("onPoll", log.function())],
        ),
    );
    sleep(1700).await;
    decide(&confirm_url, "confirm").await;
    settle(waiting).await.expect("the wait survives the 429");
    let intervals = log.next_poll_in();
    // Poll 1 at 100 ms: pending. Poll 2 at 200 ms: 429 with Retry-After: 1. Then every
    // 1000 ms: pending, until confirmed.
    assert_eq!(intervals.first(), Some(&100.0), "{intervals:?}");
    assert!(intervals.len() >= 2, "{intervals:?}");
    assert!(intervals[1..].iter().all(|&i| i == 1000.0), "{intervals:?}");
}

/// Transient failures within the budget are retried; one more rejects.
#[wasm_bindgen_test]
async fn transient_errors_are_retried_within_budget() {
    let api = api();
    clear_faults(api).await;
    let (token, confirm_url) = start_alice(api).await;
    decide(&confirm_url, "confirm").await;
    // Exactly the budget: three 503s (not a `drop`, which browsers retry on their own
    // and so might not count), then the key.
    arm(
        api,
        r#"{"endpoint":"poll","kind":"status","status":503,"times":3}"#,
    )
    .await;
    let options = opts(
        api,
        &[("intervalMs", 220.into()), ("maxTransientErrors", 3.into())],
    );
    let key = settle(wait_promise(&token, options))
        .await
        .expect("3 transient errors retried");
    assert_eq!(get_str(&key, "username"), "alice");

    let (token, _) = start_alice(api).await;
    arm(
        api,
        r#"{"endpoint":"poll","kind":"status","status":503,"times":3}"#,
    )
    .await;
    let options = opts(
        api,
        &[("intervalMs", 220.into()), ("maxTransientErrors", 2.into())],
    );
    let result = settle(wait_promise(&token, options)).await;
    expect_code(result, "SERVER_ERROR", Some(503));
    clear_faults(api).await;
}

/// onPoll throwing does not break the wait.
#[wasm_bindgen_test]
async fn throwing_on_poll_is_ignored() {
    let api = api();
    let (token, confirm_url) = start_alice(api).await;
    let throws = Function::new_no_args("throw new Error('onPoll failed')");
    let waiting = wait_promise(
        &token,
        opts(
            api,
            &[("intervalMs", 220.into()), ("onPoll", throws.into())],
        ),
    );
    sleep(600).await;
    decide(&confirm_url, "confirm").await;
    settle(waiting)
        .await
        .expect("wait resolved despite onPoll throwing");
}

/// onPoll returning a promise that rejects is handled like a throw: the wait goes on, and
/// no rejection is left unhandled (in Node that would end the test process).
#[wasm_bindgen_test]
async fn rejecting_async_on_poll_is_ignored() {
    let api = api();
    let (token, confirm_url) = start_alice(api).await;
    let rejects = Function::new_no_args("return Promise.reject(new Error('onPoll failed'))");
    let waiting = wait_promise(
        &token,
        opts(
            api,
            &[("intervalMs", 220.into()), ("onPoll", rejects.into())],
        ),
    );
    sleep(700).await;
    decide(&confirm_url, "confirm").await;
    settle(waiting)
        .await
        .expect("wait resolved despite onPoll rejecting");
}
