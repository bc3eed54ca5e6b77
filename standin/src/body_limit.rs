//! The 64 KiB request body limit, answering 413 in a way the client can actually read.
//!
//! tower-http's `RequestBodyLimitLayer` answers 413 as soon as it sees a large
//! Content-Length and leaves the body unread; closing a socket with unread data makes
//! the kernel send a reset, which can destroy the 413 before the client reads it, so the
//! client sees a network error instead (and our tests flaked on exactly that). Like
//! nginx's lingering close, this reads and discards an oversized body (up to a cap and a
//! time limit) before answering, so the 413 arrives intact.
//!
//! A body must also keep coming: after a short grace, at a minimum average rate, and
//! whole within a deadline, or the answer is 408. A peer trickling a body (one byte
//! every few seconds) thus holds a connection for seconds, not hours; meanwhile the
//! connection cap may close it like an idle one (connections.rs).

use std::future::poll_fn;
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;

use axum::body::{Body, HttpBody as _};
use axum::extract::Request;
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::error_body::tvmaze_error;

/// Request bodies above this answer 413: the real requests are a few dozen bytes.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Beyond this much, reading the rest is not worth it: answer and close.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;
/// A body must be whole within this long of its head, whatever its rate...
const READ_TIME: Duration = Duration::from_secs(10);
/// ...and, after this grace (real bodies arrive with their head, in one packet)...
const GRACE: Duration = Duration::from_secs(2);
/// ...have arrived at this many bytes per second on average.
const MIN_RATE: u64 = 1024;

/// How reading the body ended.
enum Read {
    /// Complete and within the limit.
    Whole(Vec<u8>),
    /// Over the limit (read to its end or to the drain cap).
    TooLarge,
    /// The client broke off or sent a malformed body.
    Broken,
    /// Past [`READ_TIME`], or slower than [`MIN_RATE`] after [`GRACE`].
    TooSlow,
}

/// Middleware: buffers the body (at most [`BODY_LIMIT`] bytes) for the handlers, or
/// answers 413 (too large), 400 (broken body) or 408 (too slow).
pub async fn limit(request: Request, next: Next) -> Response {
    if declared_length(request.headers()).is_some_and(|n| n > DRAIN_LIMIT as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    match read(body).await {
        Read::Whole(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Read::TooLarge => too_large(),
        Read::Broken => tvmaze_error(
            StatusCode::BAD_REQUEST,
            "The request body could not be read.",
        ),
        Read::TooSlow => tvmaze_error(
            StatusCode::REQUEST_TIMEOUT,
            "The request body took too long.",
        ),
    }
}

/// When a body of which `seen` bytes arrived since `started` must have more (or end).
fn due(started: Instant, seen: usize) -> Instant {
    let seen = u64::try_from(seen).unwrap_or(u64::MAX);
    let earned = Duration::from_millis(seen.saturating_mul(1000) / MIN_RATE);
    (started + GRACE.saturating_add(earned)).min(started + READ_TIME)
}

/// Reads `body` to its end, keeping it only while it stays within [`BODY_LIMIT`], and
/// only while it keeps pace (see [`due`]).
async fn read(mut body: Body) -> Read {
    let started = Instant::now();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    loop {
        let next = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx));
        let Ok(frame) = tokio::time::timeout_at(due(started, seen), next).await else {
            return Read::TooSlow;
        };
        let Some(frame) = frame else {
            break;
        };
        let Ok(frame) = frame else {
            return Read::Broken;
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers carry nothing we use
        };
        seen = seen.saturating_add(data.len());
        if seen <= BODY_LIMIT {
            kept.extend_from_slice(&data);
        } else if seen > DRAIN_LIMIT {
            return Read::TooLarge;
        }
    }
    if seen > BODY_LIMIT {
        Read::TooLarge
    } else {
        Read::Whole(kept)
    }
}

/// The Content-Length the client declared, if it is a number.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

fn too_large() -> Response {
    tvmaze_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "The request body is larger than 64 KiB.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_owes_a_minimum_rate_after_its_grace_and_ends_by_the_deadline() {
        let t = Instant::now();
        assert_eq!(due(t, 0), t + GRACE);
        assert_eq!(due(t, 1024), t + GRACE + Duration::from_secs(1));
        assert_eq!(due(t, 4096), t + GRACE + Duration::from_secs(4));
        assert_eq!(due(t, 60_000), t + READ_TIME);
        assert_eq!(due(t, usize::MAX), t + READ_TIME);
    }
}
