//! The fault helpers' handlers; `helpers.rs` registers them under `/_standin/`. Each
//! takes only the armed faults.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::answers::json_ok;
use super::{kinds as fault_kinds, ArmError, ArmRequest, Faults, MAX_ARMED, MAX_ARMED_BYTES};
use crate::error_body::tvmaze_error;

/// `POST /_standin/faults`: 204 once armed, 400 for a body that names no valid fault,
/// 409 when the caps on armed faults are reached.
pub async fn arm(State(faults): State<Arc<Faults>>, body: Bytes) -> Response {
    let request: ArmRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return tvmaze_error(StatusCode::BAD_REQUEST, &format!("Bad fault: {e}")),
    };
    tracing::debug!(?request, "arming a fault");
    match faults.arm(request) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(ArmError::Invalid(message)) => tvmaze_error(StatusCode::BAD_REQUEST, message),
        Err(ArmError::Full) => tvmaze_error(
            StatusCode::CONFLICT,
            &format!(
                "Too many faults armed: at most {MAX_ARMED}, keeping at most \
                 {MAX_ARMED_BYTES} bytes of text together. DELETE /_standin/faults first."
            ),
        ),
    }
}

/// `DELETE /_standin/faults`: disarms every fault.
pub async fn clear(State(faults): State<Arc<Faults>>) -> StatusCode {
    faults.clear();
    StatusCode::NO_CONTENT
}

/// `GET /_standin/fault-kinds`: every kind's name, so a test can check it covers all.
pub async fn kinds() -> Json<Vec<&'static str>> {
    Json(fault_kinds())
}

/// Any method on [`super::REDIRECT_TARGET`]: counts the request and answers 200 with a
/// body that every endpoint would accept, so a client that followed a redirect would
/// look successful unless the test checks the count.
pub async fn redirect_target(State(faults): State<Arc<Faults>>) -> Response {
    faults.redirect_hit();
    json_ok(
        r#"{"token":"redirected","confirm_url":"https://www.tvmaze.com/","apikey":"redirected","username":"redirected","premium":3}"#
            .into(),
    )
}

/// `GET /_standin/redirect-hits`: `{"hits": n}`, requests that reached the target.
pub async fn redirect_hits(State(faults): State<Arc<Faults>>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "hits": faults.redirect_hits() }))
}
