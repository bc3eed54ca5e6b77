//! Every error code each endpoint can answer with, from real answers of the stand-in and
//! from injected faults, with its HTTP status and, for a 429, its Retry-After; and what
//! an error must never carry.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::harness::*;

/// How a row gets its answer.
enum Cause {
    /// The stand-in's own answer to this argument (an email, a token, a key).
    Real(&'static str),
    /// A fault armed on the endpoint (the JSON after `"endpoint":...,`).
    Fault(&'static str),
    /// Polling a fresh token twice, sooner than the stand-in's 200 ms interval.
    PollTooSoon,
}

/// endpoint, cause, code, HTTP status, retryAfterMs.
type Row = (&'static str, Cause, &'static str, Option<u16>, Option<f64>);

const ROWS: [Row; 17] = [
    (
        "start",
        Cause::Real("carol@example.com"),
        "EMAIL_NOT_CONFIRMED",
        Some(401),
        None,
    ),
    (
        "start",
        Cause::Real("nobody@example.com"),
        "EMAIL_NOT_FOUND",
        Some(404),
        None,
    ),
    (
        "start",
        Cause::Fault(r#""kind":"status","status":503"#),
        "SERVER_ERROR",
        Some(503),
        None,
    ),
    (
        "start",
        Cause::Fault(r#""kind":"status","status":429"#),
        "RATE_LIMITED",
        Some(429),
        None,
    ),
    // Retry-After must also be readable cross-origin (the stand-in exposes it).
    (
        "start",
        Cause::Fault(r#""kind":"status","status":429,"retry_after":7"#),
        "RATE_LIMITED",
        Some(429),
        Some(7000.0),
    ),
    (
        "start",
        Cause::Fault(r#""kind":"status","status":418"#),
        "BAD_RESPONSE",
        Some(418),
        None,
    ),
    (
        "start",
        Cause::Fault(r#""kind":"status","status":201"#),
        "BAD_RESPONSE",
        Some(201),
        None,
    ),
    // Ten drops: browsers silently retry a request whose reused connection closes.
    (
        "start",
        Cause::Fault(r#""kind":"drop","times":10"#),
        "NETWORK",
        None,
        None,
    ),
    (
        "poll",
        Cause::Real("no-such-token"),
        "TOKEN_NOT_FOUND",
        Some(404),
        None,
    ),
    ("poll", Cause::PollTooSoon, "RATE_LIMITED", Some(429), None),
    (
        "poll",
        Cause::Fault(r#""kind":"status","status":500"#),
        "SERVER_ERROR",
        Some(500),
        None,
    ),
    (
        "poll",
        Cause::Fault(r#""kind":"status","status":401"#),
        "BAD_RESPONSE",
        Some(401),
        None,
    ),
    (
        "poll",
        Cause::Fault(r#""kind":"drop","times":10"#),
        "NETWORK",
        None,
        None,
    ),
    (
        "validate",
        Cause::Real("not-the-key"),
        "INVALID_CREDENTIALS",
        Some(401),
        None,
    ),
    (
        "validate",
        Cause::Fault(r#""kind":"status","status":502"#),
        "SERVER_ERROR",
        Some(502),
        None,
    ),
    (
        "validate",
        Cause::Fault(r#""kind":"status","status":404"#),
        "BAD_RESPONSE",
        Some(404),
        None,
    ),
    (
        "validate",
        Cause::Fault(r#""kind":"drop","times":10"#),
        "NETWORK",
        None,
        None,
    ),
];

/// Every row of `endpoint`, each on a clean stand-in.
async fn check_rows(endpoint: &str) {
    let api = api();
    for (_, cause, code, status, retry_after_ms) in ROWS.into_iter().filter(|r| r.0 == endpoint) {
        // Each row starts clean, and leaves nothing armed for the next.
        clear_faults(api).await;
        let (token, _) = start_alice(api).await;
        let argument = match cause {
            Cause::Real(argument) => argument,
            Cause::Fault(fault) => {
                arm(api, &format!(r#"{{"endpoint":"{endpoint}",{fault}}}"#)).await;
                match endpoint {
                    "start" => "alice@example.com",
                    "poll" => &token,
                    _ => "some-key",
                }
            }
            Cause::PollTooSoon => {
                poll_with(&token, opts(api, &[]))
                    .await
                    .expect("first poll: pending");
                &token
            }
        };
        let answer = match endpoint {
            "start" => start_with(argument, opts(api, &[])).await,
            "poll" => poll_with(argument, opts(api, &[])).await,
            _ => validate_with("alice", argument, opts(api, &[])).await,
        };
        let err = expect_code(answer, code, status);
        assert_eq!(
            get(&err, "retryAfterMs").as_f64(),
            retry_after_ms,
            "{endpoint} {code}: retryAfterMs"
        );
    }
    clear_faults(api).await;
    // And after all that, the module still works.
    start_alice(api).await;
}

#[wasm_bindgen_test]
async fn start_error_codes() {
    check_rows("start").await;
    // Nothing listens on port 9 of loopback: connection refused.
    expect_code(
        start_with("alice@example.com", opts("http://127.0.0.1:9/v1", &[])).await,
        "NETWORK",
        None,
    );
}

#[wasm_bindgen_test]
async fn poll_error_codes() {
    check_rows("poll").await;
}

#[wasm_bindgen_test]
async fn validate_error_codes() {
    check_rows("validate").await;
}

#[wasm_bindgen_test]
async fn retry_after_is_reported_in_ms() {
    let api = retry_after_api();
    let (token, _) = start_alice(api).await;
    poll_with(&token, opts(api, &[]))
        .await
        .expect("first poll: pending");
    let err = expect_code(
        poll_with(&token, opts(api, &[])).await,
        "RATE_LIMITED",
        Some(429),
    );
    // 1000 ms interval, whole seconds rounded up.
    assert_eq!(get(&err, "retryAfterMs").as_f64(), Some(1000.0));
}

/// The error message never carries what the caller passed in.
#[wasm_bindgen_test]
async fn errors_carry_no_secrets() {
    let api = api();
    clear_faults(api).await;
    let secret = "SECRET-KEY-123";
    let err = expect_code(
        validate_with("alice", secret, opts(api, &[])).await,
        "INVALID_CREDENTIALS",
        Some(401),
    );
    let text = format!(
        "{} {} {}",
        get_str(&err, "message"),
        get(&err, "stack").as_string().unwrap_or_default(),
        js_sys::JSON::stringify(&err)
            .map(String::from)
            .unwrap_or_default()
    );
    assert!(!text.contains(secret), "{text}");
    let err = expect_code(
        start_with("nobody-secret@example.com", opts(api, &[])).await,
        "EMAIL_NOT_FOUND",
        Some(404),
    );
    assert!(!get_str(&err, "message").contains("nobody-secret"));
}
