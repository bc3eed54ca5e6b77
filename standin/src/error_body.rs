//! TVmaze-style error answers, shared by the endpoints, the body limit and the faults.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// A TVmaze-style (Yii) error body, e.g.
/// `{"name":"Not Found","message":"...","code":0,"status":404}`.
pub fn tvmaze_error(status: StatusCode, message: &str) -> Response {
    let name = status.canonical_reason().unwrap_or("Error");
    let body = json!({ "name": name, "message": message, "code": 0, "status": status.as_u16() });
    (status, Json(body)).into_response()
}
