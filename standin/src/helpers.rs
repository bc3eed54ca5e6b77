//! The stand-in's own test helpers, every `/_standin/` route in one place. None is a
//! TVmaze path; the prefix keeps them from ever colliding with one.
//!
//! They let a caller read the outbox and which keys went out, decide for a user, and
//! arm faults: together, enough to take over a pairing. So they exist only with
//! `--test-helpers` (the test command passes it; the demo does not), and even then
//! answer only plain clients (curl, Node, the host tests) and pages on loopback origins:
//! the wasm suites run in the test runner's page, another port of 127.0.0.1, which
//! needs CORS to read the answers. A page of any other site is refused with 403
//! ([`site::from_outside_loopback`]) and gets no CORS headers, never `*`; a request
//! sent to a domain name rather than an address (DNS rebinding) is refused too.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::body_limit;
use crate::confirm_page;
use crate::error_body::tvmaze_error;
use crate::faults::{self, REDIRECT_TARGET};
use crate::site;
use crate::state::{AppState, SharedStore};
use crate::user_api;

/// Every `/_standin/` route, with CORS for loopback origins unless `cors` is false
/// (`--no-cors`).
pub fn router(state: AppState, cors: bool) -> Router {
    let checked = Router::new()
        .route("/_standin/outbox", get(outbox))
        .route("/_standin/handed-out", get(handed_out))
        .route("/_standin/polls", get(polls))
        .route("/_standin/reset-key/{username}", post(user_api::reset_key))
        .route(
            "/_standin/decide/{token}",
            post(confirm_page::decide_for_tests),
        )
        .route(
            "/_standin/faults",
            post(faults::routes::arm).delete(faults::routes::clear),
        )
        .route("/_standin/fault-kinds", get(faults::routes::kinds))
        .route(
            "/_standin/redirect-hits",
            get(faults::routes::redirect_hits),
        )
        .route("/_standin/{*rest}", any(not_found))
        .route_layer(middleware::from_fn(refuse_other_sites));
    // Counts every request a client sent after following a redirect, wherever it came
    // from: it decides nothing and reads nothing, and refusing one would hide it.
    let helpers = checked
        .route(REDIRECT_TARGET, any(faults::routes::redirect_target))
        .with_state(state)
        .layer(middleware::from_fn(body_limit::limit));
    if cors {
        helpers.layer(loopback_cors())
    } else {
        helpers
    }
}

/// CORS for pages on loopback origins only, echoing their `Origin` (never `*`).
fn loopback_cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin, _| {
            site::is_loopback_origin(origin.as_bytes())
        }))
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([CONTENT_TYPE])
        .max_age(Duration::from_secs(600))
}

/// 403 for a request from a page outside the loopback sites, or sent to a domain name.
async fn refuse_other_sites(request: Request, next: Next) -> Response {
    let headers = request.headers();
    if site::from_outside_loopback(headers) || !site::host_is_an_address(headers) {
        return tvmaze_error(
            StatusCode::FORBIDDEN,
            "The stand-in's test helpers answer only loopback pages and plain clients.",
        );
    }
    next.run(request).await
}

/// `GET /_standin/outbox`: every confirmation "email", oldest first.
async fn outbox(State(store): State<SharedStore>) -> Response {
    let entries = store.lock().outbox();
    Json(entries).into_response()
}

/// `GET /_standin/handed-out`: the tokens whose API key was handed out, in order.
async fn handed_out(State(store): State<SharedStore>) -> Response {
    let tokens = store.lock().handed_out();
    Json(tokens).into_response()
}

/// `GET /_standin/polls`: every poll answered, with its token, time and status, so a
/// test can check that clients together keep the interval per token.
async fn polls(State(store): State<SharedStore>) -> Response {
    let polls = store.lock().polls();
    Json(polls).into_response()
}

/// A `/_standin/` path that is no helper.
async fn not_found() -> Response {
    tvmaze_error(StatusCode::NOT_FOUND, "Page not found.")
}
