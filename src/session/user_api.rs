//! A session's signed request to TVmaze's user API: which paths and methods it may
//! send, and the request itself (HTTP Basic, like validate). What the answer means is
//! in `protocol::check_status`, with the other endpoints'.

use crate::args::{self, BaseUrl, MAX_STRING_LEN};
use crate::basic_auth;
use crate::error::{AuthError, INVALID};
use crate::protocol::{Endpoint, HttpRequest, Method, MAX_BODY_BYTES};

/// The path prefixes a session signs requests for: the user API, and scrobbling, which
/// takes the same credentials. Nothing else gets the key.
const PREFIXES: [&str; 2] = ["/user/", "/scrobble/"];

/// `method` as the user API takes it (case-insensitive, as fetch reads it).
pub fn method(method: Option<&str>) -> Result<Method, AuthError> {
    let Some(m) = method else {
        return Ok(Method::Get);
    };
    [
        ("GET", Method::Get),
        ("PUT", Method::Put),
        ("POST", Method::Post),
        ("PATCH", Method::Patch),
        ("DELETE", Method::Delete),
    ]
    .into_iter()
    .find(|(name, _)| name.eq_ignore_ascii_case(m))
    .map(|(_, m)| m)
    .ok_or(INVALID)
}

/// Whether `path` is a user-API path that a URL parser cannot turn into another one:
/// one of [`PREFIXES`], printable ASCII (anything else percent-encoded), no `\`, no
/// fragment, and no dot segment (`..` or `%2e`, which fetch would resolve, leaving the
/// user API with the key). A query is fine.
pub fn path(path: &str) -> bool {
    let bytes = path.as_bytes();
    if path.len() > MAX_STRING_LEN as usize
        || !PREFIXES.iter().any(|p| path.starts_with(p))
        || bytes
            .iter()
            .any(|&b| !(b'!'..=b'~').contains(&b) || matches!(b, b'\\' | b'#'))
    {
        return false;
    }
    // Bytes, as `args::base_url` reads URLs (str's splitter links panic formatting).
    let end = bytes.iter().position(|&b| b == b'?').unwrap_or(bytes.len());
    let route = bytes.get(..end).unwrap_or_default();
    !route.split(|&b| b == b'/').any(|segment| {
        segment == b"."
            || segment == b".."
            || segment.windows(3).any(|w| w.eq_ignore_ascii_case(b"%2e"))
    })
}

/// The request: `base` + `path`, signed with `username` and `api_key`, with `json` as
/// its body (sent as application/json) when given.
pub fn request(
    base: &BaseUrl,
    username: &str,
    api_key: &str,
    path: &str,
    method: Method,
    json: Option<String>,
) -> Result<HttpRequest, AuthError> {
    let (username, api_key) = (args::username(username)?, args::api_key(api_key)?);
    if !self::path(path)
        || json
            .as_ref()
            .is_some_and(|j| j.len() as u64 > MAX_BODY_BYTES)
    {
        return Err(INVALID);
    }
    let mut url = String::with_capacity(base.root.len() + path.len());
    url.push_str(&base.root);
    url.push_str(path);
    Ok(HttpRequest {
        endpoint: Endpoint::User(method),
        url,
        json_body: json,
        authorization: Some(basic_auth::header_value(username, api_key)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::base_url;

    fn base() -> BaseUrl {
        base_url(Some("https://api.tvmaze.com/v1/")).unwrap()
    }

    #[test]
    fn user_api_paths_pass() {
        for ok in [
            "/user/follows/shows",
            "/user/follows/shows/82",
            "/user/follows/shows?embed=show",
            "/user/episodes?show_id=1",
            "/scrobble/shows?tvmaze_id=1",
            "/user/tags/1/shows/2",
            "/user/a%20b",
        ] {
            assert!(path(ok), "{ok}");
        }
    }

    #[test]
    fn anything_that_could_leave_the_user_api_is_refused() {
        for bad in [
            "",
            "/",
            "user/follows",
            "/users/follows",
            "/auth/validate",
            "//evil.example/user/x",
            "/user/../auth/start",
            "/user/./x",
            "/user/%2e%2e/auth/poll",
            "/user/%2E./auth/poll",
            "/user/x/..",
            "/user/x#frag",
            "/user/x\\..\\..\\auth",
            "/user/a b",
            "/user/\u{e9}",
            "/user/x\n",
        ] {
            assert!(!path(bad), "{bad:?}");
        }
        assert!(!path(&format!("/user/{}", "x".repeat(2048))));
    }

    #[test]
    fn methods_are_the_user_apis() {
        assert_eq!(method(None), Ok(Method::Get));
        assert_eq!(method(Some("delete")), Ok(Method::Delete));
        assert_eq!(method(Some("PUT")), Ok(Method::Put));
        for bad in ["HEAD", "CONNECT", "TRACE", "OPTIONS", "", "GET "] {
            assert_eq!(method(Some(bad)), Err(INVALID), "{bad}");
        }
    }

    #[test]
    fn the_key_travels_in_the_authorization_header_only() {
        let r = request(
            &base(),
            "alice",
            "SECRETKEY",
            "/user/follows/shows/82",
            Method::Put,
            None,
        )
        .unwrap();
        assert_eq!(r.url, "https://api.tvmaze.com/v1/user/follows/shows/82");
        assert_eq!(r.endpoint, Endpoint::User(Method::Put));
        assert_eq!(r.endpoint.method(), "PUT");
        assert_eq!(
            r.authorization.as_deref(),
            Some("Basic YWxpY2U6U0VDUkVUS0VZ")
        );
        assert!(!r.url.contains("SECRETKEY"));
        assert_eq!(r.json_body, None);
        let r = request(
            &base(),
            "alice",
            "k",
            "/user/tags",
            Method::Post,
            Some("{}".into()),
        )
        .unwrap();
        assert_eq!(r.json_body.as_deref(), Some("{}"));
    }

    #[test]
    fn bad_credentials_paths_and_bodies_send_nothing() {
        let b = base();
        assert_eq!(
            request(&b, "a:b", "k", "/user/x", Method::Get, None).err(),
            Some(INVALID)
        );
        assert_eq!(
            request(&b, "alice", " ", "/user/x", Method::Get, None).err(),
            Some(INVALID)
        );
        assert_eq!(
            request(&b, "alice", "k", "/auth/poll", Method::Get, None).err(),
            Some(INVALID)
        );
        let huge = "x".repeat(MAX_BODY_BYTES as usize + 1);
        assert_eq!(
            request(&b, "alice", "k", "/user/x", Method::Post, Some(huge)).err(),
            Some(INVALID)
        );
    }
}
