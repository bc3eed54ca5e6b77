//! The one-time key against a server that hands it out when the poll arrives, as TVmaze
//! does, and then answers late (`late_answer`) or slowly (`slow_body`): once the poll has
//! been sent, a second poll of the token would get 404, so only reading that answer to
//! its end keeps the key. A poll is never cut at `timeoutMs`; only the caller's abort
//! (after `timeoutMs`) or the deadline end it.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::harness::*;

/// A confirmed pairing whose next poll answer is slowed by `fault`.
async fn confirmed_with(api: &str, fault: &str) -> String {
    clear_faults(api).await;
    let (token, confirm_url) = start_alice(api).await;
    decide(&confirm_url, "confirm").await;
    arm(api, &format!(r#"{{"endpoint":"poll",{fault}}}"#)).await;
    sleep(220).await; // the stand-in's poll interval since start
    token
}

fn expect_key(result: Result<JsValue, JsValue>, what: &str) {
    let value = result.unwrap_or_else(|e| panic!("{what}: the key was lost: {e:?}"));
    assert_eq!(get_str(&value, "username"), "alice", "{what}");
    assert!(!get_str(&value, "apiKey").is_empty(), "{what}");
}

/// The status line comes after `timeoutMs`: both functions still deliver the key.
#[wasm_bindgen_test]
async fn key_survives_late_headers() {
    let api = api();
    let late = r#""kind":"late_answer","delay_ms":1500"#;
    let token = confirmed_with(api, late).await;
    let o = opts(api, &[("timeoutMs", 1000.into())]);
    expect_key(poll_with(&token, o).await, "pollAuth, headers 1.5 s late");

    let token = confirmed_with(api, late).await;
    let o = opts(
        api,
        &[("timeoutMs", 1000.into()), ("intervalMs", 50.into())],
    );
    expect_key(
        settle(wait_promise(&token, o)).await,
        "waitForConfirmation, headers 1.5 s late",
    );
    clear_faults(api).await;
}

/// The status line at once, the body a byte at a time for longer than `timeoutMs`.
#[wasm_bindgen_test]
async fn key_survives_slow_body() {
    let api = api();
    let slow = r#""kind":"slow_body","byte_interval_ms":25"#;
    let token = confirmed_with(api, slow).await;
    let t0 = now();
    let o = opts(api, &[("timeoutMs", 500.into())]);
    expect_key(poll_with(&token, o).await, "pollAuth, slow body");
    assert!(
        now() - t0 > 1000.0,
        "the body really was slow: {} ms",
        now() - t0
    );

    let token = confirmed_with(api, slow).await;
    let o = opts(api, &[("timeoutMs", 500.into()), ("intervalMs", 50.into())]);
    expect_key(
        settle(wait_promise(&token, o)).await,
        "waitForConfirmation, slow body",
    );
    clear_faults(api).await;
}

/// An abort within `timeoutMs` of the poll being sent does not cut it: the key wins.
/// After `timeoutMs` the abort ends the wait at once, the caller's explicit choice.
#[wasm_bindgen_test]
async fn abort_cuts_a_poll_only_after_timeout_ms() {
    let api = api();
    let token = confirmed_with(api, r#""kind":"late_answer","delay_ms":1200"#).await;
    let c = controller();
    let o = opts(
        api,
        &[("timeoutMs", 3000.into()), ("signal", c.signal().into())],
    );
    let p = tvmaze_auth::poll_auth(token.as_str().into(), o);
    sleep(300).await;
    c.abort();
    let confirmed = settle(p).await;
    if let Ok(v) = &confirmed {
        assert_eq!(get_str(v, "status"), "confirmed");
    }
    expect_key(confirmed, "pollAuth aborted within timeoutMs");

    let token = confirmed_with(api, r#""kind":"late_answer","delay_ms":4000"#).await;
    let c = controller();
    let o = opts(
        api,
        &[
            ("timeoutMs", 300.into()),
            ("intervalMs", 50.into()),
            ("signal", c.signal().into()),
        ],
    );
    let p = wait_promise(&token, o);
    sleep(700).await; // the poll went out at about 50 ms: its grace is over
    let t0 = now();
    c.abort_with_reason(&"stop".into());
    let reason = settle(p).await.expect_err("aborted after timeoutMs");
    assert_eq!(reason.as_string().as_deref(), Some("stop"));
    assert!(now() - t0 < 500.0, "rejected {} ms after abort", now() - t0);
    clear_faults(api).await;
}

/// The deadline bounds a poll in flight: DEADLINE, for both functions.
#[wasm_bindgen_test]
async fn deadline_bounds_a_poll_in_flight() {
    let api = api();
    let late = r#""kind":"late_answer","delay_ms":4000"#;
    let token = confirmed_with(api, late).await;
    let t0 = now();
    let o = opts(
        api,
        &[("timeoutMs", 200.into()), ("deadlineMs", 800.into())],
    );
    expect_code(poll_with(&token, o).await, "DEADLINE", None);
    let took = now() - t0;
    assert!(
        (700.0..2500.0).contains(&took),
        "pollAuth: DEADLINE after {took} ms"
    );

    let token = confirmed_with(api, late).await;
    let t0 = now();
    let o = opts(
        api,
        &[
            ("timeoutMs", 200.into()),
            ("intervalMs", 50.into()),
            ("deadlineMs", 800.into()),
        ],
    );
    expect_code(settle(wait_promise(&token, o)).await, "DEADLINE", None);
    let took = now() - t0;
    assert!(
        (700.0..2500.0).contains(&took),
        "wait: DEADLINE after {took} ms"
    );
    clear_faults(api).await;
}

/// A pending poll slower than `timeoutMs` is not retried while it is out: one answer,
/// then the wait goes on at its pace and ends with the key once the user confirms.
#[wasm_bindgen_test]
async fn slow_pending_poll_is_awaited_not_repeated() {
    let api = api();
    clear_faults(api).await;
    let (token, confirm_url) = start_alice(api).await;
    arm(
        api,
        r#"{"endpoint":"poll","kind":"late_answer","delay_ms":900}"#,
    )
    .await;
    sleep(220).await;
    let log = PollLog::new();
    let o = opts(
        api,
        &[
            ("timeoutMs", 150.into()),
            ("intervalMs", 250.into()),
            ("onPoll", log.function()),
        ],
    );
    let p = wait_promise(&token, o);
    sleep(1400).await;
    // One poll answered (after 900 ms), not one per 150 ms timeout.
    assert_eq!(log.seen.borrow().len(), 1, "polls answered by now");
    decide(&confirm_url, "confirm").await;
    expect_key(settle(p).await, "slow pending poll, then confirmed");
}
