//! Random tokens and keys, and the constant-time comparison of keys.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use subtle::ConstantTimeEq as _;

/// 24 random bytes = 192 bits, comfortably above the 128 bits that make guessing a
/// live token or key hopeless; base64url without padding makes them 32 URL-safe
/// characters.
const RANDOM_BYTES: usize = 24;

/// A fresh URL-safe random string from the OS CSPRNG (tokens and API keys).
pub fn random_url_safe() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Compares two secrets without an early exit on the first differing byte, so the
/// answer time says nothing about how much of a guessed key was right.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    // Lengths are not secret (every key has the same length); `ct_eq` on slices of
    // different lengths is false without looking at the contents.
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_strings_are_url_safe_long_and_distinct() {
        let a = random_url_safe().expect("rng");
        let b = random_url_safe().expect("rng");
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }

    #[test]
    fn comparison_is_exact() {
        assert!(secrets_equal("abc", "abc"));
        assert!(!secrets_equal("abc", "abd"));
        assert!(!secrets_equal("abc", "abcd"));
        assert!(!secrets_equal("", "a"));
    }
}
