//! The answers faults give: the real one late or slowly, or a fake one in its place.

use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::http::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper::body::{Frame, SizeHint};

use super::{Endpoint, Fault, Faults, RetryAfter, REDIRECT_TARGET};
use crate::error_body::tvmaze_error;
use crate::server::DropConnection;

/// One chunk of an `endless` body.
const ENDLESS_CHUNK: usize = 16 * 1024;
/// An `endless` body ends after this many chunks (1 GiB), so that even a client that
/// reads forever lets the connection end; any client with a sane cap stops long before.
const ENDLESS_CHUNKS: usize = 64 * 1024;
/// The largest real answer `slow_body` will trickle (real answers are under 200 bytes).
const MAX_REAL_ANSWER: usize = 64 * 1024;

/// The answer to a request of `endpoint`: `real` (run at most once, when the request
/// has arrived) unless the next armed fault of `endpoint` replaces, delays or slows it.
pub async fn answer(
    faults: &Faults,
    endpoint: Endpoint,
    real: impl FnOnce() -> Response,
) -> Response {
    let Some(fault) = faults.take(endpoint) else {
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

pub(super) fn json_ok(body: Bytes) -> Response {
    (
        StatusCode::OK,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        Body::from(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_body_has_the_exact_size_and_is_json() {
        let body = oversized_body(5000);
        assert_eq!(body.len(), 5000);
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
        assert!(serde_json::from_slice::<serde_json::Value>(&oversized_body(0)).is_ok());
    }
}
