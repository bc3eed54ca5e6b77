//! `GET/POST /confirm/{token}`: the page `confirm_url` points at, standing in for the
//! TVmaze page a logged-in user confirms on. Plain HTML with a form, so it works without
//! JavaScript; every value written into it is HTML-escaped.
//!
//! TVmaze's real page sits behind the user's login and its own protections, so another
//! site cannot make the user's browser confirm a request for it (the attacker's poll
//! would then get the key). This page models that: a decision the browser marks as
//! coming from another site is refused with 403 (see [`site::from_another_site`]), as
//! is one sent to a domain name rather than an address (a page that re-pointed its own
//! domain at this machine), and the page carries no CORS headers, so no other origin
//! can read it either.

use std::time::Instant;

use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use crate::site;
use crate::state::SharedStore;
use crate::store::{DecideOutcome, RequestState, RequestView};

/// The page needs nothing but its inline style and posting to itself; it must not be
/// framed, since a framed Confirm button could be clickjacked.
const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; \
                        frame-ancestors 'none'; base-uri 'none'";

/// The form's body: `decision=confirm` or `decision=deny`.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    decision: String,
}

/// `GET /confirm/{token}`: who asked, and Confirm / Deny buttons while pending.
pub async fn show(
    State(store): State<SharedStore>,
    token: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(token)) = token else {
        return gone_page();
    };
    match store.lock().view(&token, Instant::now()) {
        Some(view) if view.state == RequestState::Pending => {
            page(StatusCode::OK, &question(&token, &view))
        }
        Some(view) => page(StatusCode::OK, &outcome(&view)),
        None => gone_page(),
    }
}

/// `POST /confirm/{token}` with `decision=confirm|deny`: records it and says what
/// happened, unless the browser says the form was posted from another site (403).
pub async fn decide(
    State(store): State<SharedStore>,
    headers: HeaderMap,
    token: Result<Path<String>, PathRejection>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    if site::from_another_site(&headers) || !site::host_is_an_address(&headers) {
        return page(
            StatusCode::FORBIDDEN,
            "<p id=\"result\" data-outcome=\"refused\">This decision was sent from another \
             site and was refused. Open this page yourself to decide.</p>",
        );
    }
    record(&store, token, form)
}

/// `POST /_standin/decide/{token}`: the same decision for tests, which post it with
/// `fetch` from their own origin (a test helper like the rest of `/_standin/`, with its
/// checks and CORS, and no TVmaze path).
pub async fn decide_for_tests(
    State(store): State<SharedStore>,
    token: Result<Path<String>, PathRejection>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    record(&store, token, form)
}

/// Records a decision posted as a form, and answers with the page saying what happened.
fn record(
    store: &SharedStore,
    token: Result<Path<String>, PathRejection>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    let Ok(Path(token)) = token else {
        return gone_page();
    };
    let confirm =
        match form {
            Ok(Form(DecisionForm { decision })) if decision == "confirm" => true,
            Ok(Form(DecisionForm { decision })) if decision == "deny" => false,
            Ok(_) => return page(
                StatusCode::BAD_REQUEST,
                "<p id=\"result\" data-outcome=\"error\">The decision must be confirm or deny.</p>",
            ),
            Err(rejection) => {
                let status = rejection.status();
                let message = escape(&rejection.body_text());
                return page(
                    status,
                    &format!("<p id=\"result\" data-outcome=\"error\">{message}</p>"),
                );
            }
        };
    let decided = store.lock().decide(&token, confirm, Instant::now());
    match decided {
        DecideOutcome::Recorded(view) => {
            tracing::debug!(username = view.username, confirm, "confirm page decision");
            page(StatusCode::OK, &outcome(&view))
        }
        DecideOutcome::AlreadyDecided(view) => page(StatusCode::CONFLICT, &outcome(&view)),
        DecideOutcome::NotFound => gone_page(),
    }
}

/// The pending request: who asked, and the two buttons posting back to this URL.
fn question(token: &str, view: &RequestView) -> String {
    let email = escape(&view.email);
    let username = escape(&view.username);
    let token = escape(token);
    format!(
        "<p>You are signed in to TVmaze as <strong id=\"username\">{username}</strong>.</p>\n\
         <p>An application asked to use your TVmaze account. The request was made for \
         <strong id=\"email\">{email}</strong>.</p>\n\
         <form method=\"post\" action=\"/confirm/{token}\">\n\
         <button type=\"submit\" id=\"confirm\" name=\"decision\" value=\"confirm\">Confirm</button>\n\
         <button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>\n\
         </form>"
    )
}

/// What happened to a decided request.
fn outcome(view: &RequestView) -> String {
    let email = escape(&view.email);
    let (state, text) = match view.state {
        RequestState::Pending => ("pending", "This request is still waiting for your answer."),
        RequestState::Confirmed => (
            "confirmed",
            "You confirmed this request. You can close this page and return to the application.",
        ),
        RequestState::HandedOut => (
            "confirmed",
            "You confirmed this request and the application has signed you in.",
        ),
        RequestState::Denied => (
            "denied",
            "You denied this request. The application will not get access to your account.",
        ),
    };
    format!("<p id=\"result\" data-outcome=\"{state}\">{text}</p>\n<p>Request for <strong id=\"email\">{email}</strong>.</p>")
}

/// Unknown, expired or malformed tokens.
fn gone_page() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "<p id=\"result\" data-outcome=\"not_found\">This authentication request does not exist or has expired.</p>",
    )
}

/// Wraps `main` (already escaped) in the page's HTML, with headers that keep the
/// token in its URL out of caches and referrers.
fn page(status: StatusCode, main: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>TVmaze (stand-in): authentication request</title>\n\
         <style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}}\
         button{{font-size:1rem;padding:.5rem 1.5rem;margin-right:.75rem}}</style>\n\
         </head>\n<body>\n<h1>Authentication request</h1>\n{main}\n</body>\n</html>\n"
    );
    let headers: [(HeaderName, HeaderValue); 4] = [
        (
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        ),
        (CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP)),
        (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
    ];
    (status, headers, html).into_response()
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_matters() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn question_escapes_the_email_and_token() {
        let view = RequestView {
            email: "<b>@x".into(),
            username: "u".into(),
            state: RequestState::Pending,
        };
        let html = question("a\"b", &view);
        assert!(html.contains("&lt;b&gt;@x"));
        assert!(html.contains("/confirm/a&quot;b"));
        assert!(!html.contains("<b>@x"));
    }
}
