//! The only module that calls fetch: one request with a timeout, its status, its
//! Retry-After and, when the status says so, its body parsed as JSON by the JS engine.
//!
//! fetch and setTimeout are bound as globals, never `window.fetch`, so this runs on a
//! page, in a Worker and in Node 18+.
//!
//! Why not gloo-net, which issue 4 names: measured, its `RequestBuilder` (URL
//! re-parsing, `format!`, the `http` crate's methods, an error type that panics on
//! non-Error rejections) cost about 3 KB gz of the 24 KB budget, which the build did not
//! meet with it. Calling the global `fetch(url, init)` is what gloo-net does underneath.

use js_sys::{JsString, Object, Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use crate::cancel::race;
use crate::error::{AuthError, Code};
use crate::protocol::{self, AfterStatus, HttpRequest};
use crate::retry_after;
use crate::timer::Sleep;

#[wasm_bindgen]
extern "C" {
    // `js_sys::JSON::parse` takes `&str`, which would copy the body into wasm and back;
    // this takes the JS string as it came from `Response.text()`.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;

    // The global, as gloo-net binds it: `window.fetch` does not exist in Workers or Node.
    // `catch`: a JS exception unwinding through wasm would leave the module's state
    // half-updated, so even "fetch is not defined" must come back as a value.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn fetch(url: &str, init: &Object) -> Result<Promise, JsValue>;
}

/// What came back, once the status has been checked by [`protocol::check_status`].
pub enum Answer {
    /// poll 403.
    Pending,
    /// 200 and its body as a JS value; `None` when it was too large or not JSON.
    Body(Option<JsValue>),
}

/// Aborts the request (and any body still streaming) when dropped: after a timeout, after
/// the caller's abort, and after a normal answer, so no connection is left dangling.
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Sends `req` and reads the answer, giving up with TIMEOUT after `timeout_ms` (headers
/// and body together).
pub async fn exchange(req: &HttpRequest, timeout_ms: u32) -> Result<Answer, AuthError> {
    let controller = AbortController::new().map_err(|_| AuthError::new(Code::Network))?;
    let inflight = AbortOnDrop(controller);
    let out = race(send(req, &inflight.0), Sleep::new(timeout_ms)).await;
    out.unwrap_or(Err(AuthError::new(Code::Timeout)))
}

/// Sets `key` on a fresh plain object; that cannot fail, so the result is ignored.
fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// The fetch `init` object for `req`.
fn request_init(req: &HttpRequest, controller: &AbortController) -> Object {
    let init = Object::new();
    let headers = Object::new();
    if let Some(body) = &req.json_body {
        set(&init, "method", &"POST".into());
        set(&init, "body", &body.into());
        set(&headers, "Content-Type", &"application/json".into());
    }
    if let Some(value) = &req.authorization {
        set(&headers, "Authorization", &value.into());
    }
    set(&init, "headers", &headers);
    // Cookies and the page's address are none of TVmaze's business, and an ambient
    // TVmaze session must not change what these calls mean.
    set(&init, "credentials", &"omit".into());
    set(&init, "referrerPolicy", &"no-referrer".into());
    set(&init, "signal", &controller.signal());
    init
}

async fn send(req: &HttpRequest, controller: &AbortController) -> Result<Answer, AuthError> {
    // fetch rejects only when no HTTP answer arrived: refused, dropped, DNS, CORS (and an
    // unparsable URL, which interop::options already keeps out).
    let network = AuthError::new(Code::Network);
    let promise = fetch(&req.url, &request_init(req, controller)).map_err(|_| network)?;
    let response = JsFuture::from(promise).await.map_err(|_| network)?;
    // fetch resolves with a Response by definition; what the network sends cannot change
    // that, so no `instanceof` check (duck typing also keeps Response-likes working).
    let response: web_sys::Response = response.unchecked_into();
    let status = response.status();
    let headers = response.headers();
    // Retry-After is only readable cross-origin when the server exposes it; if it does
    // not, this is None and the backoff doubles instead.
    let retry_after_ms = match headers.get("retry-after") {
        Ok(Some(value)) => retry_after::parse(&value, js_sys::Date::now() as u64),
        _ => None,
    };
    match protocol::check_status(req.endpoint, status, retry_after_ms)? {
        AfterStatus::Pending => Ok(Answer::Pending),
        AfterStatus::ReadBody => {
            let declared_too_large = match headers.get("content-length") {
                // Digits only; anything else is left to the length check after reading.
                Ok(Some(len)) => crate::validate::digits(len.trim_ascii().as_bytes())
                    .is_some_and(|n| protocol::too_large(n as f64)),
                _ => false,
            };
            if declared_too_large {
                return Ok(Answer::Body(None));
            }
            read_json(&response, status).await.map(Answer::Body)
        }
    }
}

/// The body as JSON, or `None` when it is too large or not JSON. The text stays a JS
/// string: its length is checked before anything is parsed or copied into wasm.
async fn read_json(
    response: &web_sys::Response,
    status: u16,
) -> Result<Option<JsValue>, AuthError> {
    let Ok(promise) = response.text() else {
        return Ok(None);
    };
    // The body stream failing half-way is a dropped connection, not a bad answer.
    let text = JsFuture::from(promise)
        .await
        .map_err(|_| AuthError::http(Code::Network, status))?;
    let Some(text) = text.dyn_ref::<JsString>() else {
        return Ok(None);
    };
    if protocol::too_large(f64::from(text.length())) {
        return Ok(None);
    }
    Ok(json_parse(text).ok())
}
