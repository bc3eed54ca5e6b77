//! Argument and option checks, and the defaults of the options. Everything here runs
//! before any request, so a rejected argument means nothing was sent (INVALID_ARGUMENT).

use crate::error::{AuthError, INVALID};
use crate::url::{host_of, is_loopback, strip_scheme};

/// TVmaze's own API root, used when `baseUrl` is not given.
pub const DEFAULT_BASE_URL: &str = "https://api.tvmaze.com/v1";
/// Per-request timeout when `timeoutMs` is not given.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// waitForConfirmation's poll interval when `intervalMs` is not given: TVmaze's limit.
pub const DEFAULT_INTERVAL_MS: u32 = 10_000;
/// waitForConfirmation's deadline when `deadlineMs` is not given: 15 minutes, the
/// lifetime TVmaze's tokens are commonly given.
pub const DEFAULT_DEADLINE_MS: u32 = 15 * 60 * 1000;
/// Consecutive transient failures waitForConfirmation retries when not told otherwise.
pub const DEFAULT_MAX_TRANSIENT_ERRORS: u32 = 3;
/// The largest delay `setTimeout` honours (2^31 - 1 ms, about 24.8 days); larger values
/// would fire at once, so every millisecond option is capped here.
pub const MAX_DELAY_MS: u32 = i32::MAX as u32;

/// The longest email address accepted, in UTF-16 units: SMTP's limit on an address
/// (RFC 5321's 256-octet path, less its angle brackets). Checked before the string is
/// copied into wasm memory, so a 100 MB argument costs nothing.
pub const MAX_EMAIL_LEN: u32 = 254;
/// The longest token, username, API key or `baseUrl` accepted, in UTF-16 units. TVmaze's
/// are a few dozen characters; the cap keeps a runaway argument out of wasm memory.
pub const MAX_STRING_LEN: u32 = 2048;

/// A checked `baseUrl`.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub struct BaseUrl {
    /// The URL without trailing slashes, ready to have "/auth/..." appended.
    pub root: String,
    /// Whether the host is a loopback address: those may use http and poll faster.
    pub loopback: bool,
}

/// Whether `s` is empty or Unicode whitespace only.
fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Rejects empty and whitespace-only strings.
pub fn non_blank(s: &str) -> Result<&str, AuthError> {
    if blank(s) {
        Err(INVALID)
    } else {
        Ok(s)
    }
}

/// A username for HTTP Basic (RFC 7617): non-blank, no `:` (the server splits
/// `username:apikey` at the first one, so the rest would become part of the key) and no
/// control character (CR and LF could end the header line on a lax server).
pub fn username(s: &str) -> Result<&str, AuthError> {
    if s.contains(|c: char| c == ':' || c.is_control()) {
        return Err(INVALID);
    }
    non_blank(s)
}

/// An API key for HTTP Basic: non-blank and no control character (as [`username`]).
pub fn api_key(s: &str) -> Result<&str, AuthError> {
    if s.contains(char::is_control) {
        return Err(INVALID);
    }
    non_blank(s)
}

/// Exactly one `@`, with non-blank text on both sides. Deliberately loose beyond that:
/// TVmaze decides which addresses exist, and a stricter check would refuse real ones.
pub fn email(s: &str) -> Result<&str, AuthError> {
    // Searched as bytes: `split_once('@')` is larger (docs/size.md). `@` is ASCII, so
    // its byte index is a char boundary and neither `get` can miss.
    let invalid = INVALID;
    let at = s.bytes().position(|b| b == b'@').ok_or(invalid)?;
    let local = s.get(..at).unwrap_or_default();
    let domain = s.get(at + 1..).unwrap_or_default();
    if blank(local) || blank(domain) || domain.bytes().any(|b| b == b'@') {
        Err(invalid)
    } else {
        Ok(s)
    }
}

/// Checks `baseUrl`: https anywhere, or http to a loopback host (127.0.0.0/8,
/// `localhost`, `[::1]`). Anything else could send the API key in clear text.
///
/// Works on bytes and accepts printable ASCII only (an internationalised host must be
/// given in its `xn--` form): URL parsers strip or reinterpret whitespace, controls and
/// backslashes, so the host checked here might otherwise not be the host fetch uses (and
/// a char-based version is larger: docs/size.md).
pub fn base_url(raw: Option<&str>) -> Result<BaseUrl, AuthError> {
    let invalid = INVALID;
    let url = raw.unwrap_or(DEFAULT_BASE_URL);
    let bytes = url.as_bytes();
    // A query or fragment would end up in front of "/auth/...", and userinfo has no
    // business in an API root (and can disguise the host).
    if bytes
        .iter()
        .any(|&b| !(b'!'..=b'~').contains(&b) || matches!(b, b'\\' | b'?' | b'#' | b'@'))
    {
        return Err(invalid);
    }
    let (https, rest) = match (
        strip_scheme(bytes, b"https://"),
        strip_scheme(bytes, b"http://"),
    ) {
        (Some(rest), _) => (true, rest),
        (None, Some(rest)) => (false, rest),
        (None, None) => return Err(invalid),
    };
    let authority = rest.split(|&b| b == b'/').next().unwrap_or_default();
    let host = host_of(authority).ok_or(invalid)?;
    let loopback = is_loopback(host);
    if !https && !loopback {
        return Err(invalid);
    }
    let mut end = bytes.len();
    while end > 0 && bytes.get(end - 1) == Some(&b'/') {
        end -= 1;
    }
    Ok(BaseUrl {
        root: url.get(..end).unwrap_or(url).into(),
        loopback,
    })
}

/// A millisecond option: finite, within `min..=MAX_DELAY_MS`; fractions round up.
pub fn millis(v: Option<f64>, default: u32, min: f64) -> Result<u32, AuthError> {
    match v {
        None => Ok(default),
        Some(v) if v.is_finite() && v >= min && v <= f64::from(MAX_DELAY_MS) => Ok(v.ceil() as u32),
        Some(_) => Err(INVALID),
    }
}

/// A count option: a whole number within `0..=MAX_DELAY_MS`.
pub fn count(v: Option<f64>, default: u32) -> Result<u32, AuthError> {
    match v {
        Some(v) if v.fract() != 0.0 => Err(INVALID),
        v => millis(v, default, 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_strings_are_rejected() {
        for s in ["", " ", "\t\n", "\u{a0}"] {
            assert_eq!(non_blank(s), Err(INVALID), "{s:?}");
        }
        assert_eq!(non_blank(" x "), Ok(" x "));
    }

    #[test]
    fn basic_auth_parts_refuse_colons_and_control_characters() {
        for bad in [
            "al:ice", "al\rice", "al\nice", "al\u{0}", "\u{7f}", "a\u{85}", "",
        ] {
            assert_eq!(username(bad), Err(INVALID), "{bad:?}");
        }
        for bad in ["k\r\nX-Injected: 1", "k\t", "\u{0}", " "] {
            assert_eq!(api_key(bad), Err(INVALID), "{bad:?}");
        }
        assert_eq!(username("alice"), Ok("alice"));
        assert_eq!(username("ålice smith"), Ok("ålice smith"));
        // A colon is fine in the key: the server splits at the first one only.
        assert_eq!(api_key("k:e:y"), Ok("k:e:y"));
    }

    #[test]
    fn email_needs_exactly_one_at_between_non_blank_parts() {
        for bad in [
            "",
            "alice",
            "@example.com",
            "alice@",
            " @x",
            "a@ ",
            "a@b@c",
            "@",
        ] {
            assert_eq!(email(bad), Err(INVALID), "{bad:?}");
        }
        for good in ["alice@example.com", "a@b", "first.last+tag@sub.example.org"] {
            assert_eq!(email(good), Ok(good));
        }
    }

    fn ok(url: &str) -> BaseUrl {
        base_url(Some(url)).unwrap_or_else(|_| panic!("{url} should be accepted"))
    }

    #[test]
    fn default_base_url_is_tvmaze() {
        let b = base_url(None).unwrap();
        assert_eq!(b.root, "https://api.tvmaze.com/v1");
        assert!(!b.loopback);
    }

    #[test]
    fn trailing_slashes_are_dropped() {
        assert_eq!(
            ok("https://api.tvmaze.com/v1/").root,
            "https://api.tvmaze.com/v1"
        );
        assert_eq!(ok("https://example.com//").root, "https://example.com");
        assert_eq!(
            ok("http://127.0.0.1:8081/v1").root,
            "http://127.0.0.1:8081/v1"
        );
    }

    #[test]
    fn https_is_accepted_for_any_host() {
        for url in [
            "https://api.tvmaze.com/v1",
            "HTTPS://API.TVMAZE.COM/v1",
            "https://example.com:8443/",
            "https://[2001:db8::1]:443/v1",
            "https://127.0.0.1/v1",
        ] {
            ok(url);
        }
    }

    #[test]
    fn http_is_accepted_only_for_loopback() {
        for url in [
            "http://127.0.0.1:8081/v1",
            "http://127.255.3.4/",
            "http://localhost:9/v1",
            "http://LOCALHOST",
            "http://[::1]:8081/v1",
        ] {
            assert!(ok(url).loopback, "{url}");
        }
        for url in [
            "http://api.tvmaze.com/v1",
            "http://128.0.0.1/",
            "http://127.0.0.1.evil.example/",
            "http://127.0.0/",
            "http://127.0.0.256/",
            "http://127.1/",
            "http://0x7f.0.0.1/",
            "http://localhost.evil.example/",
            "http://[::2]/",
            "http://10.0.0.1/",
        ] {
            assert_eq!(base_url(Some(url)), Err(INVALID), "{url}");
        }
    }

    #[test]
    fn malformed_base_urls_are_rejected() {
        for url in [
            "",
            "api.tvmaze.com/v1",
            "ftp://api.tvmaze.com",
            "https://",
            "https:///v1",
            "https://:443/v1",
            "https://api.tvmaze.com:/v1",
            "https://api.tvmaze.com:x/v1",
            "https://api.tvmaze.com/v1?x=1",
            "https://api.tvmaze.com/v1#frag",
            "http://localhost@evil.example/",
            "https://user:pass@api.tvmaze.com/",
            "https://api.tvmaze.com /v1",
            "http://127.0.0.1\\@evil.example/",
            "https://[::1/",
            "https://[::1]x/",
            "javascript:alert(1)",
        ] {
            assert_eq!(base_url(Some(url)), Err(INVALID), "{url:?}");
        }
    }

    #[test]
    fn ordinary_hosts_and_ports_pass() {
        for url in [
            "https://1.example.com/v1",
            "https://api.tvmaze.com./v1",
            "https://my_host.example:8443/v1",
            "https://203.0.113.9/v1",
            "http://127.0.0.1:65535/v1",
            "https://[2001:db8::ffff:1.2.3.4]/v1",
        ] {
            ok(url);
        }
    }

    #[test]
    fn millis_checks_finite_and_range() {
        assert_eq!(millis(None, 7, 1.0), Ok(7));
        assert_eq!(millis(Some(1.0), 7, 1.0), Ok(1));
        assert_eq!(millis(Some(1.2), 7, 1.0), Ok(2));
        assert_eq!(millis(Some(2_147_483_647.0), 7, 0.0), Ok(MAX_DELAY_MS));
        for bad in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -1.0,
            0.5,
            2_147_483_648.0,
        ] {
            assert_eq!(millis(Some(bad), 7, 1.0), Err(INVALID), "{bad}");
        }
        assert_eq!(millis(Some(0.0), 7, 0.0), Ok(0));
    }

    #[test]
    fn count_must_be_a_whole_number() {
        assert_eq!(count(None, 3), Ok(3));
        assert_eq!(count(Some(0.0), 3), Ok(0));
        assert_eq!(count(Some(10.0), 3), Ok(10));
        for bad in [1.5, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(count(Some(bad), 3), Err(INVALID), "{bad}");
        }
    }
}
