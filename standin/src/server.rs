//! The accept loop shared by both origins: HTTP/1 over hyper, one log line per
//! request, graceful shutdown, the "drop" fault, and the connection limits of
//! `connections.rs`.
//!
//! axum::serve cannot close a connection without answering, which the `drop` fault
//! needs, so this loop serves the axum `Router` through hyper directly: a response
//! marked with [`DropConnection`] becomes a service error, and hyper then closes the
//! connection without writing anything.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{Request, Response};
use axum::Router;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt as _;

use crate::connections::{Activity, Connections, ReadingBody, Responding, Tracked};

/// How long in-flight requests (e.g. an injected delay) may hold up shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// The first wait after a failed accept; it doubles while accepts keep failing...
const ACCEPT_BACKOFF_MIN: Duration = Duration::from_millis(10);
/// ...up to this.
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_secs(1);

/// A response extension asking the server to close the connection unanswered.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// The "error" that makes hyper drop a connection on purpose.
#[derive(Debug)]
struct DroppedOnPurpose;

impl fmt::Display for DroppedOnPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DroppedOnPurpose {}

/// Serves `router` on `listener` until `shutdown` changes, then lets open requests
/// finish (for at most [`SHUTDOWN_GRACE`]). `origin` names the origin in log lines;
/// `connections` enforces the time limits and the cap on open connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    origin: &'static str,
    connections: Arc<Connections>,
    mut shutdown: watch::Receiver<bool>,
) {
    let graceful = GracefulShutdown::new();
    let mut backoff = ACCEPT_BACKOFF_MIN;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _peer)) => {
                        backoff = ACCEPT_BACKOFF_MIN;
                        stream
                    }
                    Err(e) => {
                        // E.g. out of file descriptors: retrying at once would spin and
                        // fail again, so wait, longer each time, while it lasts.
                        connections.accept_failed(origin, &e);
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(ACCEPT_BACKOFF_MAX);
                        continue;
                    }
                };
                let Some(activity) = connections.admit(origin) else {
                    continue; // dropping the stream closes it
                };
                let router = router.clone();
                let requests = Arc::clone(&activity);
                let service = hyper::service::service_fn(move |request| {
                    handle(router.clone(), origin, Arc::clone(&requests), request)
                });
                let io = TokioIo::new(Tracked::new(stream, Arc::clone(&activity)));
                let connection = http1::Builder::new().serve_connection(io, service);
                let connection = graceful.watch(connection);
                let connections = Arc::clone(&connections);
                tokio::spawn(async move {
                    connections.drive(activity, connection, origin).await;
                });
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(origin, "open connections did not finish in time");
    }
}

/// Runs one request through `router` and logs it: method, path, status and time only.
/// Headers (Authorization!), query strings and bodies are never logged.
async fn handle(
    router: Router,
    origin: &'static str,
    activity: Arc<Activity>,
    request: Request<Incoming>,
) -> Result<Response<Body>, DroppedOnPurpose> {
    let handling = activity.request_started();
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    // Until its body has arrived, the peer holds the request up, not the server.
    let reading = (!request.body().is_end_stream()).then(|| activity.reading_body());
    let request = request.map(|body| {
        Body::new(TrackedRequestBody {
            inner: body,
            reading,
        })
    });
    let response = match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let ms = started.elapsed().as_millis();
    if response.extensions().get::<DropConnection>().is_some() {
        tracing::info!(origin, %method, path, ms, "dropped (injected fault)");
        return Err(DroppedOnPurpose);
    }
    tracing::info!(origin, %method, path, status = response.status().as_u16(), ms);
    // The connection counts as busy until hyper has written (or dropped) the body.
    let responding = activity.responding();
    drop(handling);
    Ok(response.map(|body| {
        Body::new(TrackedBody {
            inner: body,
            _responding: responding,
        })
    }))
}

/// A request body that marks its connection as waiting on the peer until it has all
/// arrived (or is dropped).
struct TrackedRequestBody {
    inner: Incoming,
    reading: Option<ReadingBody>,
}

impl HttpBody for TrackedRequestBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = self.get_mut();
        let frame = Pin::new(&mut this.inner).poll_frame(cx);
        if matches!(frame, Poll::Ready(None | Some(Err(_)))) || this.inner.is_end_stream() {
            this.reading = None;
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A response body that keeps its connection marked busy while it exists.
struct TrackedBody {
    inner: Body,
    _responding: Responding,
}

impl HttpBody for TrackedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
