//! The 64 KiB request body limit, answering 413 in a way the client can actually read.
//!
//! tower-http's `RequestBodyLimitLayer` answers 413 as soon as it sees a large
//! Content-Length and leaves the body unread; closing a socket with unread data makes
//! the kernel send a reset, which can destroy the 413 before the client reads it, so the
//! client sees a network error instead (and our tests flaked on exactly that). Like
//! nginx's lingering close, this reads and discards an oversized body (up to a cap and a
//! time limit) before answering, so the 413 arrives intact.

use std::future::poll_fn;
use std::pin::Pin;
use std::time::Duration;

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
/// A client trickling a body must not hold a task forever.
const READ_TIME: Duration = Duration::from_secs(10);

/// How reading the body ended.
enum Read {
    /// Complete and within the limit.
    Whole(Vec<u8>),
    /// Over the limit (read to its end or to the drain cap).
    TooLarge,
    /// The client broke off or sent a malformed body.
    Broken,
}

/// Middleware: buffers the body (at most [`BODY_LIMIT`] bytes) for the handlers, or
/// answers 413 (too large), 400 (broken body) or 408 (too slow).
pub async fn limit(request: Request, next: Next) -> Response {
    if declared_length(request.headers()).is_some_and(|n| n > DRAIN_LIMIT as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    match tokio::time::timeout(READ_TIME, read(body)).await {
        Ok(Read::Whole(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Read::TooLarge) => too_large(),
        Ok(Read::Broken) => tvmaze_error(
            StatusCode::BAD_REQUEST,
            "The request body could not be read.",
        ),
        Err(_) => tvmaze_error(
            StatusCode::REQUEST_TIMEOUT,
            "The request body took too long.",
        ),
    }
}

/// Reads `body` to its end, keeping it only while it stays within [`BODY_LIMIT`].
async fn read(mut body: Body) -> Read {
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
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
