//! Test bodies shared by the browser, worker and Node suites, run against real
//! `tvmaze-standin` processes (no mocked fetch). Their API URLs arrive at compile time:
//! scripts/test.sh starts them and exports the variables before `wasm-pack test`.
//!
//! Tests run one at a time (wasm-bindgen-test's default), which matters because armed
//! faults are per stand-in: every test that arms one clears the leftovers first.

#![allow(dead_code)] // Each suite uses a subset.

mod hostile;
mod matrix;
#[allow(unused_imports)] // the worker suite runs none of them
pub use hostile::*;
#[allow(unused_imports)] // the worker suite does not run it
pub use matrix::*;

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Request;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

// ---------------------------------------------------------------------------------
// Stand-ins

fn standin(var: &str, value: Option<&'static str>) -> &'static str {
    match value {
        Some(v) => v,
        None => panic!(
            "{var} was not set when this test suite was compiled. Start the stand-ins and \
             export their api= URLs first (scripts/test.sh does both; see \
             scripts/lib/standins.sh), then run wasm-pack test again."
        ),
    }
}

/// `--poll-interval-ms 200`, no Retry-After.
pub fn api() -> &'static str {
    standin("TVMAZE_STANDIN_API", option_env!("TVMAZE_STANDIN_API"))
}

/// `--token-ttl-s 2`.
pub fn short_ttl_api() -> &'static str {
    standin(
        "TVMAZE_STANDIN_SHORT_TTL_API",
        option_env!("TVMAZE_STANDIN_SHORT_TTL_API"),
    )
}

/// `--poll-interval-ms 1000 --retry-after`.
pub fn retry_after_api() -> &'static str {
    standin(
        "TVMAZE_STANDIN_RETRY_AFTER_API",
        option_env!("TVMAZE_STANDIN_RETRY_AFTER_API"),
    )
}

/// `--no-cors`.
pub fn no_cors_api() -> &'static str {
    standin(
        "TVMAZE_STANDIN_NO_CORS_API",
        option_env!("TVMAZE_STANDIN_NO_CORS_API"),
    )
}

fn origin(api: &str) -> &str {
    api.trim_end_matches('/').trim_end_matches("/v1")
}

/// Arms a fault (`POST /_standin/faults`), e.g. `arm(api, r#"{"endpoint":"start","kind":"drop"}"#)`.
pub async fn arm(api: &str, fault: &str) {
    let response = Request::post(&format!("{}/_standin/faults", origin(api)))
        .header("Content-Type", "application/json")
        .body(fault)
        .expect("fault request")
        .send()
        .await
        .expect("arming a fault");
    assert_eq!(response.status(), 204, "stand-in refused fault {fault}");
}

/// Arms `drop` for `endpoint` ten times: browsers silently retry a request whose
/// reused connection closes without an answer (a GET several times), so one drop would
/// be invisible there.
/// Callers clear the leftovers afterwards.
pub async fn arm_drop(api: &str, endpoint: &str) {
    arm(
        api,
        &format!(r#"{{"endpoint":"{endpoint}","kind":"drop","times":10}}"#),
    )
    .await;
}

/// Disarms every fault of a stand-in.
pub async fn clear_faults(api: &str) {
    let response = Request::delete(&format!("{}/_standin/faults", origin(api)))
        .send()
        .await
        .expect("clearing faults");
    assert!(
        response.ok(),
        "DELETE /_standin/faults: {}",
        response.status()
    );
}

/// What the user does on the confirm page: posts its form with `decision`. A test page
/// is another origin, and the confirm page refuses decisions from other sites and
/// carries no CORS headers, so the same form goes to the stand-in's test helper.
pub async fn decide(confirm_url: &str, decision: &str) {
    let helper_url = confirm_url.replacen("/confirm/", "/_standin/decide/", 1);
    let response = Request::post(&helper_url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("decision={decision}"))
        .expect("confirm request")
        .send()
        .await
        .expect("posting the confirm form");
    assert!(response.ok(), "confirm page answered {}", response.status());
}

pub async fn sleep(ms: u32) {
    TimeoutFuture::new(ms).await;
}

pub fn now() -> f64 {
    js_sys::Date::now()
}

// ---------------------------------------------------------------------------------
// Calling the library through its exports

pub fn obj(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &JsValue::from_str(k), v).expect("set");
    }
    o.into()
}

/// Options with `baseUrl: api` plus `more` (which may override `baseUrl`).
pub fn opts(api: &str, more: &[(&str, JsValue)]) -> JsValue {
    let o = obj(&[("baseUrl", api.into())]);
    for (k, v) in more {
        Reflect::set(&o, &JsValue::from_str(k), v).expect("set");
    }
    o
}

pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("get")
}

pub fn get_str(v: &JsValue, key: &str) -> String {
    get(v, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string in {v:?}"))
}

pub async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

pub async fn start_with(email: &str, options: JsValue) -> Result<JsValue, JsValue> {
    settle(tvmaze_auth::start_auth(email.into(), options)).await
}

pub async fn poll_with(token: &str, options: JsValue) -> Result<JsValue, JsValue> {
    settle(tvmaze_auth::poll_auth(token.into(), options)).await
}

pub async fn validate_with(user: &str, key: &str, options: JsValue) -> Result<JsValue, JsValue> {
    settle(tvmaze_auth::validate(user.into(), key.into(), options)).await
}

pub fn wait_promise(token: &str, options: JsValue) -> Promise {
    tvmaze_auth::wait_for_confirmation(token.into(), options)
}

/// A started request for alice, as (token, confirmUrl).
pub async fn start_alice(api: &str) -> (String, String) {
    let started = start_with(
        "alice@example.com",
        opts(api, &[("emailConfirmation", false.into())]),
    )
    .await
    .expect("startAuth for alice");
    (get_str(&started, "token"), get_str(&started, "confirmUrl"))
}

/// Asserts `result` is a TvmazeAuthError with `code` and `status`, and returns it.
#[track_caller]
pub fn expect_code(result: Result<JsValue, JsValue>, code: &str, status: Option<u16>) -> JsValue {
    let err = match result {
        Ok(v) => panic!("expected {code}, got a result: {v:?}"),
        Err(e) => e,
    };
    assert!(
        tvmaze_auth::is_tvmaze_auth_error(err.clone()),
        "expected a TvmazeAuthError {code}, got {err:?}"
    );
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "not an Error: {err:?}"
    );
    assert_eq!(get_str(&err, "name"), "TvmazeAuthError");
    assert_eq!(get_str(&err, "code"), code, "{err:?}");
    let got_status = get(&err, "status").as_f64();
    assert_eq!(got_status, status.map(f64::from), "status of {code}");
    assert!(!get_str(&err, "message").is_empty());
    err
}

/// Arms one 503 on each endpoint: a call that wrongly sends a request consumes one,
/// which [`assert_tripwires_intact`] then notices.
pub async fn arm_tripwires(api: &str) {
    clear_faults(api).await;
    for endpoint in ["start", "poll", "validate"] {
        let fault = format!(r#"{{"endpoint":"{endpoint}","kind":"status","status":503}}"#);
        arm(api, &fault).await;
    }
}

/// Asserts that nothing was sent since [`arm_tripwires`]: each endpoint's 503 is still
/// armed for the next real request.
pub async fn assert_tripwires_intact(api: &str) {
    let none = || opts(api, &[]);
    let start = start_with("alice@example.com", none()).await;
    expect_code(start, "SERVER_ERROR", Some(503));
    expect_code(poll_with("t", none()).await, "SERVER_ERROR", Some(503));
    let validate = validate_with("alice", "k", none()).await;
    expect_code(validate, "SERVER_ERROR", Some(503));
}

pub fn controller() -> AbortController {
    AbortController::new().expect("AbortController")
}

/// Records every `onPoll` progress object.
pub struct PollLog {
    pub seen: Rc<RefCell<Vec<JsValue>>>,
    callback: Closure<dyn FnMut(JsValue)>,
}

impl PollLog {
    pub fn new() -> PollLog {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let sink = seen.clone();
        let callback = Closure::new(move |p: JsValue| sink.borrow_mut().push(p));
        PollLog { seen, callback }
    }
    pub fn function(&self) -> JsValue {
        self.callback.as_ref().clone()
    }
    pub fn next_poll_in(&self) -> Vec<f64> {
        self.seen
            .borrow()
            .iter()
            .map(|p| get(p, "nextPollInMs").as_f64().expect("nextPollInMs"))
            .collect()
    }
}

// ---------------------------------------------------------------------------------
// The flows

/// start -> user confirms on the confirm page -> waitForConfirmation -> validate.
pub async fn full_confirm_flow() {
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
pub async fn poll_auth_pending_then_confirmed() {
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
pub async fn deny_rejects_with_token_not_found() {
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
pub async fn expiry_rejects_with_token_not_found() {
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
pub async fn deadline_rejects_with_deadline() {
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

// --- every error code of start / poll / validate ----------------------------------

pub async fn start_error_codes() {
    let api = api();
    clear_faults(api).await;
    let none = || opts(api, &[]);
    expect_code(
        start_with("carol@example.com", none()).await,
        "EMAIL_NOT_CONFIRMED",
        Some(401),
    );
    expect_code(
        start_with("nobody@example.com", none()).await,
        "EMAIL_NOT_FOUND",
        Some(404),
    );
    arm(api, r#"{"endpoint":"start","kind":"status","status":503}"#).await;
    expect_code(
        start_with("alice@example.com", none()).await,
        "SERVER_ERROR",
        Some(503),
    );
    arm(api, r#"{"endpoint":"start","kind":"status","status":429}"#).await;
    let err = expect_code(
        start_with("alice@example.com", none()).await,
        "RATE_LIMITED",
        Some(429),
    );
    assert!(
        get(&err, "retryAfterMs").is_undefined(),
        "no Retry-After was sent"
    );
    // Retry-After must also be readable cross-origin (the stand-in exposes it).
    arm(
        api,
        r#"{"endpoint":"start","kind":"status","status":429,"retry_after":7}"#,
    )
    .await;
    let err = expect_code(
        start_with("alice@example.com", none()).await,
        "RATE_LIMITED",
        Some(429),
    );
    assert_eq!(get(&err, "retryAfterMs").as_f64(), Some(7000.0));
    arm(api, r#"{"endpoint":"start","kind":"status","status":418}"#).await;
    expect_code(
        start_with("alice@example.com", none()).await,
        "BAD_RESPONSE",
        Some(418),
    );
    arm(api, r#"{"endpoint":"start","kind":"status","status":201}"#).await;
    expect_code(
        start_with("alice@example.com", none()).await,
        "BAD_RESPONSE",
        Some(201),
    );
    arm_drop(api, "start").await;
    expect_code(
        start_with("alice@example.com", none()).await,
        "NETWORK",
        None,
    );
    clear_faults(api).await;
    // Nothing listens on port 9 of loopback: connection refused.
    expect_code(
        start_with("alice@example.com", opts("http://127.0.0.1:9/v1", &[])).await,
        "NETWORK",
        None,
    );
    // And after all that, the module still works.
    start_alice(api).await;
}

pub async fn poll_error_codes() {
    let api = api();
    clear_faults(api).await;
    expect_code(
        poll_with("no-such-token", opts(api, &[])).await,
        "TOKEN_NOT_FOUND",
        Some(404),
    );
    let (token, _) = start_alice(api).await;
    poll_with(&token, opts(api, &[]))
        .await
        .expect("first poll: pending");
    // Sooner than the stand-in's 200 ms poll interval.
    expect_code(
        poll_with(&token, opts(api, &[])).await,
        "RATE_LIMITED",
        Some(429),
    );
    arm(api, r#"{"endpoint":"poll","kind":"status","status":500}"#).await;
    expect_code(
        poll_with(&token, opts(api, &[])).await,
        "SERVER_ERROR",
        Some(500),
    );
    arm(api, r#"{"endpoint":"poll","kind":"status","status":401}"#).await;
    expect_code(
        poll_with(&token, opts(api, &[])).await,
        "BAD_RESPONSE",
        Some(401),
    );
    arm_drop(api, "poll").await;
    expect_code(poll_with(&token, opts(api, &[])).await, "NETWORK", None);
    clear_faults(api).await;
}

pub async fn retry_after_is_reported_in_ms() {
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

pub async fn validate_error_codes() {
    let api = api();
    clear_faults(api).await;
    expect_code(
        validate_with("alice", "not-the-key", opts(api, &[])).await,
        "INVALID_CREDENTIALS",
        Some(401),
    );
    arm(
        api,
        r#"{"endpoint":"validate","kind":"status","status":502}"#,
    )
    .await;
    expect_code(
        validate_with("alice", "k", opts(api, &[])).await,
        "SERVER_ERROR",
        Some(502),
    );
    arm(
        api,
        r#"{"endpoint":"validate","kind":"status","status":404}"#,
    )
    .await;
    expect_code(
        validate_with("alice", "k", opts(api, &[])).await,
        "BAD_RESPONSE",
        Some(404),
    );
    arm_drop(api, "validate").await;
    expect_code(
        validate_with("alice", "k", opts(api, &[])).await,
        "NETWORK",
        None,
    );
    clear_faults(api).await;
}

/// The error message never carries what the caller passed in.
pub async fn errors_carry_no_secrets() {
    let api = api();
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

// --- arguments ----------------------------------------------------------------------

/// Every bad argument is INVALID_ARGUMENT and sends nothing: a fault armed before is
/// still there for the first real request afterwards.
pub async fn invalid_arguments_send_nothing() {
    let api = api();
    arm_tripwires(api).await;
    #[track_caller]
    fn bad(r: Result<JsValue, JsValue>) {
        expect_code(r, "INVALID_ARGUMENT", None);
    }
    let o = |more: &[(&str, JsValue)]| opts(api, more);

    for email in ["", "   ", "alice", "@example.com", "alice@", "a@b@c"] {
        bad(start_with(email, o(&[])).await);
    }
    bad(settle(tvmaze_auth::start_auth(42.into(), o(&[]))).await);
    bad(settle(tvmaze_auth::start_auth(JsValue::UNDEFINED, o(&[]))).await);
    for base in [
        "http://api.tvmaze.com/v1",
        "ftp://127.0.0.1/v1",
        "not a url",
        "https://user@api.tvmaze.com/v1",
        "https://api.tvmaze.com/v1?x=1",
        "",
        // Passes the pure checks, but fetch's URL parser refuses it: still
        // INVALID_ARGUMENT before anything is sent, not NETWORK.
        "http://localhost:99999/v1",
        "http://127.0.0.1:65536",
        "https://a<b>/v1",
        "https://exa%zzmple.com/v1",
        "https://[zz]/v1",
        "https://999.1.1.1/v1",
    ] {
        bad(start_with("alice@example.com", obj(&[("baseUrl", base.into())])).await);
    }
    let wrong_types: Vec<(&str, JsValue)> = vec![
        ("baseUrl", 5.into()),
        ("timeoutMs", "1000".into()),
        ("timeoutMs", f64::NAN.into()),
        ("timeoutMs", (-1).into()),
        ("timeoutMs", 0.into()),
        ("timeoutMs", f64::INFINITY.into()),
        ("timeoutMs", 3e10.into()),
        ("emailConfirmation", "no".into()),
        ("signal", "abort".into()),
        ("signal", Object::new().into()),
        ("intervalMs", (-5).into()),
        ("deadlineMs", f64::NAN.into()),
        ("maxTransientErrors", 1.5.into()),
        ("onPoll", "not a function".into()),
    ];
    for (key, value) in wrong_types {
        let result = start_with("alice@example.com", o(&[(key, value.clone())])).await;
        let code = result.as_ref().err().map(|e| get(e, "code"));
        assert_eq!(code, Some("INVALID_ARGUMENT".into()), "{key}: {value:?}");
        bad(result);
    }
    bad(start_with("alice@example.com", "options".into()).await);
    bad(start_with("alice@example.com", 7.into()).await);

    for token in ["", " \t "] {
        bad(poll_with(token, o(&[])).await);
        bad(settle(wait_promise(token, o(&[]))).await);
    }
    bad(validate_with("", "key", o(&[])).await);
    bad(validate_with("alice", " ", o(&[])).await);
    let null_key = tvmaze_auth::validate("alice".into(), JsValue::NULL, o(&[]));
    bad(settle(null_key).await);

    // The faults armed above were not consumed by any of those calls.
    assert_tripwires_intact(api).await;
}

/// Unknown option keys are ignored; null/undefined options mean defaults; a trailing
/// slash on baseUrl is fine.
pub async fn lenient_options() {
    let api = api();
    let with_extras = opts(
        api,
        &[
            ("somethingElse", 1.into()),
            ("emailConfirmation", false.into()),
        ],
    );
    start_with("alice@example.com", with_extras)
        .await
        .expect("unknown keys ignored");
    let slash = format!("{api}/");
    start_with(
        "alice@example.com",
        obj(&[("baseUrl", slash.as_str().into())]),
    )
    .await
    .expect("trailing slash");
    let null_signal = opts(
        api,
        &[("signal", JsValue::NULL), ("timeoutMs", JsValue::UNDEFINED)],
    );
    start_with("alice@example.com", null_signal)
        .await
        .expect("null/undefined options");
}

pub async fn is_tvmaze_auth_error_is_precise() {
    assert!(!tvmaze_auth::is_tvmaze_auth_error(JsValue::NULL));
    assert!(!tvmaze_auth::is_tvmaze_auth_error("TvmazeAuthError".into()));
    assert!(!tvmaze_auth::is_tvmaze_auth_error(
        js_sys::Error::new("x").into()
    ));
    let impostor = obj(&[
        ("name", "TvmazeAuthError".into()),
        ("code", "NETWORK".into()),
    ]);
    assert!(!tvmaze_auth::is_tvmaze_auth_error(impostor), "not an Error");
    let err = start_with("", opts(api(), &[])).await.expect_err("invalid");
    assert!(tvmaze_auth::is_tvmaze_auth_error(err));
}

// --- bad answers: tests/common/matrix.rs and hostile.rs -----------------------------

// --- timeouts -----------------------------------------------------------------------------

pub async fn timeout_rejects_with_timeout() {
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
pub async fn rate_limited_wait_backs_off() {
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
pub async fn rate_limited_wait_honours_retry_after() {
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
pub async fn transient_errors_are_retried_within_budget() {
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

    // TIMEOUT counts as transient too (on a pending token, so no key is at stake).
    let (token, _) = start_alice(api).await;
    arm(
        api,
        r#"{"endpoint":"poll","kind":"delay","delay_ms":1500,"times":2}"#,
    )
    .await;
    let options = opts(
        api,
        &[
            ("intervalMs", 220.into()),
            ("timeoutMs", 150.into()),
            ("maxTransientErrors", 1.into()),
        ],
    );
    expect_code(settle(wait_promise(&token, options)).await, "TIMEOUT", None);
    clear_faults(api).await;
}

/// onPoll throwing does not break the wait.
pub async fn throwing_on_poll_is_ignored() {
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

// --- abort ------------------------------------------------------------------------------

fn same(a: &JsValue, b: &JsValue) -> bool {
    Object::is(a, b)
}

/// An already aborted signal rejects with its reason and sends nothing.
pub async fn abort_before_sends_nothing() {
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
pub async fn abort_during_request_rejects_at_once() {
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
pub async fn abort_between_polls_rejects_at_once() {
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
pub async fn key_delivered_despite_late_abort() {
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
pub async fn pending_poll_after_abort_rejects_when_answered() {
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

/// Browsers refuse a cross-origin answer without CORS headers: NETWORK.
pub async fn cors_refusal_is_network() {
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
pub async fn same_origin_base_resolves_against_location() {
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

/// Node has no `location`: a same-origin `baseUrl` is INVALID_ARGUMENT, nothing sent.
pub async fn same_origin_base_is_refused_without_location() {
    for base in ["/v1", "/tvmaze/v1", "//127.0.0.1/v1"] {
        expect_code(
            start_with("alice@example.com", opts(base, &[])).await,
            "INVALID_ARGUMENT",
            None,
        );
    }
}
