//! URL pieces, as bytes: the scheme, the host of an authority, and whether a host is
//! loopback. Shared by the argument checks (`baseUrl`) and the protocol (`confirm_url`),
//! so both judge a URL the same way.

use crate::decimal::digits;

/// The rest of `url` after `scheme` (such as `b"https://"`), matched without regard to
/// ASCII case.
pub fn strip_scheme<'a>(url: &'a [u8], scheme: &[u8]) -> Option<&'a [u8]> {
    let head = url.get(..scheme.len())?;
    if head.eq_ignore_ascii_case(scheme) {
        url.get(scheme.len()..)
    } else {
        None
    }
}

/// The host part of `host[:port]` / `[v6]:port`, or None if it is empty or the port is
/// not a number. Finer host and port rules (ranges, characters, IPv4 spellings) are left
/// to the URL parser fetch itself uses, which the shell runs on a `baseUrl`.
pub fn host_of(authority: &[u8]) -> Option<&[u8]> {
    let split = if authority.first() == Some(&b'[') {
        authority.iter().position(|&b| b == b']')? + 1
    } else {
        authority
            .iter()
            .position(|&b| b == b':')
            .unwrap_or(authority.len())
    };
    let host = authority.get(..split)?;
    match authority.get(split..)? {
        [] => {}
        [b':', port @ ..] if digits(port).is_some() => {}
        _ => return None,
    }
    (!host.is_empty()).then_some(host)
}

/// Whether `host` is a loopback host: `localhost`, `[::1]` or 127.0.0.0/8.
pub fn is_loopback(host: &[u8]) -> bool {
    if host.eq_ignore_ascii_case(b"localhost") || host == b"[::1]" {
        return true;
    }
    // 127.0.0.0/8 written as four decimal octets; other spellings (127.1, hex) are not
    // recognised and therefore need https, which is the safe direction to err in.
    let mut octets = 0;
    for part in host.split(|&b| b == b'.') {
        let ok = part.len() <= 3 && digits(part).is_some_and(|n| n <= 255);
        if !ok || (octets == 0 && part != b"127") {
            return false;
        }
        octets += 1;
    }
    octets == 4
}
