//! Fault injection: `POST /_standin/faults` arms the next N answers of one endpoint to
//! misbehave in one way, so clients can be tested against a server that fails.
//!
//! This file is the model (what can be armed, the queues, their caps); `answers.rs`
//! turns a fault into an answer; `routes.rs` holds the handlers, which `helpers.rs`
//! registers under `/_standin/` with every other test helper.

mod answers;
pub mod routes;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use axum::http::HeaderValue;
use serde::Deserialize;
use strum::{EnumDiscriminants, EnumIter, IntoEnumIterator as _, IntoStaticStr};

pub use answers::answer;

/// The largest `oversized` body; bigger ones would only hurt the machine running tests.
const MAX_OVERSIZED: usize = 64 * 1024 * 1024;
/// The longest `delay`, `late_answer` and `slow_body` interval: ten minutes is longer
/// than any client timeout worth testing.
const MAX_DELAY_MS: u64 = 600_000;
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

/// How an answer misbehaves. [`FaultKind`] lists the kinds (for `GET /_standin/fault-kinds`,
/// which the wasm fault matrix checks its cells against).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, EnumDiscriminants)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[strum_discriminants(
    name(FaultKind),
    derive(EnumIter, IntoStaticStr),
    strum(serialize_all = "snake_case")
)]
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

impl Fault {
    /// The bytes of text this fault keeps while armed (what the byte cap counts).
    fn kept_bytes(&self) -> usize {
        match self {
            Fault::Status {
                retry_after: Some(RetryAfter::Text(text)),
                ..
            } => text.len(),
            Fault::Redirect {
                location: Some(location),
            } => location.len(),
            Fault::Body { body } => body.len(),
            Fault::Status { .. }
            | Fault::Delay { .. }
            | Fault::LateAnswer { .. }
            | Fault::SlowBody { .. }
            | Fault::Drop
            | Fault::NotJson
            | Fault::WrongShape
            | Fault::Empty
            | Fault::Oversized { .. }
            | Fault::Endless
            | Fault::Redirect { location: None } => 0,
        }
    }
}

/// Every fault kind's name, as `"kind"` spells it, in declaration order.
pub fn kinds() -> Vec<&'static str> {
    FaultKind::iter().map(<&'static str>::from).collect()
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
pub struct ArmRequest {
    endpoint: Endpoint,
    #[serde(default = "one")]
    times: u32,
    #[serde(flatten)]
    fault: Fault,
}

fn one() -> u32 {
    1
}

impl ArmRequest {
    /// Why this request names no fault that can be armed, if it does not.
    fn check(&self) -> Result<(), &'static str> {
        if self.times == 0 {
            return Err("times must be at least 1");
        }
        match self.fault {
            Fault::Status { status, .. } if !(200..=599).contains(&status) => {
                Err("status must be within 200..=599")
            }
            Fault::Delay { delay_ms } | Fault::LateAnswer { delay_ms }
                if delay_ms > MAX_DELAY_MS =>
            {
                Err("delay_ms must be at most 600000")
            }
            Fault::SlowBody { byte_interval_ms } if byte_interval_ms > MAX_DELAY_MS => {
                Err("byte_interval_ms must be at most 600000")
            }
            Fault::Oversized { bytes } if bytes > MAX_OVERSIZED => {
                Err("bytes must be at most 67108864")
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
}

/// Why a fault was not armed.
#[derive(Debug, PartialEq, Eq)]
pub enum ArmError {
    /// The request names no valid fault.
    Invalid(&'static str),
    /// Arming it would pass [`MAX_ARMED`] entries or [`MAX_ARMED_BYTES`] of text.
    Full,
}

/// At most this many armed entries (one per accepted `POST`, whatever its `times`)...
pub const MAX_ARMED: usize = 1_000;
/// ...keeping at most this much text (bodies, locations, Retry-After texts) together,
/// so that arming in a loop cannot exhaust the stand-in's memory.
pub const MAX_ARMED_BYTES: usize = 4 * 1024 * 1024;

/// The armed faults: per endpoint a queue of (fault, answers left), with the totals the
/// caps are checked against.
#[derive(Debug, Default)]
pub struct Faults {
    armed: Mutex<Armed>,
    /// Requests that reached [`REDIRECT_TARGET`].
    redirect_hits: AtomicU64,
}

#[derive(Debug, Default)]
struct Armed {
    queues: HashMap<Endpoint, VecDeque<(Fault, u32)>>,
    entries: usize,
    bytes: usize,
}

impl Faults {
    fn armed(&self) -> std::sync::MutexGuard<'_, Armed> {
        self.armed.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Checks `request` and arms its fault after any armed before for that endpoint.
    pub fn arm(&self, request: ArmRequest) -> Result<(), ArmError> {
        request.check().map_err(ArmError::Invalid)?;
        let bytes = request.fault.kept_bytes();
        let mut armed = self.armed();
        if armed.entries >= MAX_ARMED || armed.bytes.saturating_add(bytes) > MAX_ARMED_BYTES {
            return Err(ArmError::Full);
        }
        armed.entries += 1;
        armed.bytes += bytes;
        let queue = armed.queues.entry(request.endpoint).or_default();
        queue.push_back((request.fault, request.times));
        Ok(())
    }

    /// The fault for this answer of `endpoint`, if one is armed; uses it up.
    pub fn take(&self, endpoint: Endpoint) -> Option<Fault> {
        let mut armed = self.armed();
        let queue = armed.queues.get_mut(&endpoint)?;
        let (fault, left) = queue.front_mut()?;
        let fault = fault.clone();
        *left = left.saturating_sub(1);
        if *left == 0 {
            queue.pop_front();
            armed.entries -= 1;
            armed.bytes -= fault.kept_bytes();
        }
        Some(fault)
    }

    /// Disarms everything.
    pub fn clear(&self) {
        *self.armed() = Armed::default();
    }

    /// Counts a request that reached [`REDIRECT_TARGET`].
    pub fn redirect_hit(&self) {
        self.redirect_hits.fetch_add(1, Ordering::Relaxed);
    }

    /// Requests that reached [`REDIRECT_TARGET`] so far.
    pub fn redirect_hits(&self) -> u64 {
        self.redirect_hits.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(endpoint: Endpoint, fault: Fault, times: u32) -> ArmRequest {
        ArmRequest {
            endpoint,
            times,
            fault,
        }
    }

    #[test]
    fn faults_are_used_up_in_order() {
        let faults = Faults::default();
        faults
            .arm(request(Endpoint::Poll, Fault::Empty, 2))
            .expect("armed");
        faults
            .arm(request(Endpoint::Poll, Fault::Drop, 1))
            .expect("armed");
        assert_eq!(faults.take(Endpoint::Start), None);
        assert_eq!(faults.take(Endpoint::Poll), Some(Fault::Empty));
        assert_eq!(faults.take(Endpoint::Poll), Some(Fault::Empty));
        assert_eq!(faults.take(Endpoint::Poll), Some(Fault::Drop));
        assert_eq!(faults.take(Endpoint::Poll), None);
        faults
            .arm(request(Endpoint::Validate, Fault::NotJson, 5))
            .expect("armed");
        faults.clear();
        assert_eq!(faults.take(Endpoint::Validate), None);
    }

    #[test]
    fn the_caps_count_entries_and_kept_text_and_free_them_when_used_up() {
        let faults = Faults::default();
        for _ in 0..MAX_ARMED {
            faults
                .arm(request(Endpoint::Start, Fault::Drop, 1))
                .expect("room");
        }
        assert_eq!(
            faults.arm(request(Endpoint::Poll, Fault::Drop, 1)),
            Err(ArmError::Full)
        );
        faults.take(Endpoint::Start);
        faults
            .arm(request(Endpoint::Poll, Fault::Drop, 1))
            .expect("a used-up entry makes room");
        faults.clear();

        let body = |n| Fault::Body {
            body: "x".repeat(n),
        };
        let half = MAX_ARMED_BYTES / 2;
        faults
            .arm(request(Endpoint::Start, body(half), 1))
            .expect("room");
        faults
            .arm(request(Endpoint::Poll, body(half), 2))
            .expect("room");
        assert_eq!(
            faults.arm(request(Endpoint::Validate, body(1), 1)),
            Err(ArmError::Full)
        );
        faults.take(Endpoint::Poll);
        assert_eq!(
            faults.arm(request(Endpoint::Validate, body(1), 1)),
            Err(ArmError::Full),
            "one answer left: still kept"
        );
        faults.take(Endpoint::Poll);
        faults
            .arm(request(Endpoint::Validate, body(1), 1))
            .expect("used up: its text is freed");
    }

    #[test]
    fn parses_every_documented_kind() {
        let mut seen = Vec::new();
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
            let kind: &str = FaultKind::from(&fault).into();
            assert!(
                text.contains(&format!(r#""kind":"{kind}""#)),
                "{kind}: {text}"
            );
            seen.push(kind);
        }
        assert!(serde_json::from_str::<ArmRequest>(r#"{"endpoint":"x","kind":"drop"}"#).is_err());
        // The names served at /_standin/fault-kinds are the ones serde reads.
        seen.sort_unstable();
        seen.dedup();
        let mut kinds = kinds();
        kinds.sort_unstable();
        assert_eq!(seen, kinds, "a kind without an example here");
    }
}
