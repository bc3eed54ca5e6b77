//! One input drives everything the client does with a server's answer: the status of
//! any endpoint, a Retry-After header at any "now", and the body through the three
//! decoders. It fails on a panic (which would poison the wasm module) and on any answer
//! that is not a result or an error code the caller can act on.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tvmaze_auth::__fuzz::{
    base_url, check_status, decode_poll, decode_start, decode_validate, parse_body as parse,
    retry_after, AfterStatus, AuthError, Code, Endpoint, MAX_RETRY_AFTER_MS,
};

/// Whether `url` starts with `scheme` (schemes are case-insensitive).
fn has_scheme(url: &str, scheme: &str) -> bool {
    url.get(..scheme.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
}

fn assert_bad_body(e: &AuthError) {
    assert!(e.code == Code::BadResponse && e.status == Some(200));
}

// Layout: status (2 bytes LE), endpoint (1), now (8 LE), then the Retry-After value up
// to the first NUL byte, and the body after it.
fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_at_checked(11) else {
        return;
    };
    let status = u16::from_le_bytes([head[0], head[1]]);
    let endpoint = match head[2] % 3 {
        0 => Endpoint::Start,
        1 => Endpoint::Poll,
        _ => Endpoint::Validate,
    };
    let mut now = [0u8; 8];
    now.copy_from_slice(&head[3..11]);
    let now = u64::from_le_bytes(now);
    let (header, body) = match rest.iter().position(|b| *b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };

    let retry_after_ms = retry_after(&String::from_utf8_lossy(header), now);
    assert!(retry_after_ms.is_none_or(|ms| ms <= MAX_RETRY_AFTER_MS));
    match check_status(endpoint, status, retry_after_ms) {
        Ok(AfterStatus::ReadBody) => assert_eq!(status, 200),
        Ok(AfterStatus::Pending) => assert!(endpoint == Endpoint::Poll && status == 403),
        Err(e) => {
            // Status 0 is what browsers report for a redirect not followed: no status.
            if status == 0 {
                assert!(e.code == Code::BadResponse && e.status.is_none());
            } else {
                assert_eq!(e.status, Some(status));
            }
            assert!(!e.code.as_str().is_empty());
            assert!(!matches!(
                e.code,
                Code::InvalidArgument | Code::Network | Code::Timeout | Code::Deadline
            ));
        }
    }

    let body = parse(body);
    for (api, loopback) in [
        ("https://api.tvmaze.com/v1", false),
        ("http://127.0.0.1:8081/v1", true),
    ] {
        let Ok(base) = base_url(Some(api)) else {
            panic!("{api} is a valid base");
        };
        match decode_start(body.as_ref(), &base) {
            Ok(s) => {
                assert!(!s.token.is_empty());
                // Only a page a browser may be sent to.
                assert!(
                    has_scheme(&s.confirm_url, "https://")
                        || (loopback && has_scheme(&s.confirm_url, "http://"))
                );
            }
            Err(e) => assert_bad_body(&e),
        }
    }
    match decode_poll(body.as_ref()) {
        Ok(c) => assert!(!c.api_key.is_empty() && !c.username.is_empty()),
        Err(e) => assert_bad_body(&e),
    }
    match decode_validate(body.as_ref()) {
        Ok(p) => assert!(p.premium <= 3),
        Err(e) => assert_bad_body(&e),
    }
});
