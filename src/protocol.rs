//! The three TVmaze endpoints as plain data: what to send, and what each answer means.
//! Everything the network can say ends here in an outcome or an [`AuthError`]; the fetch
//! shell (`http.rs`) only moves bytes.

use serde::Serialize;

use crate::args::BaseUrl;
use crate::basic_auth;
use crate::error::{AuthError, Code};
use crate::url;

/// Response bodies longer than this are BAD_RESPONSE: the real ones are well under
/// 1 KiB, and a huge or endless body must not be read, copied or parsed. The shell
/// refuses a larger Content-Length before reading and stops a stream at this many bytes.
pub const MAX_BODY_BYTES: u64 = 64 * 1024;
/// The same for the user API's answers, which list what a user follows, marked or
/// voted on (with `embed`, a few KB per show): large enough for a long list, small
/// enough that an endless body stops early.
pub const MAX_USER_BODY_BYTES: u64 = 4 * 1024 * 1024;

/// Which endpoint a request or answer belongs to; the status codes mean different things.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum Endpoint {
    /// POST /auth/start
    Start,
    /// POST /auth/poll
    Poll,
    /// GET /auth/validate
    Validate,
    /// A request to the user API (`/user/...`), signed with HTTP Basic: a session's
    /// `fetch` (src/session/user_api.rs builds it).
    User(Method),
}

/// The HTTP methods of TVmaze's user API.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Endpoint {
    /// The request's method.
    pub fn method(self) -> &'static str {
        match self {
            Endpoint::Start | Endpoint::Poll | Endpoint::User(Method::Post) => "POST",
            Endpoint::Validate | Endpoint::User(Method::Get) => "GET",
            Endpoint::User(Method::Put) => "PUT",
            Endpoint::User(Method::Patch) => "PATCH",
            Endpoint::User(Method::Delete) => "DELETE",
        }
    }
}

/// A request, ready for fetch.
#[cfg_attr(test, derive(Debug))]
pub struct HttpRequest {
    /// Decides how the answer is read.
    pub endpoint: Endpoint,
    /// Never contains the API key: the key only travels in `authorization`.
    pub url: String,
    /// A JSON body for POST; `None` means GET.
    pub json_body: Option<String>,
    /// `Authorization` header value (validate only).
    pub authorization: Option<String>,
}

/// POST /auth/start `{"email": ..., "email_confirmation": ...}`.
pub fn start_request(base: &BaseUrl, email: &str, email_confirmation: bool) -> HttpRequest {
    let mut body = String::from("{\"email\":");
    push_json_string(&mut body, email);
    body.push_str(if email_confirmation {
        ",\"email_confirmation\":true}"
    } else {
        ",\"email_confirmation\":false}"
    });
    HttpRequest {
        endpoint: Endpoint::Start,
        url: url(base, "/auth/start"),
        json_body: Some(body),
        authorization: None,
    }
}

/// POST /auth/poll `{"token": ...}`.
pub fn poll_request(base: &BaseUrl, token: &str) -> HttpRequest {
    let mut body = String::from("{\"token\":");
    push_json_string(&mut body, token);
    body.push('}');
    HttpRequest {
        endpoint: Endpoint::Poll,
        url: url(base, "/auth/poll"),
        json_body: Some(body),
        authorization: None,
    }
}

/// GET /auth/validate with HTTP Basic credentials.
pub fn validate_request(base: &BaseUrl, username: &str, api_key: &str) -> HttpRequest {
    HttpRequest {
        endpoint: Endpoint::Validate,
        url: url(base, "/auth/validate"),
        json_body: None,
        authorization: Some(basic_auth::header_value(username, api_key)),
    }
}

fn url(base: &BaseUrl, path: &str) -> String {
    let mut url = String::with_capacity(base.root.len() + path.len());
    url.push_str(&base.root);
    url.push_str(path);
    url
}

/// Appends `s` as a JSON string literal. Hand-written so the shipped wasm carries no
/// JSON serializer; RFC 8259 only requires escaping `"`, `\` and control characters.
pub fn push_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let n = u32::from(c) as usize;
                out.push_str("\\u00");
                for nibble in [n >> 4, n & 15] {
                    out.push(HEX.get(nibble).map_or('0', |b| char::from(*b)));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// What to do after the status line, before looking at the body.
#[derive(PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum AfterStatus {
    /// 200: the body carries the answer.
    ReadBody,
    /// poll 403: the user has not confirmed yet; the body is irrelevant.
    Pending,
}

/// The meaning of every status of every endpoint. `retry_after_ms` is the parsed
/// Retry-After header, attached to RATE_LIMITED.
pub fn check_status(
    endpoint: Endpoint,
    status: u16,
    retry_after_ms: Option<u64>,
) -> Result<AfterStatus, AuthError> {
    let code = match status {
        200 => return Ok(AfterStatus::ReadBody),
        // Requests are sent with `redirect: "manual"` (TVmaze's auth endpoints never
        // redirect, and following one could carry a token elsewhere, even to plain
        // http). Browsers then report the redirect as an opaque answer with status 0,
        // which has no status worth reporting; Node reports the 30x itself (below).
        0 => return Err(AuthError::new(Code::BadResponse)),
        429 => {
            return Err(AuthError {
                retry_after_ms,
                ..AuthError::http(Code::RateLimited, status)
            })
        }
        500..=599 => Code::ServerError,
        // What each endpoint's own statuses mean: a new endpoint must say.
        _ => match endpoint {
            Endpoint::Start => match status {
                401 => Code::EmailNotConfirmed,
                404 => Code::EmailNotFound,
                _ => Code::BadResponse,
            },
            Endpoint::Poll => match status {
                403 => return Ok(AfterStatus::Pending),
                404 => Code::TokenNotFound,
                _ => Code::BadResponse,
            },
            Endpoint::Validate => match status {
                401 => Code::InvalidCredentials,
                _ => Code::BadResponse,
            },
            // The user API: any 2xx carries the answer (or nothing, as after a DELETE);
            // a 401 means the key no longer works (the user reset it); other 4xx are
            // refusals the caller reads from `status` (404: not followed, no such show).
            Endpoint::User(_) => match status {
                201..=299 => return Ok(AfterStatus::ReadBody),
                401 => Code::InvalidCredentials,
                400..=499 => Code::RequestRefused,
                _ => Code::BadResponse,
            },
        },
    };
    Err(AuthError::http(code, status))
}

/// A JSON object as the protocol reads it. The wasm shell implements it over the value
/// the JS engine's `JSON.parse` produced (no JSON parser or serde deserializer in the
/// shipped wasm: docs/size.md); the host tests
/// implement it over `serde_json::Value`. A body that is not a JSON object (null, an
/// array, a string, HTML, nothing) never becomes one: it arrives as `None`.
pub trait JsonObject {
    /// The field if it is a string.
    fn string(&self, key: &str) -> Option<String>;
    /// The field if it is a number.
    fn number(&self, key: &str) -> Option<f64>;
}

// The result types below are what the promises resolve with: `src/interop.rs` turns them
// into plain JS objects with serde-wasm-bindgen, using these serde attributes for the
// field names (camelCase, as the TypeScript types in src/typescript.rs spell them).

/// A started pairing request: `{ token, confirmUrl }`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub struct Started {
    /// Input for /auth/poll.
    pub token: String,
    /// Where the user confirms.
    pub confirm_url: String,
}

/// The answer carrying the API key (handed out once): `{ apiKey, username }`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub struct Confirmed {
    /// The user's API key.
    pub api_key: String,
    /// The user's TVmaze username.
    pub username: String,
}

/// One poll's answer: `{ status: "pending" }` or `{ status: "confirmed", apiKey, username }`.
#[derive(Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub enum Polled {
    /// The user has not confirmed yet.
    Pending,
    /// The user confirmed; this is the only time the key is handed out.
    Confirmed(Confirmed),
}

/// The user's premium level: `{ premium, level }`.
#[derive(Serialize)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub struct Premium {
    /// 0..=3.
    pub premium: u8,
    /// Its name: "none", "bronze", "silver" or "gold".
    pub level: &'static str,
}

impl Premium {
    fn new(premium: u8) -> Premium {
        let level = match premium {
            1 => "bronze",
            2 => "silver",
            3 => "gold",
            _ => "none",
        };
        Premium { premium, level }
    }
}

const BAD_BODY: AuthError = AuthError::http(Code::BadResponse, 200);

/// A string field that must be there and not be empty (an empty token or key could not
/// be used, so it is as bad as a missing one).
fn required(body: &impl JsonObject, key: &str) -> Result<String, AuthError> {
    body.string(key).filter(|s| !s.is_empty()).ok_or(BAD_BODY)
}

/// Interprets a 200 body of /auth/start: `{"token": string, "confirm_url": string}`.
/// Unknown fields are ignored, so TVmaze may add some. The confirm URL must be safe to
/// open (see [`safe_confirm_url`]): the caller is told to send the user there.
pub fn decode_start(body: Option<&impl JsonObject>, base: &BaseUrl) -> Result<Started, AuthError> {
    let body = body.ok_or(BAD_BODY)?;
    let confirm_url = required(body, "confirm_url")?;
    if !safe_confirm_url(&confirm_url, base.loopback) {
        return Err(BAD_BODY);
    }
    Ok(Started {
        token: required(body, "token")?,
        confirm_url,
    })
}

/// Whether `url` is a page a browser can be sent to without running or showing anything
/// the server chose: `https:`, or `http:` to a loopback host when the API itself is on
/// loopback (the local stand-in). Never `javascript:`, `data:`, `blob:` or plain http
/// elsewhere. Printable ASCII only, for the reason `args::base_url` gives: URL
/// parsers drop or reinterpret whitespace, controls and backslashes, so the scheme and
/// host checked here must be the ones a browser will use.
pub fn safe_confirm_url(url: &str, api_on_loopback: bool) -> bool {
    let bytes = url.as_bytes();
    if bytes
        .iter()
        .any(|&b| !(b'!'..=b'~').contains(&b) || b == b'\\')
    {
        return false;
    }
    if let Some(rest) = url::strip_scheme(bytes, b"https://") {
        return !rest.is_empty() && !matches!(rest.first(), Some(b'/' | b'?' | b'#'));
    }
    match url::strip_scheme(bytes, b"http://") {
        Some(rest) if api_on_loopback => {
            let end = rest
                .iter()
                .position(|b| matches!(b, b'/' | b'?' | b'#'))
                .unwrap_or(rest.len());
            rest.get(..end)
                .and_then(url::host_of)
                .is_some_and(url::is_loopback)
        }
        _ => false,
    }
}

/// Interprets a 200 body of /auth/poll: `{"apikey": string, "username": string}`.
pub fn decode_poll(body: Option<&impl JsonObject>) -> Result<Confirmed, AuthError> {
    let body = body.ok_or(BAD_BODY)?;
    Ok(Confirmed {
        api_key: required(body, "apikey")?,
        username: required(body, "username")?,
    })
}

/// Interprets a 200 body of /auth/validate: `{"premium": 0|1|2|3}`; anything else,
/// including 1.5 or "2", is BAD_RESPONSE.
pub fn decode_validate(body: Option<&impl JsonObject>) -> Result<Premium, AuthError> {
    match body.and_then(|b| b.number("premium")) {
        Some(n) if n == 0.0 || n == 1.0 || n == 2.0 || n == 3.0 => Ok(Premium::new(n as u8)),
        _ => Err(BAD_BODY),
    }
}

/// Whether a body of `len` bytes (read so far, or declared by Content-Length) is too
/// large to look at.
pub fn too_large(len: u64) -> bool {
    len > MAX_BODY_BYTES
}

/// [`too_large`] for an answer of `endpoint`: the user API's cap is larger.
pub fn too_large_for(endpoint: Endpoint, len: u64) -> bool {
    match endpoint {
        Endpoint::User(_) => len > MAX_USER_BODY_BYTES,
        _ => too_large(len),
    }
}

/// An answer that is not read (a pending poll, an error status) may be left as it is,
/// rather than aborted, when its body is exactly this long or shorter: every engine
/// buffers that much of a response without anyone reading it (Node's smallest stream
/// buffer is 16 KiB), so the whole answer arrives and its connection is reused. A
/// larger or unframed body is aborted, so that it cannot hold a connection; in Node the
/// abort costs about half as much as all the library's wasm does on such a call
/// (docs/benchmarks.md).
pub const UNREAD_BODY_MAX: u64 = 4 * 1024;

/// The number of bytes the body stream will give, when the headers fix it: a
/// Content-Length (`declared`, its digits) and no Content-Encoding (`coded` is whether
/// that header is present). A coded body is decoded by the engine, so its stream can be
/// any length. `headers_visible` is false for a cross-origin answer, whose
/// Content-Encoding the browser hides unless the server exposes it; then the length is
/// not known.
pub fn exact_body_length(declared: Option<u64>, coded: bool, headers_visible: bool) -> Option<u64> {
    declared.filter(|_| headers_visible && !coded)
}

/// Whether an answer whose body is not needed may be left unread (see
/// [`UNREAD_BODY_MAX`]) instead of aborted, given its Content-Length. Whatever its
/// coding: it is the bytes on the wire that must fit the engine's buffer, and a coded
/// body is decoded no further than a buffer ahead of its reader.
pub fn may_leave_unread(declared: Option<u64>) -> bool {
    declared.is_some_and(|len| len <= UNREAD_BODY_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::base_url;
    use crate::host_body::parse;

    fn base() -> BaseUrl {
        base_url(Some("https://api.tvmaze.com/v1/")).unwrap()
    }

    #[test]
    fn urls_are_built_from_the_base_without_double_slashes() {
        assert_eq!(
            start_request(&base(), "a@b", true).url,
            "https://api.tvmaze.com/v1/auth/start"
        );
        assert_eq!(
            poll_request(&base(), "t").url,
            "https://api.tvmaze.com/v1/auth/poll"
        );
        let local = base_url(Some("http://127.0.0.1:8081/v1")).unwrap();
        assert_eq!(
            validate_request(&local, "u", "k").url,
            "http://127.0.0.1:8081/v1/auth/validate"
        );
    }

    #[test]
    fn start_body_is_the_documented_json() {
        let r = start_request(&base(), "alice@example.com", true);
        let v: serde_json::Value = serde_json::from_str(r.json_body.as_deref().unwrap()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"email": "alice@example.com", "email_confirmation": true})
        );
        let r = start_request(&base(), "alice@example.com", false);
        let v: serde_json::Value = serde_json::from_str(r.json_body.as_deref().unwrap()).unwrap();
        assert_eq!(v["email_confirmation"], serde_json::json!(false));
        assert_eq!(r.endpoint, Endpoint::Start);
        assert!(r.authorization.is_none());
    }

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls() {
        let tricky = "a\"b\\c\nd\u{1}e\u{7f}é😀";
        let r = poll_request(&base(), tricky);
        let v: serde_json::Value = serde_json::from_str(r.json_body.as_deref().unwrap()).unwrap();
        assert_eq!(v, serde_json::json!({ "token": tricky }));
    }

    #[test]
    fn validate_sends_basic_auth_and_no_key_in_the_url() {
        let r = validate_request(&base(), "alice", "SECRETKEY");
        assert_eq!(r.json_body, None);
        assert_eq!(
            r.authorization.as_deref(),
            Some("Basic YWxpY2U6U0VDUkVUS0VZ")
        );
        assert!(!r.url.contains("SECRETKEY"));
        assert!(!r.url.contains("alice"));
    }

    fn code(e: Endpoint, status: u16) -> Result<AfterStatus, (Code, Option<u16>)> {
        check_status(e, status, None).map_err(|e| (e.code, e.status))
    }

    #[test]
    fn every_status_of_every_endpoint() {
        use Code::*;
        let user = Endpoint::User(Method::Delete);
        for endpoint in [Endpoint::Start, Endpoint::Poll, Endpoint::Validate, user] {
            for status in 0..=999u16 {
                let expected = match (endpoint, status) {
                    (_, 200) => Ok(AfterStatus::ReadBody),
                    (Endpoint::User(_), 201..=299) => Ok(AfterStatus::ReadBody),
                    (Endpoint::User(_), 401) => Err(InvalidCredentials),
                    (Endpoint::User(_), 429) => Err(RateLimited),
                    (Endpoint::User(_), 400..=499) => Err(RequestRefused),
                    (Endpoint::Poll, 403) => Ok(AfterStatus::Pending),
                    (_, 429) => Err(RateLimited),
                    (Endpoint::Start, 401) => Err(EmailNotConfirmed),
                    (Endpoint::Start, 404) => Err(EmailNotFound),
                    (Endpoint::Poll, 404) => Err(TokenNotFound),
                    (Endpoint::Validate, 401) => Err(InvalidCredentials),
                    (_, 500..=599) => Err(ServerError),
                    _ => Err(BadResponse),
                };
                // `status` is set whenever there was an HTTP response with a readable
                // status; 0 is a browser's opaque redirect.
                let got = code(endpoint, status);
                let status_seen = (status != 0).then_some(status);
                assert_eq!(
                    got,
                    expected.map_err(|c| (c, status_seen)),
                    "{endpoint:?} {status}"
                );
            }
        }
        // Spot checks that the table above is not just restating the code.
        assert_eq!(code(Endpoint::Start, 403), Err((BadResponse, Some(403))));
        assert_eq!(code(Endpoint::Validate, 404), Err((BadResponse, Some(404))));
        assert_eq!(code(Endpoint::Poll, 401), Err((BadResponse, Some(401))));
        assert_eq!(code(Endpoint::Start, 201), Err((BadResponse, Some(201))));
        assert_eq!(code(Endpoint::Poll, 503), Err((ServerError, Some(503))));
        // Redirects are never followed: a 30x (Node) or an opaque redirect (browsers).
        assert_eq!(code(Endpoint::Poll, 302), Err((BadResponse, Some(302))));
        assert_eq!(code(Endpoint::Start, 0), Err((BadResponse, None)));
    }

    #[test]
    fn rate_limited_carries_retry_after() {
        let e = check_status(Endpoint::Poll, 429, Some(1500)).unwrap_err();
        assert_eq!(e.code, Code::RateLimited);
        assert_eq!(e.retry_after_ms, Some(1500));
        assert_eq!(e.status, Some(429));
        // Retry-After on any other status is not a rate limit and is not reported.
        let e = check_status(Endpoint::Poll, 503, Some(1500));
        assert_eq!(e.unwrap_err().retry_after_ms, None);
    }

    // Bodies that are not any endpoint's documented JSON.
    const MALFORMED_FOR_ALL: [&str; 12] = [
        "",
        " ",
        "null",
        "[]",
        "[{}]",
        "{}",
        "\"text\"",
        "42",
        "true",
        "<html><body>Service Unavailable</body></html>",
        "{\"token\":",
        "{\"foo\":1}",
    ];

    #[test]
    fn start_bodies() {
        let ok = r#"{"token":"t1","confirm_url":"https://www.tvmaze.com/c/t1","extra":[1]}"#;
        assert_eq!(
            decode_start(parse(ok).as_ref(), &base()),
            Ok(Started {
                token: "t1".into(),
                confirm_url: "https://www.tvmaze.com/c/t1".into()
            })
        );
        let bad = [
            r#"{"token":"t1"}"#,
            r#"{"confirm_url":"u"}"#,
            r#"{"token":1,"confirm_url":"u"}"#,
            r#"{"token":"t","confirm_url":null}"#,
            r#"{"token":null,"confirm_url":"u"}"#,
            r#"{"token":["t"],"confirm_url":"u"}"#,
            r#"{"token":"","confirm_url":"u"}"#,
            r#"{"token":"t","confirm_url":""}"#,
            r#"[{"token":"t","confirm_url":"u"}]"#,
            r#"["t","u"]"#,
        ];
        for body in MALFORMED_FOR_ALL.iter().chain(&bad) {
            let e = decode_start(parse(body).as_ref(), &base()).unwrap_err();
            assert_eq!((e.code, e.status), (Code::BadResponse, Some(200)), "{body}");
        }
    }

    #[test]
    fn poll_bodies() {
        let ok = r#"{"apikey":"K","username":"alice"}"#;
        assert_eq!(
            decode_poll(parse(ok).as_ref()),
            Ok(Confirmed {
                api_key: "K".into(),
                username: "alice".into()
            })
        );
        let bad = [
            r#"{"apikey":"K"}"#,
            r#"{"username":"alice"}"#,
            r#"{"apiKey":"K","username":"alice"}"#,
            r#"{"apikey":1,"username":"alice"}"#,
            r#"{"apikey":"K","username":false}"#,
            r#"{"apikey":"","username":"alice"}"#,
            r#"{"apikey":"K","username":""}"#,
        ];
        for body in MALFORMED_FOR_ALL.iter().chain(&bad) {
            let e = decode_poll(parse(body).as_ref()).unwrap_err();
            assert_eq!((e.code, e.status), (Code::BadResponse, Some(200)), "{body}");
        }
    }

    #[test]
    fn validate_bodies() {
        for (body, level) in [
            (r#"{"premium":0}"#, "none"),
            (r#"{"premium":1}"#, "bronze"),
            (r#"{"premium":2,"other":"x"}"#, "silver"),
            (r#"{"premium":3}"#, "gold"),
        ] {
            let p = decode_validate(parse(body).as_ref()).unwrap();
            assert_eq!(p.level, level);
        }
        let bad = [
            r#"{"premium":4}"#,
            r#"{"premium":-1}"#,
            r#"{"premium":256}"#,
            r#"{"premium":1.5}"#,
            r#"{"premium":"2"}"#,
            r#"{"premium":null}"#,
            r#"{"premium":true}"#,
            r#"{"premium":[2]}"#,
            r#"{"premium":2e400}"#,
        ];
        for body in MALFORMED_FOR_ALL.iter().chain(&bad) {
            let e = decode_validate(parse(body).as_ref()).unwrap_err();
            assert_eq!((e.code, e.status), (Code::BadResponse, Some(200)), "{body}");
        }
    }

    #[test]
    fn confirm_urls_must_be_safe_to_open() {
        let local = base_url(Some("http://127.0.0.1:8081/v1")).unwrap();
        let start = |url: &str, base: &BaseUrl| {
            let body = serde_json::json!({ "token": "t", "confirm_url": url }).to_string();
            decode_start(parse(&body).as_ref(), base).map(|s| s.confirm_url)
        };
        for ok in [
            "https://www.tvmaze.com/auth/confirm?token=t",
            "HTTPS://tvmaze.com/c/t#x",
            "https://[2001:db8::1]/c",
        ] {
            assert_eq!(start(ok, &base()), Ok(ok.to_string()), "{ok}");
            assert_eq!(start(ok, &local), Ok(ok.to_string()), "{ok}");
        }
        for ok in [
            "http://127.0.0.1:8081/confirm/t",
            "http://localhost/confirm/t",
            "http://[::1]:1/c?x",
        ] {
            assert_eq!(start(ok, &local), Ok(ok.to_string()), "{ok}");
            // Plain http is only for a local stand-in, never for the real API.
            assert_eq!(start(ok, &base()), Err(BAD_BODY), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript://%0aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "blob:https://www.tvmaze.com/0",
            "http://www.tvmaze.com/c",
            "http://127.0.0.1.evil.example/c",
            "http://127.0.0.1@evil.example/c",
            "http://localhost.evil.example/",
            "https://",
            "https:///path",
            "https:/www.tvmaze.com",
            " https://www.tvmaze.com/",
            "https://www.tvmaze.com/\t",
            "https://www.tv\\maze.com/",
            "https://www.tvmaze.com/\u{e9}",
            "//www.tvmaze.com/c",
            "/confirm/t",
        ] {
            assert_eq!(start(bad, &local), Err(BAD_BODY), "{bad:?}");
            assert_eq!(start(bad, &base()), Err(BAD_BODY), "{bad:?}");
        }
    }

    #[test]
    fn results_have_the_documented_js_shapes() {
        fn json(v: impl serde::Serialize) -> serde_json::Value {
            serde_json::to_value(v).unwrap()
        }
        let started = Started {
            token: "t".into(),
            confirm_url: "https://x/c".into(),
        };
        assert_eq!(
            json(started),
            serde_json::json!({"token": "t", "confirmUrl": "https://x/c"})
        );
        let confirmed = || Confirmed {
            api_key: "K".into(),
            username: "alice".into(),
        };
        assert_eq!(
            json(confirmed()),
            serde_json::json!({"apiKey": "K", "username": "alice"})
        );
        assert_eq!(
            json(Polled::Pending),
            serde_json::json!({"status": "pending"})
        );
        assert_eq!(
            json(Polled::Confirmed(confirmed())),
            serde_json::json!({"status": "confirmed", "apiKey": "K", "username": "alice"})
        );
        assert_eq!(
            json(Premium::new(2)),
            serde_json::json!({"premium": 2, "level": "silver"})
        );
    }

    #[test]
    fn oversized_bodies_are_not_parsed() {
        let mut huge = String::from(r#"{"premium":1,"pad":""#);
        huge.push_str(&"x".repeat(MAX_BODY_BYTES as usize));
        huge.push_str("\"}");
        assert!(
            serde_json::from_str::<serde_json::Value>(&huge).is_ok(),
            "valid JSON"
        );
        assert_eq!(decode_validate(parse(&huge).as_ref()), Err(BAD_BODY));
        assert!(too_large(5_000_000));
        assert!(too_large(u64::MAX));
        assert!(!too_large(MAX_BODY_BYTES));
        assert!(too_large(MAX_BODY_BYTES + 1));
    }

    #[test]
    fn body_length_is_exact_only_when_uncoded_and_visible() {
        assert_eq!(exact_body_length(Some(13), false, true), Some(13));
        assert_eq!(exact_body_length(Some(0), false, true), Some(0));
        // Decoded by the engine: the stream's length is not the declared one.
        assert_eq!(exact_body_length(Some(13), true, true), None);
        // Cross-origin: a coding may be there and hidden.
        assert_eq!(exact_body_length(Some(13), false, false), None);
        assert_eq!(exact_body_length(None, false, true), None);
    }

    #[test]
    fn only_a_short_framed_body_is_left_unread() {
        assert!(may_leave_unread(Some(0)));
        assert!(may_leave_unread(Some(UNREAD_BODY_MAX)));
        assert!(!may_leave_unread(Some(UNREAD_BODY_MAX + 1)));
        assert!(!may_leave_unread(None));
    }
}
