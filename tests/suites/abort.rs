//! The caller's AbortSignal: everything stops at once, except a poll already sent,
//! whose answer may carry the only copy of the key.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::harness::*;

fn same(a: &JsValue, b: &JsValue) -> bool {
    Object::is(a, b)
}

/// An already aborted signal rejects with its reason and sends nothing.
#[wasm_bindgen_test]
async fn abort_before_sends_nothing() {
    let api = api();
    arm_tripwires(api).await;
    let c = controller();
    let reason = obj(&[("why", "user left".into())]);
    c.abort_with_reason(&reason);
    let o = || opts(api, &[("signal", c.signal().into())]);
    let r = start_with("alice@example.com", o())
        .await
        .expect_err("aborted");
    assert!(same(&r, &reason), "start rejects with signal.reason: {r:?}");
    let r = poll_with("t", o()).await.expect_err("aborted");
    assert!(same(&r, &reason), "poll rejects with signal.reason: {r:?}");
    let r = validate_with("alice", "k", o()).await.expect_err("aborted");
    assert!(
        same(&r, &reason),
        "validate rejects with signal.reason: {r:?}"
    );
    let r = settle(wait_promise("t", o())).await.expect_err("aborted");
    assert!(same(&r, &reason), "wait rejects with signal.reason: {r:?}");
    // Nothing was sent: the armed faults are all still there.
    assert_tripwires_intact(api).await;
}

/// Aborting while start or validate is on the wire rejects at once with the reason.
#[wasm_bindgen_test]
async fn abort_during_request_rejects_at_once() {
    let api = api();
    clear_faults(api).await;
    for endpoint in ["start", "validate"] {
        arm(
            api,
            &format!(r#"{{"endpoint":"{endpoint}","kind":"delay","delay_ms":3000}}"#),
        )
        .await;
        let c = controller();
        let o = opts(api, &[("signal", c.signal().into())]);
        let p = if endpoint == "start" {
            tvmaze_auth::start_auth("alice@example.com".into(), o)
        } else {
            tvmaze_auth::validate("alice".into(), "k".into(), o)
        };
        sleep(150).await;
        let t0 = now();
        c.abort(); // default reason: a DOMException named AbortError
        let r = settle(p).await.expect_err("aborted");
        let took = now() - t0;
        assert!(took < 500.0, "{endpoint}: rejected {took} ms after abort");
        assert!(same(&r, &c.signal().reason()), "{endpoint}: {r:?}");
        assert_eq!(get_str(&r, "name"), "AbortError");
    }
    clear_faults(api).await;
    start_alice(api).await;
}

/// Aborting between polls rejects at once with the reason, without waiting for the
/// next poll.
#[wasm_bindgen_test]
async fn abort_between_polls_rejects_at_once() {
    let api = api();
    let (token, _) = start_alice(api).await;
    let c = controller();
    let log = PollLog::new();
    let p = wait_promise(
        &token,
        opts(
            api,
            &[
                ("intervalMs", 400.into()),
                ("signal", c.signal().into()),
                ("onPoll", log.function()),
            ],
        ),
    );
    // Abort right after the first pending answer: the next poll is 400 ms away.
    let t_wait = now();
    while log.seen.borrow().is_empty() {
        assert!(now() - t_wait < 5000.0, "no pending answer within 5 s");
        sleep(10).await;
    }
    let reason = JsValue::from_str("stop");
    let t0 = now();
    c.abort_with_reason(&reason);
    let r = settle(p).await.expect_err("aborted");
    assert!(now() - t0 < 200.0, "rejected {} ms after abort", now() - t0);
    assert!(same(&r, &reason));
    assert_eq!(log.seen.borrow().len(), 1, "one poll before the abort");
    // Also with a signal aborted before the first poll.
    let c = controller();
    let p = wait_promise(
        &token,
        opts(
            api,
            &[("intervalMs", 5000.into()), ("signal", c.signal().into())],
        ),
    );
    sleep(50).await;
    c.abort();
    assert!(same(
        &settle(p).await.expect_err("aborted"),
        &c.signal().reason()
    ));
}

/// A poll already sent is read even if the signal fires meanwhile: when it carries the
/// key, the promise resolves with the key.
#[wasm_bindgen_test]
async fn key_delivered_despite_late_abort() {
    let api = api();
    clear_faults(api).await;
    // pollAuth
    let (token, confirm_url) = start_alice(api).await;
    decide(&confirm_url, "confirm").await;
    arm(api, r#"{"endpoint":"poll","kind":"delay","delay_ms":800}"#).await;
    let c = controller();
    let p = tvmaze_auth::poll_auth(
        token.as_str().into(),
        opts(api, &[("signal", c.signal().into())]),
    );
    sleep(200).await;
    c.abort();
    let confirmed = settle(p).await.expect("the key beats the abort");
    assert_eq!(get_str(&confirmed, "status"), "confirmed");
    assert!(!get_str(&confirmed, "apiKey").is_empty());

    // waitForConfirmation
    let (token, confirm_url) = start_alice(api).await;
    decide(&confirm_url, "confirm").await;
    arm(api, r#"{"endpoint":"poll","kind":"delay","delay_ms":800}"#).await;
    let c = controller();
    let p = wait_promise(
        &token,
        opts(
            api,
            &[("intervalMs", 50.into()), ("signal", c.signal().into())],
        ),
    );
    sleep(300).await; // the first poll went out at 50 ms and is being delayed
    c.abort();
    let key = settle(p).await.expect("the key beats the abort");
    assert_eq!(get_str(&key, "username"), "alice");
}

/// A poll in flight whose answer is not the key settles when the answer arrives, with
/// the abort reason.
#[wasm_bindgen_test]
async fn pending_poll_after_abort_rejects_when_answered() {
    let api = api();
    clear_faults(api).await;
    let (token, _) = start_alice(api).await;
    arm(api, r#"{"endpoint":"poll","kind":"delay","delay_ms":600}"#).await;
    let c = controller();
    let t0 = now();
    let p = tvmaze_auth::poll_auth(
        token.as_str().into(),
        opts(api, &[("signal", c.signal().into())]),
    );
    sleep(100).await;
    c.abort();
    let r = settle(p).await.expect_err("aborted");
    assert!(same(&r, &c.signal().reason()));
    assert!(
        now() - t0 >= 550.0,
        "waited for the answer: {} ms",
        now() - t0
    );
}
