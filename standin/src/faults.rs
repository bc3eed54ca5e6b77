//! Fault injection: `POST /_standin/faults` arms the next N answers of one endpoint to
//! misbehave in one way, so clients can be tested against a server that fails.
//! Not a TVmaze path; it lives under `/_standin/` so it can never collide with one.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::api::tvmaze_error;
use crate::server::DropConnection;
use crate::state::AppState;

/// The largest `oversized` body; bigger ones would only hurt the machine running tests.
const MAX_OVERSIZED: usize = 64 * 1024 * 1024;
/// The longest `delay`: ten minutes is longer than any client timeout worth testing.
const MAX_DELAY_MS: u64 = 600_000;

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
        /// Seconds for a Retry-After header (useful with 429 and 503).
        #[serde(default)]
        retry_after: Option<u32>,
    },
    /// Wait this long, then answer normally.
    Delay {
        /// Milliseconds to wait.
        delay_ms: u64,
    },
    /// Close the connection without any answer.
    Drop,
    /// 200 with `Content-Type: application/json` and a body that is not JSON.
    NotJson,
    /// 200 with JSON whose fields have the wrong names and types for every endpoint.
    WrongShape,
    /// 200 with `Content-Type: application/json` and an empty body.
    Empty,
    /// 200 with a JSON body of exactly this many bytes.
    Oversized {
        /// Body size in bytes.
        bytes: usize,
    },
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

/// Applies the next armed fault of `endpoint`: `Some(answer)` replaces the real answer;
/// `None` means answer normally (after sleeping, for a delay).
pub async fn intercept(state: &AppState, endpoint: Endpoint) -> Option<Response> {
    let fault = state.faults.take(endpoint)?;
    tracing::debug!(?endpoint, ?fault, "injecting fault");
    Some(match fault {
        Fault::Delay { delay_ms } => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            return None;
        }
        Fault::Status {
            status,
            retry_after,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let mut response = tvmaze_error(status, "Injected fault.");
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from(seconds));
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
    })
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
        Fault::Delay { delay_ms } if delay_ms > MAX_DELAY_MS => {
            Err("delay_ms must be at most 600000")
        }
        Fault::Oversized { bytes } if bytes > MAX_OVERSIZED => {
            Err("bytes must be at most 67108864")
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
