//! The demo origin: the page (`--www-dir`) at `/`, the built package (`--pkg-dir`) at
//! `/pkg/`, `/demo-config.json` telling the page where the API origin is, and
//! `/demo-outbox.json`, the simulated mailbox of "email me a link". It is a
//! different origin from the API, so the page calls the API cross-origin exactly as it
//! would call api.tvmaze.com; or, with `--proxy-api`, same-origin, as an app that
//! forwards `/v1/auth/*` through its own server would.

use std::path::PathBuf;

use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower::ServiceExt as _;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error_body::tvmaze_error;
use crate::site;
use crate::state::SharedStore;

/// The demo's Content-Security-Policy: only its own scripts and wasm, and network
/// access only to itself, the stand-in's API origin and TVmaze.
pub fn content_security_policy(api_origin: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
         connect-src 'self' {api_origin} https://api.tvmaze.com; style-src 'self'; \
         img-src 'self' data:; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'; object-src 'none'"
    )
}

/// The demo origin's routes. `api_origin` is `http://HOST:PORT` of the API origin;
/// `store` holds the outbox. With `proxied` (`--proxy-api`), `/v1/auth/*` and the
/// confirm pages are answered here by that same API router, and the page is told to
/// use the same-origin base "/v1".
pub fn router(
    www: PathBuf,
    pkg: PathBuf,
    api_origin: &str,
    store: SharedStore,
    proxied: Option<Router>,
) -> Result<Router, String> {
    let csp = HeaderValue::from_str(&content_security_policy(api_origin))
        .map_err(|e| format!("bad CSP header: {e}"))?;
    let api_base = match proxied {
        Some(_) => "/v1".to_owned(),
        None => format!("{api_origin}/v1"),
    };
    let demo = Router::new()
        .route("/demo-config.json", get(move || config(api_base.clone())))
        .route("/demo-outbox.json", get(outbox).with_state(store))
        // ServeDir picks Content-Type by extension: application/wasm for .wasm, which
        // WebAssembly.instantiateStreaming insists on.
        .nest_service("/pkg", ServeDir::new(pkg))
        .fallback_service(ServeDir::new(www))
        .layer(SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            csp,
        ))
        // A rebuilt package must never be shadowed by a cached one while developing.
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    Ok(match proxied {
        // Dispatched by path in a fallback rather than by routes: a route would add its
        // path parameters to the request, and the API router's own `{token}` would then
        // not be the only one. Outside the demo's layers, so the API's answers and the
        // confirm page keep their own headers (the page's CSP would forbid the form).
        Some(api) => Router::new().fallback(move |request: Request| {
            let path = request.uri().path();
            let to_api = path.starts_with("/v1/auth/") || path.starts_with("/confirm/");
            if to_api { api.clone() } else { demo.clone() }.oneshot(request)
        }),
        None => demo,
    })
}

/// `GET /demo-config.json`: `{"standinApiBase": "http://HOST:PORT/v1"}`.
async fn config(api_base: String) -> Response {
    Json(json!({ "standinApiBase": api_base })).into_response()
}

/// `GET /demo-outbox.json`: every confirmation "email", oldest first, for the demo
/// page's own tab only. Its confirm URLs carry tokens, and whoever polls a token first
/// after Confirm gets the key, so no other site may read it: no CORS, and the same
/// refusal as the confirm page's ([`site::from_another_site`], and a `Host` that is an
/// address, against DNS rebinding).
async fn outbox(State(store): State<SharedStore>, headers: HeaderMap) -> Response {
    if site::from_another_site(&headers) || !site::host_is_an_address(&headers) {
        return tvmaze_error(
            StatusCode::FORBIDDEN,
            "The outbox is for the demo page's own tab.",
        );
    }
    let entries = store.lock().outbox();
    Json(entries).into_response()
}
