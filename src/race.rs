//! Racing two futures (a request against its timeout, work against the caller's abort),
//! and settling the promise a lost race leaves pending.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use js_sys::Function;
use wasm_bindgen::JsValue;

/// Polls `a` and `b` together; the first to finish wins and the other is dropped
/// (dropping a [`Sleep`](crate::sleep::Sleep) clears its timer, dropping a fetch future
/// lets `http.rs` abort the request).
pub async fn race<A: Future, B: Future>(a: A, b: B) -> Result<A::Output, B::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    poll_fn(|cx| {
        if let Poll::Ready(out) = a.as_mut().poll(cx) {
            return Poll::Ready(Ok(out));
        }
        b.as_mut().poll(cx).map(Err)
    })
    .await
}

/// Resolves a promise through its resolve function, if any. Calling it on a settled
/// promise does nothing, and it cannot throw.
pub fn settle(resolve: &Option<Function>) {
    if let Some(resolve) = resolve {
        let _ = resolve.call0(&JsValue::UNDEFINED);
    }
}
