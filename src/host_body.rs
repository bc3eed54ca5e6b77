//! The shell's body handling, redone on the host for the core's tests and the fuzz
//! target: in the wasm, `http.rs` streams the bytes with a cap and checks UTF-8, the
//! engine's `JSON.parse` parses them and `interop.rs` reads the fields. Here serde_json
//! parses. Too large, not UTF-8, not JSON or not a JSON object is `None`, as there.

use crate::protocol::{too_large, JsonObject};

/// A parsed JSON object, seen through [`JsonObject`].
pub struct Body(serde_json::Map<String, serde_json::Value>);

impl JsonObject for Body {
    fn string(&self, key: &str) -> Option<String> {
        self.0.get(key)?.as_str().map(String::from)
    }
    fn number(&self, key: &str) -> Option<f64> {
        self.0.get(key)?.as_f64()
    }
}

/// The body the shell would hand the decoders for these bytes.
pub fn parse(bytes: impl AsRef<[u8]>) -> Option<Body> {
    let bytes = bytes.as_ref();
    if too_large(bytes.len() as u64) {
        return None;
    }
    match serde_json::from_slice(bytes) {
        Ok(serde_json::Value::Object(map)) => Some(Body(map)),
        _ => None,
    }
}
