//! Waiting, on gloo-timers: the request timeout and the pause between polls.
//!
//! A `gloo_timers::callback::Timeout` (the global `setTimeout`, cleared on drop) whose
//! callback wakes the task itself: smaller than gloo-timers' `TimeoutFuture`, and no
//! promise job per wait (docs/size.md).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use gloo_timers::callback::Timeout;

/// What the timer's callback and the future share.
#[derive(Default)]
struct Fired {
    done: Cell<bool>,
    waker: Cell<Option<Waker>>,
}

/// A future that completes `ms` milliseconds after it was created; dropping it early
/// clears the timer (and frees its callback, so nothing is left behind).
#[must_use = "a Sleep does nothing unless awaited, and clears its timer when dropped"]
pub struct Sleep {
    /// Cleared when dropped (gloo-timers' `Drop`).
    _timer: Timeout,
    fired: Rc<Fired>,
}

impl Sleep {
    /// Starts the timer; `ms` must be at most `args::MAX_DELAY_MS`, beyond which
    /// `setTimeout` fires at once.
    pub fn new(ms: u32) -> Sleep {
        let fired = Rc::new(Fired::default());
        let on_time = fired.clone();
        Sleep {
            _timer: Timeout::new(ms, move || {
                on_time.done.set(true);
                if let Some(waker) = on_time.waker.take() {
                    waker.wake();
                }
            }),
            fired,
        }
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.fired.done.get() {
            return Poll::Ready(());
        }
        self.fired.waker.set(Some(cx.waker().clone()));
        Poll::Pending
    }
}
