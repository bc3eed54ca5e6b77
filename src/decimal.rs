//! Decimal numbers in the bytes the network sends (Content-Length, Retry-After, ports
//! and IPv4 octets), without `str::parse`.

/// A non-empty run of ASCII digits as a number, saturating instead of overflowing
/// ("99999999999999999999" is just "very large"). Hand-rolled because `str::parse`
/// brings its error formatting into the wasm.
pub fn digits(s: &[u8]) -> Option<u64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0u64, |n, b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_only_and_saturating() {
        assert_eq!(digits(b"0"), Some(0));
        assert_eq!(digits(b"8081"), Some(8081));
        assert_eq!(digits(b"99999999999999999999999"), Some(u64::MAX));
        for bad in [
            &b""[..],
            b" 1",
            b"1 ",
            b"-1",
            b"+1",
            b"1.5",
            b"0x10",
            b"\xd9\xa3",
        ] {
            assert_eq!(digits(bad), None, "{bad:?}");
        }
    }
}
