//! The API origin: TVmaze's three auth endpoints (per the OpenAPI spec) and the user
//! API's slice (user_api.rs), with the confirm page and the stand-in's own `/_standin/`
//! helpers (helpers.rs) beside them.
//!
//! Every answer to bad input is a 4xx: handlers take the raw body and check it
//! themselves instead of using extractors whose rejections we would not control.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use tower_http::cors::{Any, CorsLayer};

use crate::basic_auth;
use crate::body_limit;
use crate::confirm_page;
use crate::error_body::tvmaze_error;
use crate::faults::{self, Endpoint, Faults};
use crate::helpers;
use crate::state::{ApiConfig, AppState, SharedStore};
use crate::store::{PollOutcome, StartOutcome};
use crate::user_api;

/// The API origin's routes, with CORS unless `cors` is false (`--no-cors`), except on
/// the confirm page, which no other origin may read or drive; the test helpers only
/// with `test_helpers` (`--test-helpers`), with their own CORS and checks.
pub fn router(state: AppState, cors: bool, test_helpers: bool) -> Router {
    let api = Router::new()
        .route("/v1/auth/start", post(start))
        .route("/v1/auth/poll", post(poll))
        .route("/v1/auth/validate", get(validate))
        .fallback(not_found)
        .with_state(state.clone())
        .merge(user_api::router(state.store.clone()))
        .layer(axum::middleware::from_fn(body_limit::limit));
    // Outermost, so that every answer (404s, 413s, faults) carries the headers, as a
    // public API's would.
    let api = if cors { api.layer(cors_layer()) } else { api };
    let api = if test_helpers {
        api.merge(helpers::router(state.clone(), cors))
    } else {
        api
    };
    let confirm_page = Router::new()
        .route(
            "/confirm/{token}",
            get(confirm_page::show).post(confirm_page::decide),
        )
        .with_state(state)
        .layer(axum::middleware::from_fn(body_limit::limit));
    confirm_page.merge(api)
}

/// Any origin may call, like a public API. Authorization and Content-Type are the only
/// non-safelisted request headers the client sends; Retry-After must be readable by it.
fn cors_layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([CONTENT_TYPE, AUTHORIZATION])
        .expose_headers([RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

/// A 429, with Retry-After (whole seconds, rounded up) when `--retry-after` is on.
fn too_many_requests(config: &ApiConfig, wait: Duration, message: &str) -> Response {
    let mut response = tvmaze_error(StatusCode::TOO_MANY_REQUESTS, message);
    if config.retry_after {
        let seconds = wait.as_millis().div_ceil(1000).max(1);
        let seconds = u64::try_from(seconds).unwrap_or(u64::MAX);
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// `POST /v1/auth/start` `{"email": string, "email_confirmation"?: boolean}`.
async fn start(
    State(store): State<SharedStore>,
    State(faults): State<Arc<Faults>>,
    State(config): State<ApiConfig>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    faults::answer(&faults, Endpoint::Start, || {
        start_answer(&store, &config, &headers, body)
    })
    .await
}

/// The real answer to a start.
fn start_answer(
    store: &SharedStore,
    config: &ApiConfig,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let (email, email_confirmation) = match start_request(headers, body) {
        Ok(request) => request,
        Err(bad) => return bad.into_response(),
    };
    let email = email.as_str();
    let outcome = store
        .lock()
        .start(email, email_confirmation, Instant::now(), |t| {
            config.confirm_url(t)
        });
    match outcome {
        StartOutcome::Started { token, confirm_url } => {
            if email_confirmation {
                // The "email": nothing leaves the machine; the outbox and this line are it.
                tracing::info!(to = email, confirm_url, "outbox: confirmation email");
            }
            Json(json!({ "token": token, "confirm_url": confirm_url })).into_response()
        }
        StartOutcome::EmailNotConfirmed => tvmaze_error(
            StatusCode::UNAUTHORIZED,
            "This email address has not been confirmed.",
        ),
        StartOutcome::NoSuchUser => {
            tvmaze_error(StatusCode::NOT_FOUND, "No user with this email address.")
        }
        StartOutcome::RateLimited(wait) => too_many_requests(
            config,
            wait,
            "You are starting authentication requests too quickly, please back off.",
        ),
        StartOutcome::NoRandomness => tvmaze_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "No randomness available; try again.",
        ),
    }
}

/// `POST /v1/auth/poll` `{"token": string}`.
async fn poll(
    State(store): State<SharedStore>,
    State(faults): State<Arc<Faults>>,
    State(config): State<ApiConfig>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    faults::answer(&faults, Endpoint::Poll, || {
        poll_answer(&store, &config, &headers, body)
    })
    .await
}

/// The real answer to a poll: a confirmed request's key is handed out (and spent) here.
fn poll_answer(
    store: &SharedStore,
    config: &ApiConfig,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let token = match poll_request(headers, body) {
        Ok(token) => token,
        Err(bad) => return bad.into_response(),
    };
    let token = token.as_str();
    let outcome = store.lock().poll(token, Instant::now());
    match outcome {
        PollOutcome::Pending => tvmaze_error(
            StatusCode::FORBIDDEN,
            "The authentication request was not confirmed yet.",
        ),
        PollOutcome::Confirmed { api_key, username } => {
            Json(json!({ "apikey": api_key, "username": username })).into_response()
        }
        PollOutcome::NotFound => tvmaze_error(
            StatusCode::NOT_FOUND,
            "The authentication request was not found.",
        ),
        PollOutcome::RateLimited(wait) => too_many_requests(
            config,
            wait,
            "You are polling too quickly, please back off.",
        ),
    }
}

/// `GET /v1/auth/validate` with `Authorization: Basic base64(username:apikey)`.
async fn validate(
    State(store): State<SharedStore>,
    State(faults): State<Arc<Faults>>,
    headers: HeaderMap,
) -> Response {
    faults::answer(&faults, Endpoint::Validate, || {
        validate_answer(&store, &headers)
    })
    .await
}

/// The real answer to a validate.
fn validate_answer(store: &SharedStore, headers: &HeaderMap) -> Response {
    let premium = basic_auth::credentials(headers)
        .and_then(|c| store.lock().premium_of(&c.username, &c.password));
    match premium {
        Some(premium) => Json(json!({ "premium": premium })).into_response(),
        // No WWW-Authenticate: it would make browsers pop up a password dialog, and
        // TVmaze's spec does not promise one.
        None => tvmaze_error(
            StatusCode::UNAUTHORIZED,
            "Your request was made with invalid credentials.",
        ),
    }
}

/// Unknown paths, like TVmaze's.
async fn not_found() -> Response {
    tvmaze_error(StatusCode::NOT_FOUND, "Page not found.")
}

/// Why a request body was refused: always a 4xx, with a TVmaze-style body.
#[derive(Debug)]
struct BadRequest(StatusCode, String);

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        tvmaze_error(self.0, &self.1)
    }
}

/// A 422 for a well-formed JSON object with a missing or wrong-typed field.
fn invalid(message: &str) -> BadRequest {
    BadRequest(StatusCode::UNPROCESSABLE_ENTITY, message.to_owned())
}

/// The start body: `email` (a string, required) and `email_confirmation` (a boolean,
/// default true). `null` is not a boolean: the spec does not make it nullable.
fn start_request(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(String, bool), BadRequest> {
    let mut fields = json_object(headers, body)?;
    let email = match fields.remove("email") {
        Some(Value::String(email)) => email,
        Some(_) => return Err(invalid("email must be a string.")),
        None => return Err(invalid("email is required.")),
    };
    let email_confirmation = match fields.get("email_confirmation") {
        None => true,
        Some(Value::Bool(flag)) => *flag,
        Some(_) => return Err(invalid("email_confirmation must be a boolean.")),
    };
    Ok((email, email_confirmation))
}

/// The poll body: `token` (a string, required).
fn poll_request(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<String, BadRequest> {
    match json_object(headers, body)?.remove("token") {
        Some(Value::String(token)) => Ok(token),
        Some(_) => Err(invalid("token must be a string.")),
        None => Err(invalid("token is required.")),
    }
}

/// The request body as a JSON object, or the 4xx that explains why it is not one.
fn json_object(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Map<String, Value>, BadRequest> {
    // Too large (413) or unreadable: the rejection knows its status, always a 4xx.
    let body = body.map_err(|rejection| BadRequest(rejection.status(), rejection.body_text()))?;
    if !is_json(headers) {
        return Err(BadRequest(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json.".to_owned(),
        ));
    }
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(BadRequest(
            StatusCode::BAD_REQUEST,
            "The body must be a JSON object.".to_owned(),
        )),
        Err(_) => Err(BadRequest(
            StatusCode::BAD_REQUEST,
            "The body is not valid JSON.".to_owned(),
        )),
    }
}

/// Whether the one Content-Type header is `application/json` (parameters allowed).
fn is_json(headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(CONTENT_TYPE).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return false;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_must_be_json() {
        let mut headers = HeaderMap::new();
        assert!(!is_json(&headers));
        for (value, ok) in [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("text/plain", false),
            ("application/jsonx", false),
            ("application/x-www-form-urlencoded", false),
        ] {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(value));
            assert_eq!(is_json(&headers), ok, "{value}");
        }
    }
}
