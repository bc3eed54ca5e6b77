//! The session's two wasm exports, internal to the npm package (npm/session.js calls
//! them; they are not in the `.d.ts`): one [`step`](super::step) of the state machine,
//! and a request to the user API signed with the session's key. Options and errors go
//! through `interop`, raw values through `js`, a stored record is parsed as `http`
//! parses an answer; the step's outcome is a plain object made by serde-wasm-bindgen,
//! like every result.

use std::future::Future;

use js_sys::Promise;
use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::record::{self, Key, Pending, State, LEVELS, MAX_RECORD_LEN};
use super::{user_api, Event, Next, Source, Start, Step};
use crate::args::{BaseUrl, MAX_EMAIL_LEN, MAX_STRING_LEN};
use crate::client::{exported, Exported, Failure};
use crate::error::{AuthError, Code, INVALID};
use crate::http::{self, Answer, JsonBody};
use crate::interop;
use crate::js;
use crate::policy::Progress;
use crate::protocol::MAX_BODY_BYTES;
use crate::race::race;
use crate::sleep::Sleep;

/// `__sessionStep(record, event, options)`: the state after `event`, given the record
/// this tab holds (`null` for none) and the session's options (`baseUrl`). Resolves
/// with `{ record, persist, announce, state, credentials, pending, token, change,
/// next, progress, error }`; rejects with INVALID_ARGUMENT for a bad `baseUrl` or
/// event.
#[wasm_bindgen(js_name = __sessionStep, skip_typescript)]
pub fn session_step(record: JsValue, event: JsValue, options: JsValue) -> Exported {
    Ok(match run_step(&record, &event, &options) {
        Ok(out) => Promise::resolve(&out),
        Err(e) => Promise::reject(&interop::error(e)),
    })
}

fn run_step(record: &JsValue, event: &JsValue, options: &JsValue) -> Result<JsValue, AuthError> {
    let base = interop::options(options)?.base;
    let now = js_sys::Date::now() as u64;
    let current = read_record(record, &base, now);
    let event = read_event(event, &base, now)?;
    let step = super::step(current, event, &base, now);
    write_step(&step)
}

/// A stored value as a state: anything but a string of at most [`MAX_RECORD_LEN`]
/// units that parses as a JSON object is signed out. The length is checked before the
/// string is copied into wasm memory.
fn read_record(value: &JsValue, base: &BaseUrl, now: u64) -> State {
    let json = interop::string(value, MAX_RECORD_LEN)
        .ok()
        .and_then(|text| JsonBody::parse(&text));
    record::parse(json.as_ref(), base, now)
}

fn field(value: &JsValue, key: &str) -> JsValue {
    js::get(value, key).unwrap_or_default()
}

fn text(value: &JsValue, key: &str, max: u32) -> Result<String, AuthError> {
    interop::string(&field(value, key), max)
}

/// The event's `me`: this page's id for the session.
fn tab_id(event: &JsValue) -> Result<String, AuthError> {
    Some(text(event, "me", record::MAX_TAB_ID_LEN)?)
        .filter(|id| record::is_tab_id(id))
        .ok_or(INVALID)
}

fn pending_of(state: State) -> Option<Pending> {
    match state {
        State::Pending(p) => Some(p),
        _ => None,
    }
}

/// The codes an answer's error can carry back into the state machine; anything else
/// (not one of ours) counts as BAD_RESPONSE.
const READ_BACK: [Code; 11] = [
    Code::RateLimited,
    Code::Network,
    Code::Timeout,
    Code::ServerError,
    Code::TokenNotFound,
    Code::Deadline,
    Code::InvalidCredentials,
    Code::BadResponse,
    Code::InvalidArgument,
    Code::EmailNotFound,
    Code::EmailNotConfirmed,
];

/// A `TvmazeAuthError` from pollAuth or validate, back as an [`AuthError`].
fn error_of(e: &JsValue) -> AuthError {
    let code = field(e, "code").as_string().unwrap_or_default();
    let code = READ_BACK
        .into_iter()
        .find(|c| c.as_str() == code)
        .unwrap_or(Code::BadResponse);
    let number = |key| field(e, key).as_f64().filter(|n| *n >= 0.0);
    AuthError {
        code,
        status: number("status").map(|n| n.min(999.0) as u16),
        retry_after_ms: number("retryAfterMs").map(|n| n.min(1e15) as u64),
    }
}

/// An answer as `{ result }` or `{ error }`.
fn outcome<T>(
    event: &JsValue,
    ok: impl FnOnce(&JsValue) -> Result<T, AuthError>,
) -> Result<Result<T, AuthError>, AuthError> {
    let error = field(event, "error");
    if !error.is_undefined() {
        return Ok(Err(error_of(&error)));
    }
    ok(&field(event, "result")).map(Ok)
}

fn read_event(event: &JsValue, base: &BaseUrl, now: u64) -> Result<Event, AuthError> {
    let kind = field(event, "type").as_string().ok_or(INVALID)?;
    Ok(match kind.as_str() {
        "open" => Event::Open(read_record(&field(event, "value"), base, now)),
        "seen" => {
            let source = if field(event, "message").is_truthy() {
                Source::Message
            } else {
                Source::Storage
            };
            Event::Seen(read_record(&field(event, "value"), base, now), source)
        }
        "signIn" => {
            // The sign-in's options are checked now, before anything is sent.
            interop::options(event)?;
            Event::SignIn {
                email: text(event, "email", MAX_EMAIL_LEN)?,
            }
        }
        "started" => {
            let pacing = interop::options(event)?.pacing;
            Event::Started(Start {
                email: text(event, "email", MAX_EMAIL_LEN)?,
                token: text(event, "token", MAX_STRING_LEN)?,
                confirm_url: text(event, "confirmUrl", MAX_STRING_LEN)?,
                interval_ms: pacing.interval_ms,
                deadline_ms: pacing.deadline_ms,
                me: tab_id(event)?,
            })
        }
        "tick" => Event::Tick {
            token: text(event, "token", MAX_STRING_LEN)?,
            me: tab_id(event)?,
            exclusive: field(event, "exclusive").is_truthy(),
        },
        "polled" => Event::Polled {
            token: text(event, "token", MAX_STRING_LEN)?,
            sent: pending_of(read_record(&field(event, "sent"), base, now)),
            outcome: outcome(event, |result| {
                if field(result, "status").as_string().as_deref() != Some("confirmed") {
                    return Ok(None);
                }
                Ok(Some(Key {
                    username: text(result, "username", MAX_STRING_LEN)?,
                    api_key: text(result, "apiKey", MAX_STRING_LEN)?,
                }))
            })?,
        },
        "validated" => Event::Validated {
            api_key: text(event, "apiKey", MAX_STRING_LEN)?,
            outcome: outcome(event, |result| {
                let level = field(result, "level").as_string().unwrap_or_default();
                LEVELS
                    .into_iter()
                    .find(|l| *l == level)
                    .ok_or(AuthError::new(Code::BadResponse))
            })?,
        },
        "signOut" => Event::SignOut,
        "cancel" => Event::Cancel {
            token: text(event, "token", MAX_STRING_LEN)?,
        },
        "unauthorized" => Event::Unauthorized {
            api_key: text(event, "apiKey", MAX_STRING_LEN)?,
        },
        _ => return Err(INVALID),
    })
}

/// The step as the shell reads it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Out<'a> {
    /// The record to hold, and to store when `persist`.
    record: String,
    persist: bool,
    announce: bool,
    state: &'static str,
    credentials: Option<Flat<CredentialsOut<'a>>>,
    pending: Option<Flat<PendingOut<'a>>>,
    /// The pairing's token, for the poller and its lock.
    token: Option<&'a str>,
    change: Option<Flat<ChangeOut>>,
    next: Flat<NextOut<'a>>,
    progress: Option<Flat<&'a Progress>>,
}

/// `T` serialized as a map, which `serialize_maps_as_objects` writes as a plain object:
/// a struct would go through serde-wasm-bindgen's cache of field names, a hash map and
/// a thread-local that cost more wasm than they save here (as interop's results do).
#[derive(Serialize)]
struct Flat<T: Serialize> {
    #[serde(flatten)]
    inner: T,
}

/// Wraps a value for [`Flat`] serialization.
fn flat<T: Serialize>(inner: T) -> Flat<T> {
    Flat { inner }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CredentialsOut<'a> {
    username: &'a str,
    api_key: &'a str,
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PendingOut<'a> {
    email: &'a str,
    confirm_url: &'a str,
    started_at: f64,
}

#[derive(Serialize)]
struct ChangeOut {
    state: &'static str,
    reason: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NextOut<'a> {
    /// "idle", "start", "resolve", "wait", "poll" or "validate".
    r#do: &'static str,
    ms: Option<u32>,
    deadline_ms: Option<u32>,
    username: Option<&'a str>,
    api_key: Option<&'a str>,
}

/// Milliseconds for setTimeout, which fires at once past 2^31 - 1.
fn delay(ms: u64) -> u32 {
    ms.min(u64::from(crate::args::MAX_DELAY_MS)) as u32
}

fn write_step(step: &Step) -> Result<JsValue, AuthError> {
    let state = &step.state;
    let next = {
        let none = NextOut {
            r#do: "idle",
            ms: None,
            deadline_ms: None,
            username: None,
            api_key: None,
        };
        match &step.next {
            Next::Idle => none,
            Next::Start => NextOut {
                r#do: "start",
                ..none
            },
            Next::Resolve => NextOut {
                r#do: "resolve",
                ..none
            },
            Next::Wait(ms) => NextOut {
                r#do: "wait",
                ms: Some(delay(*ms)),
                ..none
            },
            Next::Poll { deadline_ms, .. } => NextOut {
                r#do: "poll",
                deadline_ms: Some(delay(*deadline_ms)),
                ..none
            },
            Next::Validate(key) => NextOut {
                r#do: "validate",
                username: Some(&key.username),
                api_key: Some(&key.api_key),
                ..none
            },
        }
    };
    let out = Out {
        record: record::write(state),
        persist: step.persist,
        announce: step.announce,
        state: state.name(),
        credentials: match state {
            State::SignedIn(c) => Some(flat(CredentialsOut {
                username: &c.key.username,
                api_key: &c.key.api_key,
                level: c.level,
            })),
            _ => None,
        },
        pending: match state {
            State::Pending(p) => Some(flat(PendingOut {
                email: &p.email,
                confirm_url: &p.confirm_url,
                started_at: p.started_at as f64,
            })),
            _ => None,
        },
        token: match state {
            State::Pending(p) => Some(&p.token),
            _ => None,
        },
        change: step.change.as_ref().map(|c| {
            flat(ChangeOut {
                state: c.state,
                reason: c.reason.map(|r| r.as_str()),
            })
        }),
        next: flat(next),
        progress: step.progress.as_ref().map(flat),
    };
    let value = flat(out)
        .serialize(&Serializer::new().serialize_maps_as_objects(true))
        .map_err(|_| AuthError::new(Code::BadResponse))?;
    if let Some(e) = step.error {
        js::set(value.unchecked_ref(), "error", &interop::error(e));
    }
    Ok(value)
}

/// `__userRequest(username, apiKey, path, options)`: a request to the user API signed
/// with HTTP Basic, through the same `http::exchange` as every call (timeout, body cap,
/// no redirects). `options`: `baseUrl`, `signal`, `timeoutMs`, `method` (default GET)
/// and `json` (the body, already JSON text). Resolves with the parsed JSON of a 2xx
/// answer (`null` when it has no body); rejects with SIGNED_OUT when there is no key,
/// INVALID_CREDENTIALS on a 401, REQUEST_REFUSED on another 4xx (with `status`),
/// RATE_LIMITED, SERVER_ERROR, BAD_RESPONSE, NETWORK, TIMEOUT, INVALID_ARGUMENT, or
/// `signal.reason` when aborted.
#[wasm_bindgen(js_name = __userRequest, skip_typescript)]
pub fn user_request(
    username: JsValue,
    api_key: JsValue,
    path: JsValue,
    options: JsValue,
) -> Exported {
    exported(async move { signed(&username, &api_key, &path, &options).await })
}

async fn signed(
    username: &JsValue,
    api_key: &JsValue,
    path: &JsValue,
    options: &JsValue,
) -> Result<JsValue, Failure> {
    if username.is_null_or_undefined() || api_key.is_null_or_undefined() {
        return Err(AuthError::new(Code::SignedOut).into());
    }
    let o = interop::options(options)?;
    let method = field(options, "method");
    let method = if method.is_undefined() {
        None
    } else {
        Some(interop::string(&method, 8)?)
    };
    let json = field(options, "json");
    let json = if json.is_undefined() {
        None
    } else {
        Some(interop::string(&json, MAX_BODY_BYTES as u32)?)
    };
    let req = user_api::request(
        &o.base,
        &interop::string(username, MAX_STRING_LEN)?,
        &interop::string(api_key, MAX_STRING_LEN)?,
        &interop::string(path, MAX_STRING_LEN)?,
        user_api::method(method.as_deref())?,
        json,
    )?;
    let answer = o
        .cancel
        .guard(within(http::exchange(&req), o.timeout_ms))
        .await;
    match answer.map_err(Failure::Aborted)?? {
        Answer::Body(Some(body)) => Ok(body.into_value()),
        _ => Err(AuthError::new(Code::BadResponse).into()),
    }
}

/// `f`, or TIMEOUT once `ms` have passed (as the other calls' requests).
async fn within<T>(f: impl Future<Output = Result<T, AuthError>>, ms: u32) -> Result<T, AuthError> {
    race(f, Sleep::new(ms))
        .await
        .unwrap_or(Err(AuthError::new(Code::Timeout)))
}
