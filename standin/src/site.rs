//! Who may drive or read what: the checks of where a request comes from, as far as a
//! browser lets a server tell. Scripts and curl send none of these headers and pass.

use std::net::{Ipv4Addr, Ipv6Addr};

use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, HeaderValue};

/// Whether a request comes from another site than this origin's own pages, judged as
/// browsers allow (the confirm page's decisions and the demo's outbox):
/// - `Sec-Fetch-Site`, which page scripts cannot set, decides when present:
///   `same-origin` and `none` (the user's own action) pass; `cross-site` and unknown
///   values are refused; `same-site` (e.g. another port of the same host) passes only
///   with an `Origin` equal to this page's own, since a sibling site is still another
///   origin. With `same-origin`, `Origin` is not compared: the confirm page's
///   `Referrer-Policy: no-referrer` makes browsers send `Origin: null` on its own form.
/// - Without it (older browsers, curl, scripts), an `Origin` other than this page's
///   own, including `null`, is refused; no `Origin` at all passes.
///
/// This origin is `http://` plus the `Host` the request was sent to.
pub fn from_another_site(headers: &HeaderMap) -> bool {
    let origin = headers.get(ORIGIN).map(HeaderValue::as_bytes);
    let own_origin = || {
        let (Some(origin), Some(host)) = (origin, headers.get(HOST)) else {
            return false;
        };
        origin
            .strip_prefix(b"http://")
            .is_some_and(|rest| rest.eq_ignore_ascii_case(host.as_bytes()))
    };
    match headers.get("sec-fetch-site").map(HeaderValue::as_bytes) {
        Some(b"same-origin" | b"none") => false,
        Some(b"same-site") => !own_origin(),
        Some(_) => true,
        None => origin.is_some() && !own_origin(),
    }
}

/// Whether a request to a test helper comes from outside the loopback sites. The wasm
/// suites call the helpers from the test runner's page, another port of 127.0.0.1 (so
/// `same-site` and another origin), which is why this is looser than
/// [`from_another_site`]: `Sec-Fetch-Site` may be `same-origin`, `same-site` or `none`,
/// and an `Origin`, if sent, must be a loopback `http` origin. Any web page elsewhere is
/// `cross-site`, or sends its own non-loopback `Origin`, and is refused.
pub fn from_outside_loopback(headers: &HeaderMap) -> bool {
    match headers.get("sec-fetch-site").map(HeaderValue::as_bytes) {
        None | Some(b"same-origin" | b"same-site" | b"none") => {}
        Some(_) => return true,
    }
    headers
        .get(ORIGIN)
        .is_some_and(|origin| !is_loopback_origin(origin.as_bytes()))
}

/// Whether the `Host` a request was sent to names this machine by address (or as
/// `localhost`), not by a domain name. A page whose domain was re-pointed at 127.0.0.1
/// (DNS rebinding) is same-origin with itself and sends no `Origin` on a GET, but its
/// `Host` still names its domain: this tells it apart. No `Host` at all is refused.
pub fn host_is_an_address(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<Ipv4Addr>().is_ok()
        || name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .is_some_and(|n| n.parse::<Ipv6Addr>().is_ok())
}

/// Whether `origin` is `http://` + a loopback host (127.0.0.0/8, `localhost`, `[::1]`)
/// with an optional port, and nothing else.
pub fn is_loopback_origin(origin: &[u8]) -> bool {
    let Some(rest) = std::str::from_utf8(origin)
        .ok()
        .and_then(|o| o.strip_prefix("http://"))
    else {
        return false;
    };
    let (host, port) = match rest.rsplit_once(':') {
        // `[::1]` alone has colons but no port.
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (rest, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .and_then(|h| h.parse::<Ipv6Addr>().ok())
            .is_some_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(HOST, HeaderValue::from_static("127.0.0.1:8081"));
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn decisions_from_another_site_are_told_apart() {
        let own = "http://127.0.0.1:8081";
        let allowed: &[&[(&str, &str)]] = &[
            &[],
            &[("origin", own)],
            &[("sec-fetch-site", "same-origin")],
            &[("sec-fetch-site", "same-origin"), ("origin", "null")],
            &[("sec-fetch-site", "none")],
            &[("sec-fetch-site", "same-site"), ("origin", own)],
        ];
        for pairs in allowed {
            assert!(!from_another_site(&headers(pairs)), "{pairs:?}");
        }
        let refused: &[&[(&str, &str)]] = &[
            &[("origin", "https://evil.example")],
            &[("origin", "null")],
            &[("origin", "http://127.0.0.1:8080")],
            &[("origin", "http://127.0.0.1:80811")],
            &[("origin", "https://127.0.0.1:8081")],
            &[("sec-fetch-site", "cross-site")],
            &[("sec-fetch-site", "cross-site"), ("origin", own)],
            &[("sec-fetch-site", "same-site")],
            &[
                ("sec-fetch-site", "same-site"),
                ("origin", "http://127.0.0.1:8080"),
            ],
            &[("sec-fetch-site", "whatever")],
        ];
        for pairs in refused {
            assert!(from_another_site(&headers(pairs)), "{pairs:?}");
        }
        // Without a Host, no Origin can be this page's own.
        let mut no_host = HeaderMap::new();
        no_host.insert(ORIGIN, HeaderValue::from_static("http://127.0.0.1:8081"));
        assert!(from_another_site(&no_host));
    }

    #[test]
    fn helpers_serve_loopback_pages_and_plain_clients_only() {
        let allowed: &[&[(&str, &str)]] = &[
            &[],
            &[("origin", "http://127.0.0.1:9")],
            &[
                ("sec-fetch-site", "same-site"),
                ("origin", "http://127.0.0.1:40000"),
            ],
            &[("sec-fetch-site", "same-origin")],
            &[("sec-fetch-site", "none")],
            &[
                ("sec-fetch-site", "same-site"),
                ("origin", "http://localhost:3000"),
            ],
            &[("origin", "http://[::1]:8080")],
            &[("origin", "http://127.1.2.3")],
        ];
        for pairs in allowed {
            assert!(!from_outside_loopback(&headers(pairs)), "{pairs:?}");
        }
        let refused: &[&[(&str, &str)]] = &[
            &[("sec-fetch-site", "cross-site")],
            &[
                ("sec-fetch-site", "cross-site"),
                ("origin", "http://127.0.0.1:9"),
            ],
            &[("sec-fetch-site", "whatever")],
            &[("origin", "https://evil.example")],
            &[
                ("sec-fetch-site", "same-site"),
                ("origin", "http://evil.example"),
            ],
            &[("origin", "null")],
            &[("origin", "https://127.0.0.1:9")],
            &[("origin", "http://128.0.0.1")],
            &[("origin", "http://127.0.0.1.evil.example")],
            &[("origin", "http://localhost.evil.example:80")],
            &[("origin", "http://127.0.0.1:")],
            &[("origin", "http://127.0.0.1:80/")],
            &[("origin", "http://[::2]:80")],
        ];
        for pairs in refused {
            assert!(from_outside_loopback(&headers(pairs)), "{pairs:?}");
        }
    }

    #[test]
    fn hosts_must_be_addresses_or_localhost() {
        for (host, ok) in [
            ("127.0.0.1:8081", true),
            ("127.0.0.1", true),
            ("192.168.1.5:80", true),
            ("LOCALHOST:8080", true),
            ("[::1]:8080", true),
            ("[::1]", true),
            ("evil.example:8081", false),
            ("127.0.0.1.nip.io:8081", false),
            ("localhost.evil.example", false),
            ("", false),
        ] {
            let mut map = HeaderMap::new();
            map.insert(HOST, HeaderValue::from_str(host).expect("header"));
            assert_eq!(host_is_an_address(&map), ok, "{host}");
        }
        assert!(!host_is_an_address(&HeaderMap::new()));
    }
}
