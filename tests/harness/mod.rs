//! What every wasm suite shares: the stand-ins (found through variables set at compile
//! time: scripts/test.sh starts them and exports their URLs before `wasm-pack test`),
//! calls through the library's exports, and assertions. No test bodies live here: they
//! are in suites/, each with its own `#[wasm_bindgen_test]`, so a test cannot exist
//! without running (a body without the attribute is dead code, which clippy refuses).
//!
//! Tests run one at a time (wasm-bindgen-test's default), and armed faults are per
//! stand-in: every test that arms one clears what is left first.

// Each test binary uses a subset of these helpers.
#![allow(dead_code)]

// Re-exported for the suites, which `use crate::harness::*`.
pub use std::cell::RefCell;
pub use std::rc::Rc;

pub use gloo_net::http::Request;
pub use gloo_timers::future::TimeoutFuture;
pub use js_sys::{Function, Object, Promise, Reflect};
pub use wasm_bindgen::closure::Closure;
pub use wasm_bindgen::{JsCast, JsValue};
pub use wasm_bindgen_futures::JsFuture;
pub use web_sys::AbortController;

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

/// `http://HOST:PORT` of a stand-in, from its API base.
pub fn origin(api: &str) -> &str {
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

/// Settles what an export returned: its promise, as a `Result` that is always `Ok`
/// (src/client.rs says why it is not a bare `Promise`).
pub async fn settle(p: Result<Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(p.expect("the exports always return their promise")).await
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

pub fn wait_promise(token: &str, options: JsValue) -> Result<Promise, JsValue> {
    tvmaze_auth::wait_for_confirmation(token.into(), options)
}

/// One call of `endpoint` ("start", "poll" or "validate") as alice would make it: her
/// email, `token`, or a key that is not hers.
pub async fn call_as_alice(
    endpoint: &str,
    token: &str,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    match endpoint {
        "start" => start_with("alice@example.com", options).await,
        "poll" => poll_with(token, options).await,
        _ => validate_with("alice", "not-the-key", options).await,
    }
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
