//! Raw access to JS: every global this crate binds by hand, each with `catch`, so that
//! a JS exception comes back as a value and never unwinds through wasm (a panic or an
//! unwind there poisons the module). A leaf: it imports nothing from this crate.
//!
//! When a `catch` import that returns a `JsValue` throws, the code wasm-bindgen 0.2.130
//! generates leaves a slot of the externref table taken, for good: a page would grow
//! with every such answer. The imports here, the calls that callers and servers can make
//! throw, return an `Option` (put in the table by the JS glue, only when there is a
//! value) or nothing, so a throw takes no slot. The few `JsValue`-returning ones left
//! elsewhere (`new Request`, `new AbortController`, `setTimeout`) throw only on what the
//! argument checks already refuse (and `new Request` on a malformed host where an engine
//! lacks `URL.canParse`). tests/package/memory.test.mjs holds every kind of call to a
//! flat table.

use js_sys::{Function, Object, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn reflect_get(target: &JsValue, key: &str) -> Result<Option<JsValue>, JsValue>;

    #[wasm_bindgen(js_namespace = Reflect, js_name = set, catch)]
    fn reflect_set(target: &Object, key: &str, value: &JsValue) -> Result<(), JsValue>;

    // A caller's function (`onPoll`): `f.call(this, arg)`.
    #[wasm_bindgen(js_name = Function)]
    type Callback;
    #[wasm_bindgen(method, js_name = call, catch)]
    fn call(this: &Callback, this_arg: &JsValue, arg: &JsValue)
        -> Result<Option<JsValue>, JsValue>;

    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<Option<JsValue>, JsValue>;

    // `URL.canParse`: whether fetch's URL parser accepts `url`, without making a URL.
    // Node 18.17+, and the browsers of the last two years; where it is missing the call
    // throws, and the check is left to fetch.
    #[wasm_bindgen(js_namespace = URL, js_name = canParse, catch)]
    fn url_can_parse(url: &str) -> Result<bool, JsValue>;

    // ECMAScript's encodeURIComponent throws a URIError exactly when its argument has a
    // lone surrogate: the check `String.prototype.isWellFormed` makes, which Node 18
    // lacks, and a fraction of the size of js-sys's `is_valid_utf16` (docs/size.md).
    // Its result is not used, and not returned (see above).
    #[wasm_bindgen(js_name = encodeURIComponent, catch)]
    fn encode_uri_component(text: &JsValue) -> Result<(), JsValue>;

    // Monotonic, unlike Date.now(): a system clock set forward must not make the next
    // poll come early (TVmaze's 10 s) or the deadline fire. A global on pages, in
    // Workers and in Node 16+.
    #[wasm_bindgen(js_namespace = performance, js_name = now, catch)]
    fn performance_now() -> Result<f64, JsValue>;

    // `dst.set(src)`, with `dst` a view of wasm memory: what js-sys's `copy_to` does,
    // without its assertion of equal lengths, which would link the formatting of panic
    // messages (measured in docs/size.md). The lengths are equal by construction;
    // `catch` keeps a RangeError from unwinding through wasm all the same.
    #[wasm_bindgen(js_namespace = Uint8Array, js_name = "prototype.set.call", catch)]
    fn copy_chunk(dst: &mut [u8], src: &Uint8Array) -> Result<(), JsValue>;

    // The page's or Worker's `location`; `Option` makes the glue test `typeof location`
    // first, so in Node (which has none) this is `None` instead of a ReferenceError.
    #[wasm_bindgen(thread_local_v2, js_name = location)]
    static LOCATION: Option<Object>;
}

/// `target[key]` (undefined for null), or `None` when reading it throws (a throwing
/// getter or Proxy).
pub fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    reflect_get(target, key).ok().map(Option::unwrap_or_default)
}

/// Sets `target[key]` on an object this library made; that cannot fail, so the result
/// is ignored.
pub fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = reflect_set(target, key, value);
}

/// `f(arg)` with `this` undefined: what it returned, or `None` when it threw or
/// returned undefined.
pub fn call(f: &Function, arg: &JsValue) -> Option<JsValue> {
    f.unchecked_ref::<Callback>()
        .call(&JsValue::UNDEFINED, arg)
        .ok()
        .flatten()
}

/// `JSON.parse(text)`, or `None` when `text` is not JSON (or is `null`).
pub fn parse_json(text: &str) -> Option<JsValue> {
    json_parse(text).ok().flatten()
}

/// Whether fetch's URL parser accepts `url`; `None` where the engine has no
/// `URL.canParse`.
pub fn can_parse_url(url: &str) -> Option<bool> {
    url_can_parse(url).ok()
}

/// Whether a JS string has no lone surrogate.
pub fn well_formed(text: &JsValue) -> bool {
    encode_uri_component(text).is_ok()
}

/// Milliseconds on the monotonic clock; the wall clock where a platform has no
/// `performance` (none of the supported ones).
pub fn now() -> u64 {
    performance_now().unwrap_or_else(|_| js_sys::Date::now()) as u64
}

/// Copies `src` into `dst`, of the same length; `false` if the engine refused.
pub fn copy_into(dst: &mut [u8], src: &Uint8Array) -> bool {
    copy_chunk(dst, src).is_ok()
}

/// `location.origin` on a page or in a Worker; `None` in Node.
pub fn location_origin() -> Option<String> {
    LOCATION.with(|l| get(l.as_ref()?, "origin")?.as_string())
}
