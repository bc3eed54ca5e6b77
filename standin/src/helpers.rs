//! The stand-in's own test helpers, every `/_standin/` route in one place. None is a
//! TVmaze path; the prefix keeps them from ever colliding with one.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};

use crate::confirm_page;
use crate::faults::{self, REDIRECT_TARGET};
use crate::state::{AppState, SharedStore};

/// Every `/_standin/` route. Their layers (CORS, the body limit) are the caller's.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/_standin/outbox", get(outbox))
        .route("/_standin/handed-out", get(handed_out))
        .route(
            "/_standin/decide/{token}",
            post(confirm_page::decide_for_tests),
        )
        .route(
            "/_standin/faults",
            post(faults::routes::arm).delete(faults::routes::clear),
        )
        .route("/_standin/fault-kinds", get(faults::routes::kinds))
        .route(REDIRECT_TARGET, any(faults::routes::redirect_target))
        .route(
            "/_standin/redirect-hits",
            get(faults::routes::redirect_hits),
        )
        .with_state(state)
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
