//! Sleeping, for the request timeout and the pauses between polls.
//!
//! Not gloo-timers' `TimeoutFuture`, which issue 4 names: it costs a futures-channel
//! oneshot and a Rust closure per timer (about 0.7 KB gz of the 24 KB budget), while a
//! promise resolved by the global `setTimeout` reuses the `JsFuture` machinery every
//! await already links. Like gloo-timers it binds the global, so it works in Workers
//! and Node, and it clears the timer when dropped.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    // `ms` crosses as a JS number; callers keep it within setTimeout's 2^31 - 1, beyond
    // which it would fire at once.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// A future that completes `ms` milliseconds after it was created.
pub struct Sleep {
    id: JsValue,
    /// The promise's resolve function, called on drop (see there).
    resolve: Option<Function>,
    fired: JsFuture,
}

impl Sleep {
    /// Starts the timer; `ms` must be at most `validate::MAX_DELAY_MS`.
    pub fn new(ms: u32) -> Sleep {
        let mut id = JsValue::UNDEFINED;
        let mut resolve = None;
        // The promise's own resolve function is the timer callback.
        let fired = Promise::new(&mut |res, _reject| {
            id = set_timeout(&res, ms);
            resolve = Some(res);
        });
        Sleep {
            id,
            resolve,
            fired: JsFuture::from(fired),
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        // Clearing a timer that already fired is a no-op.
        clear_timeout(&self.id);
        // A JsFuture frees its callbacks only when its promise settles: one left pending
        // forever (a cancelled timer) would leak them and an externref slot per call.
        // Settling it now lets them run once, into a task that no longer listens.
        crate::cancel::settle(&self.resolve);
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.fired).poll(cx).map(|_| ())
    }
}
