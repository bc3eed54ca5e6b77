//! Waiting, on gloo-timers: the request timeout and the pause between polls.
//!
//! A `gloo_timers::callback::Timeout` whose callback resolves a promise, awaited as a
//! `JsFuture`: gloo-timers' own clock and its clear-on-drop, without the futures-channel
//! oneshot of its `TimeoutFuture`, which costs more (docs/size.md) while the `JsFuture`
//! machinery is linked anyway. Like every gloo timer it binds the global `setTimeout`,
//! so it works on a page, in a Worker and in Node.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use gloo_timers::callback::Timeout;
use js_sys::{Function, Promise};
use wasm_bindgen_futures::JsFuture;

use crate::race::settle;

/// A future that completes `ms` milliseconds after it was created; dropping it early
/// clears the timer.
#[must_use = "a Sleep does nothing unless awaited, and clears its timer when dropped"]
pub struct Sleep {
    /// Cleared when dropped (gloo-timers' `Drop`).
    _timer: Timeout,
    /// The promise's resolve function, also called on drop (see there).
    resolve: Option<Function>,
    fired: JsFuture,
}

impl Sleep {
    /// Starts the timer; `ms` must be at most `args::MAX_DELAY_MS`, beyond which
    /// `setTimeout` fires at once.
    pub fn new(ms: u32) -> Sleep {
        let mut resolve = None;
        let fired = Promise::new(&mut |res, _reject| resolve = Some(res));
        let on_time = resolve.clone();
        Sleep {
            _timer: Timeout::new(ms, move || settle(&on_time)),
            resolve,
            fired: JsFuture::from(fired),
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        // A JsFuture frees its callbacks only when its promise settles: one left pending
        // forever (a cancelled timer) would leak them and an externref slot per call.
        // Settling it now lets them run once, into a task that no longer listens.
        settle(&self.resolve);
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.fired).poll(cx).map(|_| ())
    }
}
