//! Every conversion between JS values and Rust: option objects and arguments in, plain
//! result objects and `TvmazeAuthError`s out, parsed JSON bodies into the protocol.
//!
//! Done field by field with `Reflect` rather than serde-wasm-bindgen: it is a dozen
//! fields, and serde's generic machinery cost more than the whole size budget allows
//! (see Cargo.toml).

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use crate::cancel::Cancel;
use crate::error::{AuthError, INVALID};
use crate::http::Answer;
use crate::policy::{Pacing, Progress};
use crate::protocol::{Confirmed, JsonObject, Premium, Started};
use crate::validate::{self, BaseUrl};

/// Every option of every function, checked and defaulted. One reader serves all four
/// functions (smaller than one each), so an option of the wrong type is rejected even
/// by a function that would not read it; unknown keys are ignored.
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

/// `Reflect::get` fails only on exotic objects (a throwing getter or Proxy): for an
/// option that is a caller bug, so INVALID_ARGUMENT rather than a silent default.
fn get(target: &JsValue, key: &str) -> Result<JsValue, AuthError> {
    Reflect::get(target, &JsValue::from_str(key)).map_err(|_| INVALID)
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
            get(value, key)
        } else {
            Ok(JsValue::UNDEFINED)
        }
    };
    let number = |key: &str| optional(field(key)?, |v| v.as_f64());
    let base_url = optional(field("baseUrl")?, |v| v.as_string())?;
    let base = validate::base_url(same_origin(base_url).as_deref())?;
    // The pure checks settle scheme, userinfo and loopback; whether the host and port are
    // well-formed (a port over 65535, `999.1.1.1`, a `<` in a name) is for the URL parser
    // fetch uses: refused here it is INVALID_ARGUMENT, not a NETWORK error that
    // waitForConfirmation would retry.
    if web_sys::Url::new(&base.root).is_err() {
        return Err(INVALID);
    }
    Ok(Options {
        timeout_ms: validate::millis(number("timeoutMs")?, validate::DEFAULT_TIMEOUT_MS, 1.0)?,
        cancel: Cancel(optional(field("signal")?, |v| {
            crate::cancel::is_signal(&v).then(|| v.unchecked_into::<AbortSignal>())
        })?),
        email_confirmation: optional(field("emailConfirmation")?, |v| v.as_bool())?.unwrap_or(true),
        pacing: Pacing {
            interval_ms: validate::millis(
                number("intervalMs")?,
                validate::DEFAULT_INTERVAL_MS,
                0.0,
            )?,
            deadline_ms: validate::millis(
                number("deadlineMs")?,
                validate::DEFAULT_DEADLINE_MS,
                0.0,
            )?,
            max_transient_errors: validate::count(
                number("maxTransientErrors")?,
                validate::DEFAULT_MAX_TRANSIENT_ERRORS,
            )?,
            loopback: base.loopback,
        },
        on_poll: optional(field("onPoll")?, |v| v.dyn_into::<Function>().ok())?,
        base,
    })
}

#[wasm_bindgen]
extern "C" {
    // The page's or Worker's `location`; `Option` makes the glue test `typeof location`
    // first, so in Node (which has none) this is `None` instead of a ReferenceError.
    #[wasm_bindgen(thread_local_v2, js_name = location)]
    static LOCATION: Option<Object>;
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
            let origin = LOCATION.with(|l| get(l.as_ref()?, "origin").ok()?.as_string());
            Some(origin.unwrap_or_default() + &path)
        }
        other => other,
    }
}

/// A string argument; anything else is INVALID_ARGUMENT.
pub fn string(value: &JsValue) -> Result<String, AuthError> {
    value.as_string().ok_or(INVALID)
}

/// A parsed JSON body, seen through [`JsonObject`].
pub struct JsonBody(JsValue);

impl JsonObject for JsonBody {
    fn string(&self, key: &str) -> Option<String> {
        get(&self.0, key).ok()?.as_string()
    }
    fn number(&self, key: &str) -> Option<f64> {
        get(&self.0, key).ok()?.as_f64()
    }
}

/// The body of a 200 answer if it is a JSON object (not null, not a string or number);
/// the protocol decides whether its fields are right. A JSON array passes here but has
/// none of the named fields (JSON.parse gives it index keys only), so the protocol
/// rejects it as BAD_RESPONSE all the same, without an `Array.isArray` import.
pub fn body(answer: Answer) -> Option<JsonBody> {
    match answer {
        Answer::Body(Some(json)) if json.is_object() => Some(JsonBody(json)),
        _ => None,
    }
}

/// A plain object from key/value pairs.
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (key, value) in fields {
        // Setting a data property on a fresh plain object cannot fail.
        let _ = Reflect::set(&obj, &JsValue::from_str(key), value);
    }
    obj.into()
}

/// `{ token, confirmUrl }`.
pub fn started(s: Started) -> JsValue {
    object(&[
        ("token", s.token.into()),
        ("confirmUrl", s.confirm_url.into()),
    ])
}

/// `{ status: "pending" }`, or `{ status: "confirmed", apiKey, username }`.
pub fn polled(c: Option<Confirmed>) -> JsValue {
    match c {
        None => object(&[("status", "pending".into())]),
        Some(c) => object(&[
            ("status", "confirmed".into()),
            ("apiKey", c.api_key.into()),
            ("username", c.username.into()),
        ]),
    }
}

/// `{ apiKey, username }`.
pub fn confirmed(c: Confirmed) -> JsValue {
    object(&[
        ("apiKey", c.api_key.into()),
        ("username", c.username.into()),
    ])
}

/// `{ premium, level }`.
pub fn premium(p: Premium) -> JsValue {
    object(&[("premium", p.0.into()), ("level", p.level().into())])
}

/// Calls `onPoll({ attempt, elapsedMs, nextPollInMs })`. Whatever it throws is
/// swallowed on purpose: a faulty progress callback must not cost the user their
/// sign-in.
pub fn report(on_poll: &Option<Function>, p: Progress) {
    if let Some(f) = on_poll {
        let progress = object(&[
            ("attempt", p.attempt.into()),
            ("elapsedMs", (p.elapsed_ms as f64).into()),
            ("nextPollInMs", (p.next_poll_in_ms as f64).into()),
        ]);
        let _ = f.call1(&JsValue::UNDEFINED, &progress);
    }
}

const ERROR_NAME: &str = "TvmazeAuthError";

/// The JS face of an [`AuthError`]: a real `Error` (with a stack) named
/// "TvmazeAuthError", with `code`, and `status` / `retryAfterMs` only when known.
pub fn error(e: AuthError) -> JsValue {
    let err = js_sys::Error::new(e.message());
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&err, &JsValue::from_str(key), &value);
    };
    // An own `name` property, as `class X extends Error` would give, through the
    // Reflect import already linked instead of one more for `Error.prototype.name`.
    set("name", ERROR_NAME.into());
    set("code", e.code.as_str().into());
    if let Some(status) = e.status {
        set("status", status.into());
    }
    if let Some(ms) = e.retry_after_ms {
        set("retryAfterMs", (ms as f64).into());
    }
    err.into()
}

/// Whether `value` is an error made by [`error`]. Checked by `name` and `code` rather
/// than by class, so it also recognises errors from another copy of this module.
pub fn is_auth_error(value: &JsValue) -> bool {
    let string = |key| get(value, key).ok().and_then(|v| v.as_string());
    value.is_instance_of::<js_sys::Error>()
        && string("name").as_deref() == Some(ERROR_NAME)
        && string("code").is_some()
}
