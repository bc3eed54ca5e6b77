//! Sign a TVmaze user in from a web frontend without their password, using TVmaze's
//! authentication pairing flow (`/auth/start`, `/auth/poll`, `/auth/validate`).
//!
//! This file holds only the JS exports. The layers below it (CONTRIBUTING.md, "The
//! layers"), each importing only those under it:
//! - the shell: `client` runs each operation; `interop` converts options in and results
//!   and errors out; `http` is the one module that talks to the network (gloo-net);
//!   `cancel`, `sleep` (gloo-timers) and `race` bound the waits; `js` binds the few JS
//!   globals used directly;
//! - the pure core, plain Rust tested on the host with `cargo test`: `protocol`,
//!   `policy`, `args`, `url`, `retry_after`, `basic_auth`, `decimal`, `error`.
#![deny(missing_docs)]

mod allocator;
mod args;
mod basic_auth;
mod cancel;
mod client;
mod decimal;
mod error;
#[cfg(any(test, feature = "fuzzing"))]
mod host_body;
mod http;
mod interop;
mod js;
mod policy;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests;
mod protocol;
mod race;
mod retry_after;
mod session;
mod sleep;
mod typescript;
mod url;

/// The pure core, for the cargo-fuzz targets in `fuzz/` only: not part of the API, and
/// compiled only with the `fuzzing` feature, so the shipped wasm is unchanged.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod __fuzz {
    pub use crate::args::{base_url, BaseUrl};
    pub use crate::error::{AuthError, Code};
    pub use crate::host_body::parse as parse_body;
    pub use crate::protocol::{
        check_status, decode_poll, decode_start, decode_validate, too_large, AfterStatus, Endpoint,
        JsonObject,
    };
    pub use crate::retry_after::{parse as retry_after, MAX_RETRY_AFTER_MS};
}

use client::{Call, Exported};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

/// Starts a pairing request for the TVmaze user with this email address.
///
/// TVmaze emails the user a confirmation link (unless `emailConfirmation` is `false`, in
/// which case send the user to `confirmUrl`). Then call {@link waitForConfirmation} with
/// the token.
///
/// Rejects with a `TvmazeAuthError`: EMAIL_NOT_CONFIRMED, EMAIL_NOT_FOUND, RATE_LIMITED,
/// INVALID_ARGUMENT, SERVER_ERROR, BAD_RESPONSE, NETWORK or TIMEOUT; or with
/// `signal.reason` when aborted.
///
/// ```js
/// const { token, confirmUrl } = await startAuth("alice@example.com");
/// ```
#[wasm_bindgen(js_name = startAuth, unchecked_return_type = "Promise<StartResult>")]
pub fn start_auth(
    #[wasm_bindgen(unchecked_param_type = "string")] email: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "StartOptions")] options: JsValue,
) -> Exported {
    client::promise(Call::Start { email }, options)
}

/// Asks once whether the user has confirmed. The first "confirmed" answer carries the
/// API key, and TVmaze never hands it out again: keep it.
///
/// TVmaze allows one poll per 10 seconds; {@link waitForConfirmation} paces itself.
/// The poll is awaited until its answer is complete, never cut at `timeoutMs`: `signal`
/// ends the wait only once `timeoutMs` has passed, and `deadlineMs` (default 15 minutes)
/// in any case (DEADLINE). If the answer carries the key, the promise resolves with it.
///
/// ```js
/// const answer = await pollAuth(token);
/// if (answer.status === "confirmed") save(answer.username, answer.apiKey);
/// ```
#[wasm_bindgen(
    js_name = pollAuth,
    unchecked_return_type = "Promise<PollResult>"
)]
pub fn poll_auth(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PollOptions")] options: JsValue,
) -> Exported {
    client::promise(Call::Poll { token }, options)
}

/// Checks a username and API key, and tells the user's premium level
/// (0 none, 1 bronze, 2 silver, 3 gold).
///
/// Rejects with INVALID_CREDENTIALS when TVmaze refuses them. The key travels only in
/// the `Authorization` header.
///
/// ```js
/// const { premium, level } = await validate("alice", apiKey);
/// ```
#[wasm_bindgen(
    js_name = validate,
    unchecked_return_type = "Promise<ValidateResult>"
)]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "string")] username: JsValue,
    #[wasm_bindgen(js_name = apiKey, unchecked_param_type = "string")] api_key: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
) -> Exported {
    client::promise(Call::Validate { username, api_key }, options)
}

/// Polls until the user confirms, and resolves with their API key and username.
///
/// It keeps to TVmaze's pace, slows down after a 429, retries a few transient failures
/// and rejects with DEADLINE after `deadlineMs`; a poll on the wire is never cut at
/// `timeoutMs` (as in {@link pollAuth}), and `onPoll` is told after each pending
/// answer. The rules, with their numbers, are stated once, in the README's "Polling"
/// section; each option's default is on {@link WaitOptions}.
///
/// ```js
/// const { apiKey, username } = await waitForConfirmation(token, {
///   signal: controller.signal,
///   onPoll: ({ attempt, nextPollInMs }) => show(`waiting… (${attempt})`),
/// });
/// ```
#[wasm_bindgen(
    js_name = waitForConfirmation,
    unchecked_return_type = "Promise<Credentials>"
)]
pub fn wait_for_confirmation(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "WaitOptions")] options: JsValue,
) -> Exported {
    client::promise(Call::Wait { token }, options)
}

/// Whether `e` is an error thrown by this library (as opposed to an abort reason or an
/// unrelated error), narrowing its type in TypeScript.
///
/// ```js
/// try { await startAuth(email); }
/// catch (e) { if (isTvmazeAuthError(e) && e.code === "EMAIL_NOT_FOUND") askAgain(); else throw e; }
/// ```
#[wasm_bindgen(js_name = isTvmazeAuthError, unchecked_return_type = "e is TvmazeAuthError")]
pub fn is_tvmaze_auth_error(#[wasm_bindgen(unchecked_param_type = "unknown")] e: JsValue) -> bool {
    interop::is_auth_error(&e)
}
