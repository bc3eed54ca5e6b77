//! The only module that talks to the network. gloo-net sends each request (through the
//! global `fetch`, so on a page, in a Worker and in Node 18+) and hands back its
//! `Response`; this module reads the status, the Retry-After and, when the status says
//! so, the body: streamed with a byte cap, parsed by the engine's `JSON.parse` and
//! handed back as a [`JsonBody`] for the protocol's decoders. How long an exchange may
//! take is the caller's decision (`client`).
//!
//! The request is a `web_sys::Request` wrapped with `gloo_net::http::Request::from`,
//! not built with gloo-net's `RequestBuilder`, which re-parses the URL (docs/size.md).

use core::cell::Cell;

use gloo_net::http::{Request, Response};
use js_sys::{Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, ReadableStreamDefaultReader, ResponseType};

use crate::decimal::digits;
use crate::error::{AuthError, Code};
use crate::js;
use crate::protocol::{self, AfterStatus, Endpoint, HttpRequest, JsonObject};
use crate::retry_after;

/// What came back, once the status has been checked by [`protocol::check_status`].
pub enum Answer {
    /// poll 403.
    Pending,
    /// 200 and its body, if it is a JSON object: `None` when it was too large, not UTF-8,
    /// not JSON, or JSON but not an object. The protocol decides whether its fields are
    /// right (a JSON array has none of the named fields, so it fails there).
    Body(Option<JsonBody>),
}

impl Answer {
    /// The body, for the decoders; `None` for a pending poll.
    pub fn into_body(self) -> Option<JsonBody> {
        match self {
            Answer::Body(body) => body,
            Answer::Pending => None,
        }
    }
}

/// A parsed JSON body, seen through [`JsonObject`].
pub struct JsonBody(JsValue);

impl JsonBody {
    /// `text` as JSON, if it is an object (or an array): an answer's body, or a stored
    /// value read the same way (src/session/shell.rs).
    pub fn parse(text: &str) -> Option<JsonBody> {
        js::parse_json(text)
            .filter(JsValue::is_object)
            .map(JsonBody)
    }

    /// The parsed value itself, for an answer handed to the caller as it came (the user
    /// API's, through a session's `fetch`).
    pub fn into_value(self) -> JsValue {
        self.0
    }
}

impl JsonObject for JsonBody {
    fn string(&self, key: &str) -> Option<String> {
        let value = js::get(&self.0, key)?;
        let text = value.as_string()?;
        // JSON's `\ud800` escapes can give a string with a lone surrogate, which the
        // conversion above silently replaces with U+FFFD: a token or key changed that way
        // no longer works, so such a field counts as missing.
        js::well_formed(&value).then_some(text)
    }
    fn number(&self, key: &str) -> Option<f64> {
        js::get(&self.0, key)?.as_f64()
    }
}

/// One request on the wire. Dropped before its answer has fully arrived (a timeout, the
/// caller's abort, an answer whose body is not read to its end), it aborts the request
/// and any body still streaming, so no connection is left dangling.
struct InFlight {
    controller: AbortController,
    arrived: Cell<bool>,
}

impl InFlight {
    /// The whole answer is here (or is small enough to be left, see
    /// [`protocol::UNREAD_BODY_MAX`]): nothing is left to abort.
    fn arrived(&self) {
        self.arrived.set(true);
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if !self.arrived.get() {
            // A reason of our own: without one the engine makes a DOMException and
            // captures its stack, the costliest single step of a whole call in Node
            // (docs/benchmarks.md). Nothing reads the reason: the fetch and body futures
            // it would reject are dropped by now.
            self.controller.abort_with_reason(&JsValue::TRUE);
        }
    }
}

/// Sends `req` and reads the answer (headers and body). Not bounded in time by itself:
/// dropping the future is how the caller gives up, and that aborts the request.
pub async fn exchange(req: &HttpRequest) -> Result<Answer, AuthError> {
    let controller = AbortController::new().map_err(|_| AuthError::new(Code::Network))?;
    let inflight = InFlight {
        controller,
        arrived: Cell::new(false),
    };
    send(req, &inflight).await
}

/// The request for `req`, as gloo-net sends it.
fn request(req: &HttpRequest, signal: &AbortSignal) -> Result<Request, JsValue> {
    // `RequestInit` as the plain object it is: web-sys's typed setters are larger
    // (docs/size.md).
    let init = Object::new();
    let headers = Object::new();
    js::set(&init, "method", &req.endpoint.method().into());
    if let Some(body) = &req.json_body {
        js::set(&init, "body", &body.into());
        js::set(&headers, "Content-Type", &"application/json".into());
    }
    if let Some(value) = &req.authorization {
        js::set(&headers, "Authorization", &value.into());
    }
    js::set(&init, "headers", &headers);
    // Cookies and the page's address are none of TVmaze's business, and an ambient
    // TVmaze session must not change what these calls mean.
    js::set(&init, "credentials", &"omit".into());
    js::set(&init, "referrerPolicy", &"no-referrer".into());
    // TVmaze's auth endpoints never redirect. Following one could send the token (or
    // take a key) from another origin, even over plain http; `manual` sends nothing to
    // the target and `protocol::check_status` makes the answer BAD_RESPONSE.
    js::set(&init, "redirect", &"manual".into());
    js::set(&init, "signal", signal);
    web_sys::Request::new_with_str_and_init(&req.url, init.unchecked_ref()).map(Request::from)
}

async fn send(req: &HttpRequest, inflight: &InFlight) -> Result<Answer, AuthError> {
    // fetch rejects only when no HTTP answer arrived: refused, dropped, DNS, CORS (and an
    // unparsable URL, which the option checks already keep out).
    let network = AuthError::new(Code::Network);
    let request = request(req, &inflight.controller.signal()).map_err(|_| network)?;
    let response = request.send().await.map_err(|_| network)?;
    let status = response.status();
    let headers = response.headers();
    // Read only on a 429, the one answer that uses it. Cross-origin it is readable only
    // when the server exposes it; without it the backoff doubles instead.
    let retry_after_ms = (status == 429)
        .then(|| headers.get("retry-after"))
        .flatten()
        .and_then(|value| retry_after::parse(&value, js_sys::Date::now() as u64));
    // Digits only; anything else is left to the cap while streaming. Readable
    // cross-origin too (a CORS-safelisted header).
    let declared = headers
        .get("content-length")
        .and_then(|len| digits(len.trim_ascii().as_bytes()));
    let after = protocol::check_status(req.endpoint, status, retry_after_ms);
    if !matches!(after, Ok(AfterStatus::ReadBody)) && protocol::may_leave_unread(declared) {
        inflight.arrived();
    }
    match after? {
        AfterStatus::Pending => Ok(Answer::Pending),
        // A declared length over the cap is refused before a byte is read.
        AfterStatus::ReadBody
            if declared.is_some_and(|len| protocol::too_large_for(req.endpoint, len)) =>
        {
            Ok(Answer::Body(None))
        }
        AfterStatus::ReadBody => {
            let coded = headers.get("content-encoding").is_some();
            // A cross-origin answer ("cors") shows only the headers the server exposes.
            let visible = response.type_() != ResponseType::Cors;
            let exact = protocol::exact_body_length(declared, coded, visible);
            read_json(&response, req.endpoint, status, exact, inflight)
                .await
                .map(Answer::Body)
        }
    }
}

/// The body as a JSON object, or `None` when it is longer than
/// `protocol::MAX_BODY_BYTES`, not UTF-8, not JSON or not an object. Read chunk by chunk,
/// so that an endless or huge body stops at the cap (the stream is cancelled there and
/// the request aborted). When the headers fix the body's length (`exact`), the read
/// stops at that many bytes: one read of the stream less than waiting for its end.
async fn read_json(
    response: &Response,
    endpoint: Endpoint,
    status: u16,
    exact: Option<u64>,
    inflight: &InFlight,
) -> Result<Option<JsonBody>, AuthError> {
    // The stream failing half-way is a dropped connection, not a bad answer.
    let dropped = AuthError::http(Code::Network, status);
    // The user API may answer with no body at all (a DELETE, a 204): that is JSON null.
    let nothing = || matches!(endpoint, Endpoint::User(_)).then_some(JsonBody(JsValue::NULL));
    let Some(stream) = response.body() else {
        return Ok(nothing());
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut bytes = Vec::new();
    while exact != Some(bytes.len() as u64) {
        let step = JsFuture::from(reader.read()).await.map_err(|_| dropped)?;
        if js::get(&step, "done").and_then(|d| d.as_bool()) != Some(false) {
            break;
        }
        let chunk = js::get(&step, "value").and_then(|v| v.dyn_into::<Uint8Array>().ok());
        let total = match &chunk {
            Some(chunk) => bytes.len() as u64 + u64::from(chunk.length()),
            None => u64::MAX,
        };
        let (Some(chunk), false) = (chunk, protocol::too_large_for(endpoint, total)) else {
            // The cancel promise is handed to a JsFuture, which settles it quietly:
            // a rejection nobody handles would crash a Node process.
            drop(JsFuture::from(reader.cancel()));
            return Ok(None);
        };
        let start = bytes.len();
        bytes.resize(total as usize, 0);
        if let Some(tail) = bytes.get_mut(start..) {
            if !js::copy_into(tail, &chunk) {
                return Err(dropped);
            }
        }
    }
    inflight.arrived();
    // Strict UTF-8: fetch's text() would replace bad bytes, and a token or key changed
    // that way is one that no longer works.
    let Ok(text) = core::str::from_utf8(&bytes) else {
        return Ok(None);
    };
    if text.is_empty() {
        return Ok(nothing());
    }
    Ok(JsonBody::parse(text))
}
