//! Every conversion between the caller's JS values and Rust, at the edge of each call:
//! option objects and arguments in (checked by `args`), plain result objects and
//! `TvmazeAuthError`s out.
//!
//! Out: every result object is serialized by serde-wasm-bindgen from the derived types
//! in `protocol` and `policy` ([`to_js`]).
//!
//! In: option objects are read field by field (`js::get`), not with
//! `serde_wasm_bindgen::from_value`: any use of its deserializer links Rust's float
//! formatting through the deserializer's own error messages (measured in
//! docs/size.md), which no caller-side setting avoids. A dozen fields do not need it.

use js_sys::{Function, JsString, Promise};
use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::args::{self, BaseUrl};
use crate::cancel::Cancel;
use crate::error::{AuthError, Code, INVALID};
use crate::js;
use crate::policy::{Pacing, Progress};
use crate::protocol::{Confirmed, Polled, Premium, Started};

/// Every option of every function, checked and defaulted. One reader serves all four
/// functions, so an option of the wrong type is rejected even by a function that would
/// not read it; unknown keys are ignored.
pub struct Options {
    /// `baseUrl`.
    pub base: BaseUrl,
    /// `timeoutMs`.
    pub timeout_ms: u32,
    /// `signal`.
    pub cancel: Cancel,
    /// `emailConfirmation` (startAuth).
    pub email_confirmation: bool,
    /// `intervalMs`, `deadlineMs`, `maxTransientErrors` (waitForConfirmation).
    pub pacing: Pacing,
    /// `onPoll` (waitForConfirmation).
    pub on_poll: Option<Function>,
}

/// An option: a throwing getter is a caller bug, so INVALID_ARGUMENT rather than a
/// silent default.
fn option(target: &JsValue, key: &str) -> Result<JsValue, AuthError> {
    js::get(target, key).ok_or(INVALID)
}

/// `None` for undefined/null, `Some` for a value `check` accepts, INVALID otherwise.
fn optional<T>(
    v: JsValue,
    check: impl FnOnce(JsValue) -> Option<T>,
) -> Result<Option<T>, AuthError> {
    if v.is_null_or_undefined() {
        Ok(None)
    } else {
        check(v).map(Some).ok_or(INVALID)
    }
}

/// Reads an options argument: `undefined` and `null` mean all defaults; anything else
/// must be an object.
pub fn options(value: &JsValue) -> Result<Options, AuthError> {
    let given = !value.is_null_or_undefined();
    if given && !value.is_object() {
        return Err(INVALID);
    }
    let field = |key: &str| {
        if given {
            option(value, key)
        } else {
            Ok(JsValue::UNDEFINED)
        }
    };
    let number = |key: &str| optional(field(key)?, |v| v.as_f64());
    let base_url = optional(field("baseUrl")?, |v| string(&v, args::MAX_STRING_LEN).ok())?;
    let base = args::base_url(same_origin(base_url).as_deref())?;
    // The pure checks settle scheme, userinfo and loopback; whether the host and port are
    // well-formed (a port over 65535, `999.1.1.1`, a `<` in a name) is for the URL parser
    // fetch uses: refused here it is INVALID_ARGUMENT, not a NETWORK error that
    // waitForConfirmation would retry.
    if js::can_parse_url(&base.root) == Some(false) {
        return Err(INVALID);
    }
    Ok(Options {
        timeout_ms: args::millis(number("timeoutMs")?, args::DEFAULT_TIMEOUT_MS, 1.0)?,
        cancel: Cancel(optional(field("signal")?, |v| {
            crate::cancel::is_signal(&v).then(|| v.unchecked_into::<AbortSignal>())
        })?),
        email_confirmation: optional(field("emailConfirmation")?, |v| v.as_bool())?.unwrap_or(true),
        pacing: Pacing {
            interval_ms: args::millis(number("intervalMs")?, args::DEFAULT_INTERVAL_MS, 0.0)?,
            deadline_ms: args::millis(number("deadlineMs")?, args::DEFAULT_DEADLINE_MS, 0.0)?,
            max_transient_errors: args::count(
                number("maxTransientErrors")?,
                args::DEFAULT_MAX_TRANSIENT_ERRORS,
            )?,
            loopback: base.loopback,
        },
        on_poll: optional(field("onPoll")?, |v| v.dyn_into::<Function>().ok())?,
        base,
    })
}

/// A same-origin `baseUrl` such as "/tvmaze/v1", for apps that reach TVmaze through their
/// own server and so need no CORS answer from TVmaze: on a page or in a Worker it becomes
/// `location.origin` + path (what URL resolution gives for a path starting with one "/"),
/// and the result is then checked like any other baseUrl, so it is refused unless https
/// or loopback http, and polled at TVmaze's pace unless loopback. Without a location
/// (Node), or with an opaque origin ("null"), it stays unusable and is refused.
fn same_origin(base_url: Option<String>) -> Option<String> {
    match base_url {
        Some(path) if path.starts_with('/') && !path.starts_with("//") => {
            Some(js::location_origin().unwrap_or_default() + &path)
        }
        other => other,
    }
}

/// A string argument of at most `max_len` UTF-16 units and without a lone surrogate;
/// anything else is INVALID_ARGUMENT. The length is read before the string is copied
/// into wasm memory, and a lone surrogate is refused rather than sent as U+FFFD (the
/// conversion's replacement), which would be another string than the caller's.
pub fn string(value: &JsValue, max_len: u32) -> Result<String, AuthError> {
    let text = value.dyn_ref::<JsString>().ok_or(INVALID)?;
    if text.length() > max_len || !js::well_formed(value) {
        return Err(INVALID);
    }
    value.as_string().ok_or(INVALID)
}

/// Writes a map as a plain JS object (`Object.prototype`, own enumerable properties).
/// Each result goes through it as a map ([`Flat`]): serde-wasm-bindgen's struct path,
/// with its cache of field-name strings, is larger (docs/size.md).
const SERIALIZER: Serializer = Serializer::new().serialize_maps_as_objects(true);

/// Every object this library hands to JS, as one type: one instantiation of the
/// serializer instead of one per type (docs/size.md).
#[derive(Serialize)]
#[serde(untagged)]
pub enum Out {
    /// startAuth's result.
    Started(Started),
    /// pollAuth's result.
    Polled(Polled),
    /// waitForConfirmation's result.
    Confirmed(Confirmed),
    /// validate's result.
    Premium(Premium),
    /// onPoll's argument.
    Progress(Progress),
}

/// [`Out`], seen by serde as a map of its fields.
#[derive(Serialize)]
struct Flat<'a> {
    #[serde(flatten)]
    fields: &'a Out,
}

/// `value` as a plain JS object. The serializer fails only on what these types do not
/// have (non-string map keys, integers past 2^53, …), so the error is unreachable; it
/// maps to BAD_RESPONSE rather than a panic all the same.
pub fn to_js(value: &Out) -> Result<JsValue, AuthError> {
    Flat { fields: value }
        .serialize(&SERIALIZER)
        .map_err(|_| AuthError::new(Code::BadResponse))
}

/// Calls `onPoll({ attempt, elapsedMs, nextPollInMs })`. Whatever it throws, or the
/// promise it returns rejects with, is swallowed on purpose: a faulty progress callback
/// must not cost the user their sign-in, nor crash a Node process with an unhandled
/// rejection.
pub fn report(on_poll: &Option<Function>, p: Progress) {
    let Some(f) = on_poll else {
        return;
    };
    let Ok(progress) = to_js(&Out::Progress(p)) else {
        return;
    };
    if let Some(value) = js::call(f, &progress) {
        if value.is_object() {
            // `Promise.resolve` adopts any thenable (and turns a throwing `then` into
            // a rejection); the JsFuture handles its outcome and is then dropped.
            drop(JsFuture::from(Promise::resolve(&value)));
        }
    }
}

const ERROR_NAME: &str = "TvmazeAuthError";

/// The JS face of an [`AuthError`]: a real `Error` (with a stack) named
/// "TvmazeAuthError", with `code`, and `status` / `retryAfterMs` only when known.
pub fn error(e: AuthError) -> JsValue {
    let err = js_sys::Error::new(e.message());
    // An own `name` property, as `class X extends Error` would give.
    err.set_name(ERROR_NAME);
    js::set(&err, "code", &e.code.as_str().into());
    if let Some(status) = e.status {
        js::set(&err, "status", &status.into());
    }
    if let Some(ms) = e.retry_after_ms {
        js::set(&err, "retryAfterMs", &(ms as f64).into());
    }
    err.into()
}

/// Whether `value` is an error made by [`error`]. Checked by `name` and `code` rather
/// than by class, so it also recognises errors from another copy of this module.
pub fn is_auth_error(value: &JsValue) -> bool {
    let string = |key| js::get(value, key).and_then(|v| v.as_string());
    value.is_instance_of::<js_sys::Error>()
        && string("name").as_deref() == Some(ERROR_NAME)
        && string("code").is_some()
}
