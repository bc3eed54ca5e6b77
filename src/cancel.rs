//! The caller's `AbortSignal`, and racing work against it.
//!
//! Rejecting with `signal.reason` ourselves, instead of handing the signal to fetch, lets
//! a poll that is already on the wire finish (its answer may carry the only copy of the
//! API key) while everything else stops at once.

use std::future::Future;

use js_sys::{Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::js;
use crate::race::{race, settle};

/// Whether `value` is an AbortSignal whose `aborted` getter works. An object merely
/// inheriting from `AbortSignal.prototype` passes `instanceof` but throws from the
/// getter, and web-sys's bindings would let that exception unwind through the wasm.
pub fn is_signal(value: &JsValue) -> bool {
    value.is_instance_of::<AbortSignal>()
        && js::get(value, "aborted").is_some_and(|v| v.as_bool().is_some())
}

/// The caller's optional signal, checked by [`is_signal`].
pub struct Cancel(pub Option<AbortSignal>);

impl Cancel {
    /// `Some(signal.reason)` once the signal has fired.
    pub fn reason(&self) -> Option<JsValue> {
        self.0.as_ref().filter(|s| s.aborted()).map(|s| s.reason())
    }

    /// Runs `f` unless or until the signal fires; then `Err(signal.reason)`, and `f` is
    /// dropped on the spot.
    pub async fn guard<F: Future>(&self, f: F) -> Result<F::Output, JsValue> {
        let Some(signal) = &self.0 else {
            return Ok(f.await);
        };
        if signal.aborted() {
            return Err(signal.reason());
        }
        // A promise resolved by the "abort" event: its resolve function is the listener
        // itself, so no Rust closure is made for it.
        let mut resolve: Option<Function> = None;
        let fired = Promise::new(&mut |res, _rej| resolve = Some(res));
        if let Some(listener) = &resolve {
            let _ = signal.add_event_listener_with_callback("abort", listener);
        }
        let out = race(f, JsFuture::from(fired)).await;
        if let Some(listener) = &resolve {
            // Long-lived signals (one per page, say) must not collect a listener per call.
            let _ = signal.remove_event_listener_with_callback("abort", listener);
        }
        // Settle `fired` if the signal never did: a JsFuture frees its callbacks only
        // when its promise settles, so one left pending forever would leak them and an
        // externref slot per call.
        settle(&resolve);
        out.map_err(|_| signal.reason())
    }
}
