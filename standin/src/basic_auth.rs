//! Strict parsing of an `Authorization: Basic` header (RFC 7617).
//!
//! Anything that is not exactly one well-formed Basic credential is rejected, so a
//! malformed header is a plain 401 and never reaches a panic or a 500.

use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// A username and password (for TVmaze: username and API key).
pub struct Credentials {
    /// The TVmaze username.
    pub username: String,
    /// The API key. Never logged or echoed.
    pub password: String,
}

/// The credentials in `headers`, or `None` if there are none or they are malformed.
pub fn credentials(headers: &HeaderMap) -> Option<Credentials> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let value = values.next()?;
    // Two Authorization headers are ambiguous; refuse rather than pick one.
    if values.next().is_some() {
        return None;
    }
    parse(value.to_str().ok()?)
}

/// Parses `Basic <base64(user:password)>`; the scheme name is case-insensitive.
pub fn parse(value: &str) -> Option<Credentials> {
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") || encoded.is_empty() {
        return None;
    }
    // STANDARD insists on canonical padding and rejects whitespace and other alphabets.
    let decoded = STANDARD.decode(encoded).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    // RFC 7617 forbids control characters in user-id and password.
    if text.chars().any(char::is_control) {
        return None;
    }
    let (username, password) = text.split_once(':')?;
    if username.is_empty() {
        return None;
    }
    Some(Credentials {
        username: username.to_owned(),
        password: password.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(value: &str) -> (String, String) {
        let c = parse(value).expect("should parse");
        (c.username, c.password)
    }

    #[test]
    fn accepts_well_formed_headers() {
        // "alice:key"
        assert_eq!(ok("Basic YWxpY2U6a2V5"), ("alice".into(), "key".into()));
        assert_eq!(ok("basic YWxpY2U6a2V5"), ("alice".into(), "key".into()));
        // "a:b:c" - the password may contain colons
        assert_eq!(ok("Basic YTpiOmM="), ("a".into(), "b:c".into()));
    }

    #[test]
    fn rejects_malformed_headers() {
        for bad in [
            "",
            "Basic",
            "Basic ",
            "Basic  YWxpY2U6a2V5",
            "Bearer YWxpY2U6a2V5",
            "Basic YWxpY2U6a2V5 extra",
            "Basic !!!!",
            "Basic YWxpY2U",  // "alice": no colon
            "Basic OmtleQ==", // ":key": empty username
            "Basic YTpiOmM",  // missing padding
            "Basic /w==",     // not UTF-8
            "Basic YQlhOmI=", // "a\ta:b": control character
        ] {
            assert!(parse(bad).is_none(), "accepted {bad:?}");
        }
    }
}
