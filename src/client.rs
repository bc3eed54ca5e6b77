//! The four operations, from JS arguments to a JS result or rejection: check arguments,
//! build the request (protocol), send it (http), interpret the answer (protocol),
//! convert (interop). Abort and time limits live here because they differ per
//! operation: start and validate stop at once (abort) or at `timeoutMs` (TIMEOUT); a
//! poll already on the wire is awaited until its answer is complete (see [`poll_once`]).
//!
//! All four run through [`run`]: one exhaustive match with an arm per export, each
//! naming its argument checks, its request and its decoder, so a new export does not
//! compile without them.

use std::future::Future;

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

use crate::args::{self, MAX_DELAY_MS, MAX_EMAIL_LEN, MAX_STRING_LEN};
use crate::error::{AuthError, Code};
use crate::http::{self, Answer, JsonBody};
use crate::interop::{self, Options, Out};
use crate::js;
use crate::policy::{Action, Pacer};
use crate::protocol::{self, Confirmed, HttpRequest, Polled};
use crate::race::race;
use crate::sleep::Sleep;

/// One export's call: its arguments as JS passed them, checked in [`run`].
pub enum Call {
    /// startAuth(email, options)
    Start {
        /// The user's email address.
        email: JsValue,
    },
    /// pollAuth(token, options)
    Poll {
        /// startAuth's token.
        token: JsValue,
    },
    /// validate(username, apiKey, options)
    Validate {
        /// The TVmaze username.
        username: JsValue,
        /// The user's API key.
        api_key: JsValue,
    },
    /// waitForConfirmation(token, options)
    Wait {
        /// startAuth's token.
        token: JsValue,
    },
}

/// Why a call rejects: one of our errors, or the caller's `signal.reason`, passed
/// through untouched exactly as fetch does.
pub enum Failure {
    Auth(AuthError),
    Aborted(JsValue),
}

impl From<AuthError> for Failure {
    fn from(e: AuthError) -> Self {
        Failure::Auth(e)
    }
}

/// What every promise-returning export returns: its promise, always `Ok`. Not a bare
/// `Promise`: as a `Result` wasm-bindgen returns it as several values, and V8 inlines
/// into optimized JS only calls to exports that return one. Node 20 and 22 abort the
/// process when such an inlined call returning an externref is deoptimized while it
/// runs, as a flood of calls does (docs/reliability.md).
pub type Exported = Result<Promise, JsValue>;

/// Runs `call` as a JS promise.
pub fn promise(call: Call, options: JsValue) -> Exported {
    exported(run(call, options))
}

/// `work` as the promise an export returns: it resolves with the value, or rejects with
/// a `TvmazeAuthError` or the caller's `signal.reason`.
pub fn exported(work: impl Future<Output = Result<JsValue, Failure>> + 'static) -> Exported {
    Ok(future_to_promise(async move {
        work.await.map_err(|f| match f {
            Failure::Auth(e) => interop::error(e),
            Failure::Aborted(reason) => reason,
        })
    }))
}

fn abort_check(o: &Options) -> Result<(), Failure> {
    o.cancel
        .reason()
        .map_or(Ok(()), |r| Err(Failure::Aborted(r)))
}

/// Checks the arguments (nothing is sent when one is wrong), then runs the operation.
async fn run(call: Call, options: JsValue) -> Result<JsValue, Failure> {
    let o = interop::options(&options)?;
    let out = match call {
        Call::Start { email } => {
            let email = interop::string(&email, MAX_EMAIL_LEN)?;
            let req = protocol::start_request(&o.base, args::email(&email)?, o.email_confirmation);
            let body = exchange(&o, &req).await?;
            Out::Started(protocol::decode_start(body.as_ref(), &o.base)?)
        }
        Call::Validate { username, api_key } => {
            let username = interop::string(&username, MAX_STRING_LEN)?;
            let api_key = interop::string(&api_key, MAX_STRING_LEN)?;
            let (username, api_key) = (args::username(&username)?, args::api_key(&api_key)?);
            let req = protocol::validate_request(&o.base, username, api_key);
            let body = exchange(&o, &req).await?;
            Out::Premium(protocol::decode_validate(body.as_ref())?)
        }
        Call::Poll { token } => Out::Polled(poll(&o, &token_arg(&token)?).await?),
        Call::Wait { token } => Out::Confirmed(wait(&o, &token_arg(&token)?).await?),
    };
    Ok(interop::to_js(&out)?)
}

/// start's and validate's exchange: the caller's abort stops it on the spot, and so
/// does the timeout (`http` aborts the fetch when its future is dropped).
async fn exchange(o: &Options, req: &HttpRequest) -> Result<Option<JsonBody>, Failure> {
    let answer = o
        .cancel
        .guard(within(http::exchange(req), o.timeout_ms))
        .await;
    Ok(answer.map_err(Failure::Aborted)??.into_body())
}

/// The token argument of pollAuth and waitForConfirmation, checked.
fn token_arg(token: &JsValue) -> Result<String, AuthError> {
    let token = interop::string(token, MAX_STRING_LEN)?;
    args::non_blank(&token)?;
    Ok(token)
}

/// `f`, or TIMEOUT once `ms` have passed (the losing future is dropped: a dropped
/// exchange aborts its request, a dropped Sleep clears its timer).
async fn within<T>(f: impl Future<Output = Result<T, AuthError>>, ms: u32) -> Result<T, AuthError> {
    race(f, Sleep::new(ms))
        .await
        .unwrap_or(Err(AuthError::new(Code::Timeout)))
}

/// One poll, awaited until its answer is complete. TVmaze hands the key out when the
/// poll arrives, so an answer given up on may hold the only copy of it: a timeout never
/// cuts a poll. Only two things do: the deadline (`deadline_in_ms` from now, DEADLINE)
/// and the caller's abort, and the abort only once `timeoutMs` has passed, so that an
/// answer already on its way is still read and its key delivered.
async fn poll_once(
    o: &Options,
    token: &str,
    deadline_in_ms: u64,
) -> Result<Option<Confirmed>, Failure> {
    let req = protocol::poll_request(&o.base, token);
    let answer = async {
        match http::exchange(&req).await? {
            Answer::Pending => Ok(None),
            answer => protocol::decode_poll(answer.into_body().as_ref()).map(Some),
        }
    };
    // Lossless: the deadline option is at most MAX_DELAY_MS, what setTimeout takes.
    let deadline = deadline_in_ms.min(u64::from(MAX_DELAY_MS)) as u32;
    let grace = o.timeout_ms.min(deadline);
    let cut = async {
        Sleep::new(grace).await;
        o.cancel.guard(Sleep::new(deadline - grace)).await
    };
    match race(answer, cut).await {
        Ok(out) => Ok(out?),
        Err(Ok(())) => Err(AuthError::new(Code::Deadline).into()),
        Err(Err(reason)) => Err(Failure::Aborted(reason)),
    }
}

/// pollAuth: nothing is sent if already aborted; after the answer, only the key beats an
/// abort that happened meanwhile.
async fn poll(o: &Options, token: &str) -> Result<Polled, Failure> {
    abort_check(o)?;
    let out = poll_once(o, token, o.pacing.deadline_ms.into()).await;
    if !matches!(out, Ok(Some(_))) {
        abort_check(o)?;
    }
    Ok(match out? {
        Some(confirmed) => Polled::Confirmed(confirmed),
        None => Polled::Pending,
    })
}

/// waitForConfirmation: the pacing decisions are all in `policy::Pacer`; this loop only
/// sleeps, polls and reports.
async fn wait(o: &Options, token: &str) -> Result<Confirmed, Failure> {
    let mut pacer = Pacer::new(o.pacing, js::now());
    loop {
        abort_check(o)?;
        match pacer.next_action(js::now()) {
            Action::Deadline => return Err(AuthError::new(Code::Deadline).into()),
            Action::Wait(ms) => {
                // Never more than setTimeout takes (the pacer's waits are bounded by the
                // deadline, itself at most MAX_DELAY_MS); `min` makes the cast lossless.
                let step = ms.min(u64::from(MAX_DELAY_MS)) as u32;
                let slept = o.cancel.guard(Sleep::new(step)).await;
                slept.map_err(Failure::Aborted)?;
            }
            Action::Poll => match poll_once(o, token, pacer.deadline_in(js::now())).await {
                Ok(Some(confirmed)) => return Ok(confirmed),
                Ok(None) => {
                    let progress = pacer.on_pending(js::now());
                    abort_check(o)?;
                    interop::report(&o.on_poll, progress);
                }
                Err(Failure::Auth(e)) => {
                    abort_check(o)?;
                    pacer.on_error(js::now(), e)?;
                }
                Err(aborted) => return Err(aborted),
            },
        }
    }
}
