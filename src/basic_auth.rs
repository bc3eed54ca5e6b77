//! The `Authorization: Basic` value for /auth/validate.
//!
//! Hand-written base64 (RFC 4648, with padding) instead of a crate: it is a dozen lines,
//! and `btoa` in JS would need the key to leave wasm and cannot encode non-Latin-1 text.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `Basic <base64 of the UTF-8 bytes of "username:api_key">`.
pub fn header_value(username: &str, api_key: &str) -> String {
    let mut raw = Vec::with_capacity(username.len() + 1 + api_key.len());
    raw.extend_from_slice(username.as_bytes());
    raw.push(b':');
    raw.extend_from_slice(api_key.as_bytes());
    let mut out = String::with_capacity(6 + raw.len().div_ceil(3) * 4);
    out.push_str("Basic ");
    base64_into(&raw, &mut out);
    out
}

fn base64_into(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        // Pack up to three bytes into 24 bits; missing bytes are zero and become '='.
        let mut n = 0u32;
        for (i, b) in chunk.iter().enumerate() {
            n |= u32::from(*b) << (16 - 8 * i);
        }
        for i in 0..4 {
            if i <= chunk.len() {
                // `& 63` keeps the index in range, so this `get` never misses.
                let idx = ((n >> (18 - 6 * i)) & 63) as usize;
                out.push(ALPHABET.get(idx).map_or('=', |b| char::from(*b)));
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &[u8]) -> String {
        let mut out = String::new();
        base64_into(s, &mut out);
        out
    }

    #[test]
    fn rfc4648_test_vectors() {
        assert_eq!(b64(b""), "");
        assert_eq!(b64(b"f"), "Zg==");
        assert_eq!(b64(b"fo"), "Zm8=");
        assert_eq!(b64(b"foo"), "Zm9v");
        assert_eq!(b64(b"foob"), "Zm9vYg==");
        assert_eq!(b64(b"fooba"), "Zm9vYmE=");
        assert_eq!(b64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn every_byte_value_round_trips_through_the_alphabet() {
        // 0xfb 0xff produces '+' and '/', the two characters that differ between base64
        // flavours; TVmaze expects the standard one.
        assert_eq!(b64(&[0xfb, 0xff]), "+/8=");
        assert_eq!(b64(&[0, 0, 0]), "AAAA");
        assert_eq!(b64(&[0xff, 0xff, 0xff]), "////");
    }

    #[test]
    fn header_encodes_utf8_username_and_key() {
        assert_eq!(
            header_value("alice", "key123"),
            "Basic YWxpY2U6a2V5MTIz" // base64("alice:key123")
        );
        // Non-ASCII usernames are sent as UTF-8 ("jürgen:k").
        assert_eq!(header_value("jürgen", "k"), "Basic asO8cmdlbjpr");
    }
}
