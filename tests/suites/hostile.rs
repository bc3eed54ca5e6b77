//! Answers a hostile or broken server could send, beyond malformed bodies: bodies that
//! never end, redirects, confirm URLs that are not safe to open, absurd Retry-After
//! values, rate limits that say "retry now", and strings a JSON escape made invalid.
//! Each is a clear error, and nothing is lost or followed.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::harness::*;

/// The redirect target's hit counter (`GET /_standin/redirect-hits`).
async fn redirect_hits(api: &str) -> f64 {
    let response = Request::get(&format!("{}/_standin/redirect-hits", origin(api)))
        .send()
        .await
        .expect("redirect-hits");
    let body = response.text().await.expect("redirect-hits body");
    let json = js_sys::JSON::parse(&body).expect("redirect-hits JSON");
    get(&json, "hits").as_f64().expect("hits")
}

/// Arms a `body` fault: a 200 with exactly `body` on `endpoint`.
async fn arm_body(api: &str, endpoint: &str, body: &str) {
    let fault = obj(&[
        ("endpoint", endpoint.into()),
        ("kind", "body".into()),
        ("body", body.into()),
    ]);
    let text = js_sys::JSON::stringify(&fault).expect("stringify");
    arm(api, &String::from(text)).await;
}

/// A 200 whose chunked body never ends is BAD_RESPONSE as soon as the cap is reached,
/// long before the timeout, on every endpoint; the next call works.
#[wasm_bindgen_test]
async fn endless_body_is_cut_off() {
    let api = api();
    clear_faults(api).await;
    let (token, _) = start_alice(api).await;
    let slow = || opts(api, &[("timeoutMs", 20_000.into())]);
    for endpoint in ["start", "poll", "validate"] {
        arm(
            api,
            &format!(r#"{{"endpoint":"{endpoint}","kind":"endless"}}"#),
        )
        .await;
        sleep(220).await; // the stand-in's poll interval
        let t0 = now();
        let result = call_as_alice(endpoint, &token, slow()).await;
        expect_code(result, "BAD_RESPONSE", Some(200));
        let took = now() - t0;
        assert!(took < 5_000.0, "{endpoint}: cut off after {took} ms");
    }
    clear_faults(api).await;
    sleep(220).await;
    let pending = poll_with(&token, opts(api, &[])).await.expect("poll works");
    assert_eq!(get_str(&pending, "status"), "pending");
}

/// A redirect is never followed, on any endpoint: BAD_RESPONSE, and the target never
/// sees a request. Node reports the 302 itself; browsers report an opaque redirect,
/// which has no readable status.
#[wasm_bindgen_test]
async fn redirects_are_not_followed() {
    let api = api();
    clear_faults(api).await;
    let (token, _) = start_alice(api).await;
    let hits = redirect_hits(api).await;
    for endpoint in ["start", "poll", "validate"] {
        arm(
            api,
            &format!(r#"{{"endpoint":"{endpoint}","kind":"redirect"}}"#),
        )
        .await;
        sleep(220).await;
        let result = call_as_alice(endpoint, &token, opts(api, &[])).await;
        let err = result.expect_err("a redirect must not succeed");
        assert!(tvmaze_auth::is_tvmaze_auth_error(err.clone()), "{err:?}");
        assert_eq!(get_str(&err, "code"), "BAD_RESPONSE", "{endpoint}");
        let status = get(&err, "status").as_f64();
        assert!(
            status.is_none() || status == Some(302.0),
            "{endpoint}: status {status:?}"
        );
    }
    assert_eq!(redirect_hits(api).await, hits, "a redirect was followed");
    clear_faults(api).await;
}

/// startAuth never hands out a confirm URL that is not https (or http on loopback, for
/// a loopback API): `javascript:` and friends are BAD_RESPONSE.
#[wasm_bindgen_test]
async fn unsafe_confirm_urls_are_bad_response() {
    let api = api();
    clear_faults(api).await;
    for url in [
        "javascript:alert(document.domain)",
        "data:text/html,<script>alert(1)</script>",
        "http://www.tvmaze.com/confirm/t",
        " https://www.tvmaze.com/confirm/t",
        "//evil.example/confirm",
    ] {
        let body = obj(&[("token", "t".into()), ("confirm_url", url.into())]);
        let body = String::from(js_sys::JSON::stringify(&body).expect("stringify"));
        arm_body(api, "start", &body).await;
        let result = start_with("alice@example.com", opts(api, &[])).await;
        expect_code(result, "BAD_RESPONSE", Some(200));
    }
    // The stand-in's own http://127.0.0.1 confirm page is fine: the API is on loopback.
    let (_, confirm_url) = start_alice(api).await;
    assert!(
        confirm_url.starts_with("http://127.0.0.1:"),
        "{confirm_url}"
    );
}

/// A Retry-After of more than a day (a huge number, a date in year 9999) is reported
/// as a day, never as a number setTimeout would treat as "now".
#[wasm_bindgen_test]
async fn retry_after_is_capped_at_a_day() {
    let api = api();
    clear_faults(api).await;
    for value in [r#"4294967295"#, r#""Fri, 31 Dec 9999 23:59:59 GMT""#] {
        arm(
            api,
            &format!(
                r#"{{"endpoint":"start","kind":"status","status":429,"retry_after":{value}}}"#
            ),
        )
        .await;
        let err = expect_code(
            start_with("alice@example.com", opts(api, &[])).await,
            "RATE_LIMITED",
            Some(429),
        );
        assert_eq!(get(&err, "retryAfterMs").as_f64(), Some(86_400_000.0));
    }
}

/// Even `Retry-After: 0` with `intervalMs: 0` on loopback slows polling to one per
/// second after a 429: two 429s cost at least two seconds before the key arrives.
#[wasm_bindgen_test]
async fn rate_limit_always_slows_down() {
    let api = api();
    clear_faults(api).await;
    let (token, confirm_url) = start_alice(api).await;
    decide(&confirm_url, "confirm").await;
    arm(
        api,
        r#"{"endpoint":"poll","kind":"status","status":429,"retry_after":0,"times":2}"#,
    )
    .await;
    let t0 = now();
    let key = settle(wait_promise(
        &token,
        opts(
            api,
            &[("intervalMs", 0.into()), ("deadlineMs", 10_000.into())],
        ),
    ))
    .await
    .expect("the key after two 429s");
    let took = now() - t0;
    assert_eq!(get_str(&key, "username"), "alice");
    assert!(
        (1_950.0..6_000.0).contains(&took),
        "two 429s then the key took {took} ms"
    );
}

/// A token or key with a lone surrogate (JSON's `\ud800` escape) would be silently
/// changed on its way into Rust, which makes it useless: BAD_RESPONSE instead.
#[wasm_bindgen_test]
async fn lone_surrogates_are_bad_response() {
    let api = api();
    clear_faults(api).await;
    let (token, _) = start_alice(api).await;
    arm_body(
        api,
        "start",
        r#"{"token":"ab\ud800cd","confirm_url":"https://www.tvmaze.com/c"}"#,
    )
    .await;
    let result = start_with("alice@example.com", opts(api, &[])).await;
    expect_code(result, "BAD_RESPONSE", Some(200));
    arm_body(api, "poll", r#"{"apikey":"K\udc00EY","username":"alice"}"#).await;
    sleep(220).await;
    expect_code(
        poll_with(&token, opts(api, &[])).await,
        "BAD_RESPONSE",
        Some(200),
    );
    // A real U+FFFD (sent as such, or escaped) is a valid string and passes.
    arm_body(api, "poll", r#"{"apikey":"K\ufffdEY","username":"al�ce"}"#).await;
    sleep(220).await;
    let confirmed = poll_with(&token, opts(api, &[])).await.expect("valid key");
    assert_eq!(get_str(&confirmed, "apiKey"), "K\u{fffd}EY");
    assert_eq!(get_str(&confirmed, "username"), "al\u{fffd}ce");
    clear_faults(api).await;
}
