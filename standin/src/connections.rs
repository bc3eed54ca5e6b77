//! What every open connection is doing, so that slow or idle peers cannot hold the
//! server: a deadline for each connection's request head, one for keep-alive idleness,
//! and a cap on open connections that closes the longest-idle ones to make room. A
//! connection whose request body is still arriving counts as idle at the cap: its peer,
//! not the server, is what holds it up (body_limit.rs bounds how long it may take).
//!
//! hyper's own `header_read_timeout` is not used: it starts whenever a connection waits
//! for a request head, including between requests on a keep-alive connection, so it
//! would also close idle keep-alive connections after the (short) header timeout. A
//! client polling every 10 s would then race the server's close on every poll. Here the
//! two are told apart: a head must arrive within the header timeout of the connection's
//! accept or of its first byte, and a connection with no request may idle for the
//! (longer) idle timeout.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;

/// Time limits and the cap, from the command line.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// A request head must be complete this long after the connection was accepted or,
    /// on a kept-alive connection, after its first byte.
    pub header_read: Duration,
    /// A connection with no request in progress and no bytes moving is closed after this.
    pub idle: Duration,
    /// At most this many connections are open at once, both origins together.
    pub max: usize,
}

/// "No head is being read" in [`Activity::head_since`].
const NONE: u64 = u64::MAX;
/// Repeated warnings (accept failures, shedding) are logged at most this often.
const LOG_EVERY: Duration = Duration::from_secs(60);

/// One connection's state, shared by its IO, its requests and its watchdog. Times are
/// milliseconds since [`Connections::epoch`].
#[derive(Debug)]
pub struct Activity {
    id: u64,
    epoch: Instant,
    /// Requests whose handler is running (0 or 1: HTTP/1 serves them in turn). No
    /// deadline applies meanwhile: handlers bound their own time (body reads, delays).
    handling: AtomicU32,
    /// Responses whose body is still being written.
    responding: AtomicU32,
    /// When the connection last had no request in progress (accept or last response).
    free_since: AtomicU64,
    /// When the request head now being read began, or [`NONE`].
    head_since: AtomicU64,
    /// When the running request's head was read, while its body is still arriving; else
    /// [`NONE`].
    body_since: AtomicU64,
    /// When a byte was last read or written.
    last_io: AtomicU64,
    /// Asks the connection to close at once.
    shed: Notify,
}

impl Activity {
    fn now(&self) -> u64 {
        millis(self.epoch.elapsed())
    }

    /// Whether nothing is in progress: no handler runs and no answer is being written.
    fn is_idle(&self) -> bool {
        self.handling.load(Ordering::Acquire) == 0 && self.responding.load(Ordering::Acquire) == 0
    }

    /// Since when the cap may close this connection: idle since its last answer, or
    /// waiting for its peer's request body since the head; `None` while the server is
    /// working on it (a handler with its whole body, or an answer being written).
    fn sheddable_since(&self) -> Option<u64> {
        if self.responding.load(Ordering::Acquire) > 0 {
            return None;
        }
        let body_since = self.body_since.load(Ordering::Acquire);
        if body_since != NONE {
            return Some(body_since);
        }
        self.is_idle()
            .then(|| self.free_since.load(Ordering::Acquire))
    }

    /// When this connection must close if nothing changes, in ms; `None` while a
    /// handler runs.
    fn deadline(&self, limits: &ConnLimits) -> Option<u64> {
        if self.handling.load(Ordering::Acquire) > 0 {
            return None;
        }
        let last_io = self.last_io.load(Ordering::Acquire);
        if self.responding.load(Ordering::Acquire) > 0 {
            // A peer that stops reading its answer is as idle as one that sends nothing.
            return Some(last_io.saturating_add(millis(limits.idle)));
        }
        let head_since = self.head_since.load(Ordering::Acquire);
        if head_since != NONE {
            return Some(head_since.saturating_add(millis(limits.header_read)));
        }
        let free_since = self.free_since.load(Ordering::Acquire);
        Some(free_since.max(last_io).saturating_add(millis(limits.idle)))
    }

    /// A request head was read completely: its handler starts.
    pub fn request_started(self: &Arc<Self>) -> Handling {
        self.handling.fetch_add(1, Ordering::AcqRel);
        self.head_since.store(NONE, Ordering::Release);
        Handling(Arc::clone(self))
    }

    /// The running request's body has not all arrived yet: until the guard drops (at
    /// the body's end, or with the request), the cap may close this connection.
    pub fn reading_body(self: &Arc<Self>) -> ReadingBody {
        self.body_since.store(self.now(), Ordering::Release);
        ReadingBody(Arc::clone(self))
    }

    /// The handler produced a response whose body is about to be written.
    pub fn responding(self: &Arc<Self>) -> Responding {
        self.responding.fetch_add(1, Ordering::AcqRel);
        Responding(Arc::clone(self))
    }

    fn read_bytes(&self) {
        let now = self.now();
        self.last_io.store(now, Ordering::Release);
        if self.is_idle() {
            // The first byte of the next request head starts its clock.
            let _ =
                self.head_since
                    .compare_exchange(NONE, now, Ordering::AcqRel, Ordering::Acquire);
        }
    }

    fn wrote_bytes(&self) {
        self.last_io.store(self.now(), Ordering::Release);
    }
}

/// Held while a request's handler runs.
pub struct Handling(Arc<Activity>);

impl Drop for Handling {
    fn drop(&mut self) {
        self.0.handling.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Held while a request body is still arriving.
pub struct ReadingBody(Arc<Activity>);

impl Drop for ReadingBody {
    fn drop(&mut self) {
        self.0.body_since.store(NONE, Ordering::Release);
    }
}

/// Held by a response body until hyper has written it or dropped it.
pub struct Responding(Arc<Activity>);

impl Drop for Responding {
    fn drop(&mut self) {
        let activity = &self.0;
        activity.free_since.store(activity.now(), Ordering::Release);
        activity.responding.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Every open connection of both origins.
#[derive(Debug)]
pub struct Connections {
    limits: ConnLimits,
    epoch: Instant,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Activity>>>,
    shed_log: Throttle,
    refused_log: Throttle,
    accept_log: Throttle,
}

impl Connections {
    /// No connections yet.
    pub fn new(limits: ConnLimits) -> Self {
        Self {
            limits,
            epoch: Instant::now(),
            next_id: AtomicU64::new(0),
            open: Mutex::new(HashMap::new()),
            shed_log: Throttle::default(),
            refused_log: Throttle::default(),
            accept_log: Throttle::default(),
        }
    }

    fn open(&self) -> MutexGuard<'_, HashMap<u64, Arc<Activity>>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a newly accepted connection. At the cap, the longest-idle connection (or
    /// the one longest stuck in its request body) is closed to make room; when the server
    /// is working on every connection, the new one is refused (`None`) instead, so the
    /// cap holds.
    pub fn admit(&self, origin: &'static str) -> Option<Arc<Activity>> {
        let mut open = self.open();
        if open.len() >= self.limits.max {
            if self.shed_longest_idle(&mut open) {
                if let Some(more) = self.shed_log.due() {
                    tracing::warn!(
                        origin,
                        max = self.limits.max,
                        more,
                        "at the connection cap: closing the longest-idle connections, or \
                         those stuck in a request body (logged at most once a minute; `more` \
                         counts since the last line)"
                    );
                }
            } else {
                if let Some(more) = self.refused_log.due() {
                    tracing::warn!(
                        origin,
                        max = self.limits.max,
                        more,
                        "at the connection cap with every connection busy: refusing new ones \
                         (logged at most once a minute)"
                    );
                }
                return None;
            }
        }
        let now = millis(self.epoch.elapsed());
        let activity = Arc::new(Activity {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            epoch: self.epoch,
            handling: AtomicU32::new(0),
            responding: AtomicU32::new(0),
            free_since: AtomicU64::new(now),
            // A new connection owes its first head from the moment it was accepted.
            head_since: AtomicU64::new(now),
            body_since: AtomicU64::new(NONE),
            last_io: AtomicU64::new(now),
            shed: Notify::new(),
        });
        open.insert(activity.id, Arc::clone(&activity));
        Some(activity)
    }

    /// Closes the connection that has waited on its peer for longest (idle, or in its
    /// request body), if any does.
    fn shed_longest_idle(&self, open: &mut HashMap<u64, Arc<Activity>>) -> bool {
        let victim = open
            .values()
            .filter_map(|a| Some((a.sheddable_since()?, a.id)))
            .min()
            .map(|(_, id)| id);
        let Some(activity) = victim.and_then(|id| open.remove(&id)) else {
            return false;
        };
        activity.shed.notify_one();
        true
    }

    /// An accept failed (e.g. EMFILE, out of file descriptors): logs it at most once a
    /// minute and frees a descriptor by closing the longest-idle connection.
    pub fn accept_failed(&self, origin: &'static str, error: &io::Error) {
        if let Some(more) = self.accept_log.due() {
            tracing::warn!(
                origin,
                %error,
                more,
                "accept failed; backing off (logged at most once a minute; `more` counts \
                 the failures since the last line)"
            );
        }
        let mut open = self.open();
        self.shed_longest_idle(&mut open);
    }

    /// Runs `connection` until it ends, is shed, or misses its deadline; then drops it,
    /// which closes the socket.
    pub async fn drive<F>(&self, activity: Arc<Activity>, connection: F, origin: &'static str)
    where
        F: std::future::Future<Output = Result<(), hyper::Error>>,
    {
        let mut connection = std::pin::pin!(connection);
        loop {
            let wake = match activity.deadline(&self.limits) {
                Some(ms) => ms,
                // A handler is running: look again after an idle period.
                None => activity.now().saturating_add(millis(self.limits.idle)),
            };
            let wake = tokio::time::Instant::from_std(self.epoch + Duration::from_millis(wake));
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(origin, error = %e, "connection ended with an error");
                    }
                    break;
                }
                () = activity.shed.notified() => {
                    tracing::debug!(origin, "connection closed to make room");
                    break;
                }
                () = tokio::time::sleep_until(wake) => {
                    // Something may have moved meanwhile; close only if still overdue.
                    if activity
                        .deadline(&self.limits)
                        .is_some_and(|ms| ms <= activity.now())
                    {
                        tracing::debug!(origin, "connection timed out");
                        break;
                    }
                }
            }
        }
        self.open().remove(&activity.id);
    }

    /// How many connections are open.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.open().len()
    }
}

/// A warning logged at most once per [`LOG_EVERY`].
#[derive(Debug, Default)]
struct Throttle(Mutex<(Option<Instant>, u64)>);

impl Throttle {
    /// `Some(occurrences not logged since the last line)` when it is time to log.
    fn due(&self) -> Option<u64> {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let (last, skipped) = &mut *state;
        if last.is_some_and(|t| t.elapsed() < LOG_EVERY) {
            *skipped += 1;
            return None;
        }
        *last = Some(Instant::now());
        Some(std::mem::take(skipped))
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// A socket that reports the bytes moving through it to its connection's [`Activity`].
pub struct Tracked<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S> Tracked<S> {
    /// Wraps `inner`.
    pub fn new(inner: S, activity: Arc<Activity>) -> Self {
        Self { inner, activity }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.activity.read_bytes();
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.wrote_bytes();
        }
        result
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.wrote_bytes();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connections(max: usize) -> Connections {
        Connections::new(ConnLimits {
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(30),
            max,
        })
    }

    #[test]
    fn a_new_connection_owes_its_head_within_the_header_timeout() {
        let c = connections(10);
        let a = c.admit("test").expect("room");
        let accepted = a.head_since.load(Ordering::Acquire);
        assert_eq!(a.deadline(&c.limits), Some(accepted + 10_000));
        // A request runs: no deadline; its answer is written: idle deadline from then.
        let handling = a.request_started();
        assert_eq!(a.deadline(&c.limits), None);
        let responding = a.responding();
        drop(handling);
        assert!(a.deadline(&c.limits).is_some());
        drop(responding);
        let free = a.free_since.load(Ordering::Acquire);
        assert_eq!(a.deadline(&c.limits), Some(free.max(accepted) + 30_000));
        // The next head's first byte starts the header clock again.
        a.read_bytes();
        let head = a.head_since.load(Ordering::Acquire);
        assert_ne!(head, NONE);
        assert_eq!(a.deadline(&c.limits), Some(head + 10_000));
    }

    #[test]
    fn at_the_cap_the_longest_idle_connection_makes_room() {
        let c = connections(3);
        let busy = c.admit("test").expect("room");
        let _handling = busy.request_started();
        let oldest_idle = c.admit("test").expect("room");
        std::thread::sleep(Duration::from_millis(5));
        let newer_idle = c.admit("test").expect("room");
        assert_eq!(c.len(), 3);
        let fourth = c.admit("test").expect("room made");
        assert_eq!(c.len(), 3);
        let open = c.open();
        assert!(!open.contains_key(&oldest_idle.id), "the longest idle went");
        assert!(open.contains_key(&busy.id) && open.contains_key(&newer_idle.id));
        assert!(open.contains_key(&fourth.id));
    }

    #[test]
    fn at_the_cap_a_connection_stuck_in_its_body_makes_room_like_an_idle_one() {
        let c = connections(2);
        let working = c.admit("test").expect("room");
        let _working = working.request_started();
        let stuck = c.admit("test").expect("room");
        let _handling = stuck.request_started();
        let body = stuck.reading_body();
        let third = c.admit("test").expect("room made");
        let open = c.open();
        assert!(!open.contains_key(&stuck.id), "the stuck body went");
        assert!(open.contains_key(&working.id) && open.contains_key(&third.id));
        drop(open);
        // Once its body has arrived, the server is working on it: not to be shed.
        drop(body);
        assert_eq!(stuck.sheddable_since(), None);
    }

    #[test]
    fn at_the_cap_with_every_connection_busy_new_ones_are_refused() {
        let c = connections(2);
        let a = c.admit("test").expect("room");
        let b = c.admit("test").expect("room");
        let _ha = a.request_started();
        let _hb = b.request_started();
        assert!(c.admit("test").is_none());
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn throttled_warnings_count_what_they_skip() {
        let t = Throttle::default();
        assert_eq!(t.due(), Some(0));
        for _ in 0..5 {
            assert_eq!(t.due(), None);
        }
        assert_eq!(t.0.lock().expect("lock").1, 5);
    }
}
