//! Whole sign-ins: start, the user's decision on the confirm page, polling until the
//! key or TOKEN_NOT_FOUND, validate; and the shape of every result.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::harness::*;

/// start -> user confirms on the confirm page -> waitForConfirmation -> validate.
#[wasm_bindgen_test]
async fn full_confirm_flow() {
    let api = api();
    let (token, confirm_url) = start_alice(api).await;
    assert!(
        confirm_url.contains(&token),
        "confirm_url {confirm_url} names the token"
    );
    let log = PollLog::new();
    let waiting = wait_promise(
        &token,
        opts(
            api,
            &[("intervalMs", 250.into()), ("onPoll", log.function())],
        ),
    );
    // Let at least one pending poll happen before the user confirms.
    sleep(400).await;
    decide(&confirm_url, "confirm").await;
    let key = settle(waiting).await.expect("waitForConfirmation resolves");
    assert_eq!(get_str(&key, "username"), "alice");
    let api_key = get_str(&key, "apiKey");
    assert!(!api_key.is_empty());

    let seen = log.seen.borrow().clone();
    assert!(
        !seen.is_empty(),
        "onPoll was called for the pending answers"
    );
    for (i, p) in seen.iter().enumerate() {
        assert_eq!(get(p, "attempt").as_f64(), Some(i as f64 + 1.0));
        assert_eq!(get(p, "nextPollInMs").as_f64(), Some(250.0));
        assert!(get(p, "elapsedMs").as_f64().expect("elapsedMs") >= 250.0);
    }

    let level = validate_with("alice", &api_key, opts(api, &[]))
        .await
        .expect("validate");
    assert_eq!(get(&level, "premium").as_f64(), Some(2.0));
    assert_eq!(get_str(&level, "level"), "silver");

    // TVmaze hands the key out once: the token is used up now.
    sleep(250).await;
    expect_code(
        poll_with(&token, opts(api, &[])).await,
        "TOKEN_NOT_FOUND",
        Some(404),
    );
}

/// pollAuth answers pending, then the key once, then TOKEN_NOT_FOUND.
#[wasm_bindgen_test]
async fn poll_auth_pending_then_confirmed() {
    let api = api();
    let (token, confirm_url) = start_alice(api).await;
    let pending = poll_with(&token, opts(api, &[])).await.expect("pending");
    assert_eq!(get_str(&pending, "status"), "pending");
    assert!(get(&pending, "apiKey").is_undefined());
    decide(&confirm_url, "confirm").await;
    sleep(250).await; // the stand-in's poll interval
    let confirmed = poll_with(&token, opts(api, &[])).await.expect("confirmed");
    assert_eq!(get_str(&confirmed, "status"), "confirmed");
    assert_eq!(get_str(&confirmed, "username"), "alice");
    assert!(!get_str(&confirmed, "apiKey").is_empty());
    sleep(250).await;
    expect_code(
        poll_with(&token, opts(api, &[])).await,
        "TOKEN_NOT_FOUND",
        Some(404),
    );
}

/// The user denies: the wait ends with TOKEN_NOT_FOUND.
#[wasm_bindgen_test]
async fn deny_rejects_with_token_not_found() {
    let api = api();
    let (token, confirm_url) = start_alice(api).await;
    decide(&confirm_url, "deny").await;
    let result = settle(wait_promise(
        &token,
        opts(api, &[("intervalMs", 50.into())]),
    ))
    .await;
    expect_code(result, "TOKEN_NOT_FOUND", Some(404));
}

/// The token expires (2 s TTL stand-in) while waiting.
#[wasm_bindgen_test]
async fn expiry_rejects_with_token_not_found() {
    let api = short_ttl_api();
    let (token, _) = start_alice(api).await;
    let t0 = now();
    let result = settle(wait_promise(
        &token,
        opts(api, &[("intervalMs", 300.into())]),
    ))
    .await;
    expect_code(result, "TOKEN_NOT_FOUND", Some(404));
    let took = now() - t0;
    assert!((1500.0..8000.0).contains(&took), "expired after {took} ms");
}

/// deadlineMs ends the wait with DEADLINE, on time.
#[wasm_bindgen_test]
async fn deadline_rejects_with_deadline() {
    let api = api();
    let (token, _) = start_alice(api).await;
    let t0 = now();
    let options = opts(
        api,
        &[("intervalMs", 250.into()), ("deadlineMs", 700.into())],
    );
    let err = expect_code(
        settle(wait_promise(&token, options)).await,
        "DEADLINE",
        None,
    );
    assert!(get(&err, "retryAfterMs").is_undefined());
    let took = now() - t0;
    assert!((650.0..2500.0).contains(&took), "deadline after {took} ms");
}

/// Every result is a plain object with exactly the documented keys, as a caller who
/// spreads, serializes or `structuredClone`s it expects.
#[wasm_bindgen_test]
async fn results_are_plain_objects() {
    let api = api();
    clear_faults(api).await;
    let plain = |v: &JsValue, keys: &[&str]| {
        let proto = JsValue::from(Object::get_prototype_of(v));
        let plain_proto = JsValue::from(Object::get_prototype_of(&Object::new()));
        assert!(proto == plain_proto, "not a plain object: {v:?}");
        let got: Vec<String> = Object::keys(v.unchecked_ref::<Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        assert_eq!(got, keys, "{v:?}");
    };
    let started = start_with(
        "alice@example.com",
        opts(api, &[("emailConfirmation", false.into())]),
    )
    .await
    .expect("start");
    plain(&started, &["token", "confirmUrl"]);
    let token = get_str(&started, "token");
    sleep(220).await;
    let pending = poll_with(&token, opts(api, &[])).await.expect("pending");
    plain(&pending, &["status"]);
    decide(&get_str(&started, "confirmUrl"), "confirm").await;
    sleep(220).await;
    let confirmed = poll_with(&token, opts(api, &[])).await.expect("key");
    plain(&confirmed, &["status", "apiKey", "username"]);
    let key = get_str(&confirmed, "apiKey");
    let level = validate_with("alice", &key, opts(api, &[]))
        .await
        .expect("validate");
    plain(&level, &["premium", "level"]);
}
