//! The accept loop shared by both origins: HTTP/1 over hyper, one log line per
//! request, graceful shutdown, and the "drop" fault.
//!
//! axum::serve cannot close a connection without answering, which the `drop` fault
//! needs, so this loop serves the axum `Router` through hyper directly: a response
//! marked with [`DropConnection`] becomes a service error, and hyper then closes the
//! connection without writing anything.

use std::fmt;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt as _;

/// How long in-flight requests (e.g. an injected delay) may hold up shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

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
/// finish (for at most [`SHUTDOWN_GRACE`]). `origin` names the origin in log lines.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    origin: &'static str,
    mut shutdown: watch::Receiver<bool>,
) {
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _peer)) => stream,
                    Err(e) => {
                        // E.g. out of file descriptors: back off briefly instead of spinning.
                        tracing::warn!(origin, error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let router = router.clone();
                let service = hyper::service::service_fn(move |request| {
                    handle(router.clone(), origin, request)
                });
                let connection = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        tracing::debug!(origin, error = %e, "connection ended with an error");
                    }
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
    request: Request<Incoming>,
) -> Result<Response<Body>, DroppedOnPurpose> {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = match router.oneshot(request.map(Body::new)).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let ms = started.elapsed().as_millis();
    if response.extensions().get::<DropConnection>().is_some() {
        tracing::info!(origin, %method, path, ms, "dropped (injected fault)");
        return Err(DroppedOnPurpose);
    }
    tracing::info!(origin, %method, path, status = response.status().as_u16(), ms);
    Ok(response)
}
