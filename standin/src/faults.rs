//! Fault injection: `POST /_standin/faults` arms the next N answers of one endpoint to
//! misbehave in one way, so clients can be tested against a server that fails.
//! Not a TVmaze path; it lives under `/_standin/` so it can never collide with one.

use std::collections::{HashMap, VecDeque};
use std::future::Future as _;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::State;
use axum::http::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hyper::body::{Frame, SizeHint};
use serde::Deserialize;

use crate::error_body::tvmaze_error;
use crate::server::DropConnection;
use crate::state::AppState;

/// The largest `oversized` body; bigger ones would only hurt the machine running tests.
const MAX_OVERSIZED: usize = 64 * 1024 * 1024;
/// The longest `delay`, `late_answer` and `slow_body` interval: ten minutes is longer
/// than any client timeout worth testing.
const MAX_DELAY_MS: u64 = 600_000;
/// The largest real answer `slow_body` will trickle (real answers are under 200 bytes).
const MAX_REAL_ANSWER: usize = 64 * 1024;
/// One chunk of an `endless` body.
const ENDLESS_CHUNK: usize = 16 * 1024;
/// An `endless` body ends after this many chunks (1 GiB), so that even a client that
/// reads forever lets the connection end; any client with a sane cap stops long before.
const ENDLESS_CHUNKS: usize = 64 * 1024;
/// Where a `redirect` points when no `location` is given: a stand-in path that counts
/// the requests it gets (`GET /_standin/redirect-hits`), so tests can check a client
/// never followed.
pub const REDIRECT_TARGET: &str = "/_standin/redirect-target";

/// The endpoints faults can be armed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `POST /v1/auth/start`
    Start,
    /// `POST /v1/auth/poll`
    Poll,
    /// `GET /v1/auth/validate`
    Validate,
}

/// How an answer misbehaves.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer this status with a TVmaze-like error body (and Retry-After if given).
    Status {
        /// The status code, 200..=599.
        status: u16,
        /// A Retry-After header (useful with 429 and 503): seconds as a number, or any
        /// text (an HTTP-date, garbage) as a string.
        #[serde(default)]
        retry_after: Option<RetryAfter>,
    },
    /// Wait this long, then answer normally.
    Delay {
        /// Milliseconds to wait.
        delay_ms: u64,
    },
    /// Compute the real answer when the request arrives (a confirmed poll hands its
    /// key out then, as TVmaze would), but send its status line and headers only this
    /// long after: a key already spent on the server but not yet with the client.
    LateAnswer {
        /// Milliseconds between computing the answer and sending it.
        delay_ms: u64,
    },
    /// Compute the real answer when the request arrives, send its status line and
    /// headers (with its Content-Length) at once, then its body one byte per interval.
    SlowBody {
        /// Milliseconds before each byte of the body.
        byte_interval_ms: u64,
    },
    /// Close the connection without any answer.
    Drop,
    /// 200 with `Content-Type: application/json` and a body that is not JSON.
    NotJson,
    /// 200 with JSON whose fields have the wrong names and types for every endpoint.
    WrongShape,
    /// 200 with `Content-Type: application/json` and an empty body.
    Empty,
    /// 200 with a JSON body of exactly this many bytes (and its Content-Length).
    Oversized {
        /// Body size in bytes.
        bytes: usize,
    },
    /// 200 with a chunked JSON-looking body that does not end (until 1 GiB), and no
    /// Content-Length: only a client that caps what it reads gets past it.
    Endless,
    /// 302 to `location` (default [`REDIRECT_TARGET`]); TVmaze's auth endpoints never
    /// redirect.
    Redirect {
        /// The Location header.
        #[serde(default)]
        location: Option<String>,
    },
    /// 200 with `Content-Type: application/json` and exactly this body, e.g. a start
    /// answer whose confirm_url is `javascript:…`, or a key with a `\ud800` escape.
    Body {
        /// The body text.
        body: String,
    },
}

/// A Retry-After value to send.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RetryAfter {
    /// Delay-seconds.
    Seconds(u64),
    /// The header's text as given.
    Text(String),
}

impl RetryAfter {
    fn header(&self) -> Option<HeaderValue> {
        match self {
            RetryAfter::Seconds(seconds) => Some(HeaderValue::from(*seconds)),
            RetryAfter::Text(text) => HeaderValue::from_str(text).ok(),
        }
    }
}

/// A `POST /_standin/faults` body.
#[derive(Debug, Deserialize)]
struct ArmRequest {
    endpoint: Endpoint,
    #[serde(default = "one")]
    times: u32,
    #[serde(flatten)]
    fault: Fault,
}

fn one() -> u32 {
    1
}

/// The armed faults: per endpoint a queue of (fault, answers left).
#[derive(Debug, Default)]
pub struct Faults {
    armed: Mutex<HashMap<Endpoint, VecDeque<(Fault, u32)>>>,
    /// Requests that reached [`REDIRECT_TARGET`].
    redirect_hits: AtomicU64,
}

impl Faults {
    /// Arms `fault` for the next `times` answers of `endpoint`, after any armed before.
    pub fn arm(&self, endpoint: Endpoint, fault: Fault, times: u32) {
        let mut armed = self.armed.lock().unwrap_or_else(PoisonError::into_inner);
        armed.entry(endpoint).or_default().push_back((fault, times));
    }

    /// The fault for this answer of `endpoint`, if one is armed; uses it up.
    pub fn take(&self, endpoint: Endpoint) -> Option<Fault> {
        let mut armed = self.armed.lock().unwrap_or_else(PoisonError::into_inner);
        let queue = armed.get_mut(&endpoint)?;
        let (fault, left) = queue.front_mut()?;
        let fault = fault.clone();
        *left = left.saturating_sub(1);
        if *left == 0 {
            queue.pop_front();
        }
        Some(fault)
    }

    /// Disarms everything.
    pub fn clear(&self) {
        self.armed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// The answer to a request of `endpoint`: `real` (run at most once, when the request
/// has arrived) unless the next armed fault of `endpoint` replaces, delays or slows it.
pub async fn answer(
    state: &AppState,
    endpoint: Endpoint,
    real: impl FnOnce() -> Response,
) -> Response {
    let Some(fault) = state.faults.take(endpoint) else {
        return real();
    };
    tracing::debug!(?endpoint, ?fault, "injecting fault");
    match fault {
        Fault::Delay { delay_ms } => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            real()
        }
        Fault::LateAnswer { delay_ms } => {
            let response = real();
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            response
        }
        Fault::SlowBody { byte_interval_ms } => {
            slow_body(real(), Duration::from_millis(byte_interval_ms)).await
        }
        Fault::Status {
            status,
            retry_after,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let mut response = tvmaze_error(status, "Injected fault.");
            if let Some(value) = retry_after.as_ref().and_then(RetryAfter::header) {
                response.headers_mut().insert(RETRY_AFTER, value);
            }
            response
        }
        Fault::Drop => {
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(DropConnection);
            response
        }
        Fault::NotJson => json_ok("<!DOCTYPE html><html><body>Not JSON</body></html>".into()),
        Fault::WrongShape => {
            json_ok(r#"{"token":42,"confirm_url":[],"apikey":null,"premium":"gold"}"#.into())
        }
        Fault::Empty => json_ok(Bytes::new()),
        Fault::Oversized { bytes } => json_ok(oversized_body(bytes).into()),
        Fault::Endless => endless(),
        Fault::Redirect { location } => {
            let location = location.as_deref().unwrap_or(REDIRECT_TARGET);
            let location = HeaderValue::from_str(location)
                .unwrap_or(HeaderValue::from_static(REDIRECT_TARGET));
            (StatusCode::FOUND, [(LOCATION, location)]).into_response()
        }
        Fault::Body { body } => json_ok(body.into()),
    }
}

/// `response` with the same status and headers, and its body sent one byte per
/// `interval` with its exact length declared, so the client sees a Content-Length.
async fn slow_body(response: Response, interval: Duration) -> Response {
    let (parts, body) = response.into_parts();
    // Real answers are small and already in memory; an unreadable one stays empty.
    let bytes = axum::body::to_bytes(body, MAX_REAL_ANSWER)
        .await
        .unwrap_or_default();
    Response::from_parts(
        parts,
        Body::new(Trickle {
            rest: bytes,
            interval,
            wait: None,
        }),
    )
}

/// A body that yields one byte after each `interval`.
struct Trickle {
    rest: Bytes,
    interval: Duration,
    wait: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl HttpBody for Trickle {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if this.rest.is_empty() {
            return Poll::Ready(None);
        }
        let interval = this.interval;
        let wait = this
            .wait
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(interval)));
        if wait.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        this.wait = None;
        Poll::Ready(Some(Ok(Frame::data(this.rest.split_to(1)))))
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(u64::try_from(self.rest.len()).unwrap_or(u64::MAX))
    }
}

/// `{"padding":"xxxx…` in chunks, pulled only as fast as the client reads.
fn endless() -> Response {
    let head = Bytes::from_static(br#"{"padding":""#);
    let chunk = Bytes::from(vec![b'x'; ENDLESS_CHUNK]);
    let chunks = std::iter::once(head).chain(std::iter::repeat_n(chunk, ENDLESS_CHUNKS));
    let stream = futures_util::stream::iter(chunks.map(Ok::<_, std::convert::Infallible>));
    (
        StatusCode::OK,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        Body::from_stream(stream),
    )
        .into_response()
}

/// Any method on [`REDIRECT_TARGET`]: counts the request and answers 200 with a body
/// that every endpoint would accept, so a client that followed a redirect would look
/// successful unless the test checks the count.
pub async fn redirect_target(State(state): State<AppState>) -> Response {
    state.faults.redirect_hits.fetch_add(1, Ordering::Relaxed);
    json_ok(
        r#"{"token":"redirected","confirm_url":"https://www.tvmaze.com/","apikey":"redirected","username":"redirected","premium":3}"#
            .into(),
    )
}

/// `GET /_standin/redirect-hits`: `{"hits": n}`, requests that reached the target.
pub async fn redirect_hits(State(state): State<AppState>) -> Json<serde_json::Value> {
    let hits = state.faults.redirect_hits.load(Ordering::Relaxed);
    Json(serde_json::json!({ "hits": hits }))
}

/// `{"padding":"xxxx…"}` of exactly `bytes` bytes (or the shortest such object).
fn oversized_body(bytes: usize) -> Vec<u8> {
    const HEAD: &[u8] = br#"{"padding":""#;
    const TAIL: &[u8] = br#""}"#;
    let fill = bytes.saturating_sub(HEAD.len() + TAIL.len());
    let mut body = Vec::with_capacity(HEAD.len() + fill + TAIL.len());
    body.extend_from_slice(HEAD);
    body.resize(HEAD.len() + fill, b'x');
    body.extend_from_slice(TAIL);
    body
}

fn json_ok(body: Bytes) -> Response {
    (
        StatusCode::OK,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        Body::from(body),
    )
        .into_response()
}

/// `POST /_standin/faults`: 204 once armed, 400 for a body that names no valid fault.
pub async fn arm(State(state): State<AppState>, body: Bytes) -> Response {
    let request: ArmRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return tvmaze_error(StatusCode::BAD_REQUEST, &format!("Bad fault: {e}")),
    };
    if let Err(message) = check(&request) {
        return tvmaze_error(StatusCode::BAD_REQUEST, message);
    }
    tracing::debug!(endpoint = ?request.endpoint, fault = ?request.fault, times = request.times, "fault armed");
    state
        .faults
        .arm(request.endpoint, request.fault, request.times);
    StatusCode::NO_CONTENT.into_response()
}

fn check(request: &ArmRequest) -> Result<(), &'static str> {
    if request.times == 0 {
        return Err("times must be at least 1");
    }
    match request.fault {
        Fault::Status { status, .. } if !(200..=599).contains(&status) => {
            Err("status must be within 200..=599")
        }
        Fault::Delay { delay_ms } | Fault::LateAnswer { delay_ms } if delay_ms > MAX_DELAY_MS => {
            Err("delay_ms must be at most 600000")
        }
        Fault::SlowBody { byte_interval_ms } if byte_interval_ms > MAX_DELAY_MS => {
            Err("byte_interval_ms must be at most 600000")
        }
        Fault::Oversized { bytes } if bytes > MAX_OVERSIZED => {
            Err("bytes must be at most 67108864")
        }
        Fault::Body { ref body } if body.len() > MAX_OVERSIZED => {
            Err("body must be at most 67108864 bytes")
        }
        Fault::Status {
            retry_after: Some(ref value),
            ..
        } if value.header().is_none() => Err("retry_after is not a valid header value"),
        Fault::Redirect {
            location: Some(ref location),
        } if HeaderValue::from_str(location).is_err() => {
            Err("location is not a valid header value")
        }
        _ => Ok(()),
    }
}

/// `DELETE /_standin/faults`: disarms every fault.
pub async fn clear(State(state): State<AppState>) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_used_up_in_order() {
        let faults = Faults::default();
        faults.arm(Endpoint::Poll, Fault::Empty, 2);
        faults.arm(Endpoint::Poll, Fault::Drop, 1);
        assert_eq!(faults.take(Endpoint::Start), None);
        assert_eq!(faults.take(Endpoint::Poll), Some(Fault::Empty));
        assert_eq!(faults.take(Endpoint::Poll), Some(Fault::Empty));
        assert_eq!(faults.take(Endpoint::Poll), Some(Fault::Drop));
        assert_eq!(faults.take(Endpoint::Poll), None);
        faults.arm(Endpoint::Validate, Fault::NotJson, 5);
        faults.clear();
        assert_eq!(faults.take(Endpoint::Validate), None);
    }

    #[test]
    fn parses_every_documented_kind() {
        for (text, fault) in [
            (
                r#"{"endpoint":"start","times":1,"kind":"status","status":503}"#,
                Fault::Status {
                    status: 503,
                    retry_after: None,
                },
            ),
            (
                r#"{"endpoint":"poll","kind":"delay","delay_ms":2000}"#,
                Fault::Delay { delay_ms: 2000 },
            ),
            (
                r#"{"endpoint":"poll","kind":"late_answer","delay_ms":1500}"#,
                Fault::LateAnswer { delay_ms: 1500 },
            ),
            (
                r#"{"endpoint":"poll","kind":"slow_body","byte_interval_ms":50}"#,
                Fault::SlowBody {
                    byte_interval_ms: 50,
                },
            ),
            (r#"{"endpoint":"poll","kind":"drop"}"#, Fault::Drop),
            (r#"{"endpoint":"poll","kind":"not_json"}"#, Fault::NotJson),
            (
                r#"{"endpoint":"poll","kind":"wrong_shape"}"#,
                Fault::WrongShape,
            ),
            (r#"{"endpoint":"poll","kind":"empty"}"#, Fault::Empty),
            (
                r#"{"endpoint":"validate","kind":"oversized","bytes":5000000}"#,
                Fault::Oversized { bytes: 5_000_000 },
            ),
            (
                r#"{"endpoint":"poll","kind":"status","status":429,"retry_after":"Fri, 31 Dec 9999 23:59:59 GMT"}"#,
                Fault::Status {
                    status: 429,
                    retry_after: Some(RetryAfter::Text("Fri, 31 Dec 9999 23:59:59 GMT".into())),
                },
            ),
            (r#"{"endpoint":"poll","kind":"endless"}"#, Fault::Endless),
            (
                r#"{"endpoint":"start","kind":"redirect"}"#,
                Fault::Redirect { location: None },
            ),
            (
                r#"{"endpoint":"start","kind":"body","body":"{}"}"#,
                Fault::Body { body: "{}".into() },
            ),
        ] {
            let request: ArmRequest = serde_json::from_str(text).expect(text);
            assert_eq!(request.fault, fault);
        }
        assert!(serde_json::from_str::<ArmRequest>(r#"{"endpoint":"x","kind":"drop"}"#).is_err());
    }

    #[test]
    fn oversized_body_has_the_exact_size_and_is_json() {
        let body = oversized_body(5000);
        assert_eq!(body.len(), 5000);
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
        assert!(serde_json::from_slice::<serde_json::Value>(&oversized_body(0)).is_ok());
    }
}
