//! waitForConfirmation's pacing, as a state machine over caller-supplied time: the shell
//! asks [`Pacer::next_action`], sleeps or polls, and reports each answer back. No clock
//! and no sleeping here, so every rule is tested without waiting. Users read these
//! rules in one place, the README's "Polling" section: a change here changes it.

use crate::error::{AuthError, Code};

/// TVmaze allows one poll per 10 s; against anything but a loopback stand-in the
/// interval never goes below this.
pub const MIN_REMOTE_INTERVAL_MS: u64 = 10_000;
/// A 429 without Retry-After doubles the interval up to this cap.
pub const MAX_BACKOFF_MS: u64 = 60_000;
/// After any 429 the interval is at least this, even when the server said
/// `Retry-After: 0` and the caller asked for `intervalMs: 0` on loopback: a client that
/// answers a rate limit by polling again at once is the client that gets banned.
pub const MIN_INTERVAL_AFTER_429_MS: u64 = 1_000;

/// The checked waitForConfirmation options.
#[derive(Clone, Copy)]
pub struct Pacing {
    /// `intervalMs`.
    pub interval_ms: u32,
    /// `deadlineMs`, counted from the call.
    pub deadline_ms: u32,
    /// `maxTransientErrors`.
    pub max_transient_errors: u32,
    /// Whether the base URL is a loopback host (exempt from the 10 s floor).
    pub loopback: bool,
}

/// What the shell should do now.
#[derive(PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum Action {
    /// Send the next poll.
    Poll,
    /// Sleep this many milliseconds, then ask again.
    Wait(u64),
    /// The deadline passed: reject with DEADLINE.
    Deadline,
}

/// Reported to `onPoll` after each pending answer, as `{ attempt, elapsedMs,
/// nextPollInMs }`.
#[derive(PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(Debug))]
pub struct Progress {
    /// Polls sent so far, this one included.
    pub attempt: u32,
    /// Milliseconds since waitForConfirmation was called.
    pub elapsed_ms: u32,
    /// Milliseconds until the next poll.
    pub next_poll_in_ms: u32,
}

/// The pacing state of one waitForConfirmation call.
pub struct Pacer {
    interval: u64,
    started: u64,
    deadline_at: u64,
    next_at: u64,
    max_transient: u32,
    transient_run: u32,
    attempts: u32,
}

impl Pacer {
    /// Starts the clock at `now` (ms). The first poll comes one interval after the call:
    /// the user needs time to confirm, and an app that just polled would get a 429.
    pub fn new(p: Pacing, now: u64) -> Pacer {
        let mut interval = u64::from(p.interval_ms);
        if !p.loopback {
            interval = interval.max(MIN_REMOTE_INTERVAL_MS);
        }
        Pacer {
            interval,
            started: now,
            deadline_at: now.saturating_add(u64::from(p.deadline_ms)),
            next_at: now.saturating_add(interval),
            max_transient: p.max_transient_errors,
            transient_run: 0,
            attempts: 0,
        }
    }

    /// The deadline wins over a due poll, and a wait never sleeps past the deadline, so
    /// the promise settles at `deadlineMs` rather than one interval later.
    pub fn next_action(&self, now: u64) -> Action {
        if now >= self.deadline_at {
            Action::Deadline
        } else if now >= self.next_at {
            Action::Poll
        } else {
            Action::Wait(self.next_at.min(self.deadline_at) - now)
        }
    }

    /// Milliseconds from `now` to the deadline: how long a poll sent now may be awaited.
    pub fn deadline_in(&self, now: u64) -> u64 {
        self.deadline_at.saturating_sub(now)
    }

    /// A poll answered "pending" at `now`.
    pub fn on_pending(&mut self, now: u64) -> Progress {
        self.attempts = self.attempts.saturating_add(1);
        self.transient_run = 0;
        self.schedule(now);
        Progress {
            attempt: self.attempts,
            // Both fit: the deadline and every interval are below 2^32 ms (49 days), and
            // u32 serializes to a JS number without a fallible conversion.
            elapsed_ms: saturate(now.saturating_sub(self.started)),
            next_poll_in_ms: saturate(self.interval),
        }
    }

    /// A poll failed at `now` with `err`. `Ok` means keep waiting (the pacing was
    /// adjusted); `Err` is the error the wait rejects with.
    pub fn on_error(&mut self, now: u64, err: AuthError) -> Result<(), AuthError> {
        self.attempts = self.attempts.saturating_add(1);
        match err.code {
            Code::RateLimited => {
                // The server answered, so the run of transient failures is over.
                self.transient_run = 0;
                let longer = match err.retry_after_ms {
                    Some(ms) => ms,
                    // "At least double", up to the cap.
                    None => self.interval.saturating_mul(2).min(MAX_BACKOFF_MS),
                };
                // Never shorter than before: the longer interval stays for the whole wait.
                self.interval = self.interval.max(longer).max(MIN_INTERVAL_AFTER_429_MS);
            }
            code if code.is_transient() && self.transient_run < self.max_transient => {
                self.transient_run += 1;
            }
            _ => return Err(err),
        }
        self.schedule(now);
        Ok(())
    }

    fn schedule(&mut self, now: u64) {
        self.next_at = now.saturating_add(self.interval);
    }
}

/// A [`Pacer`]'s progress as plain numbers, so that a wait can be stored and picked up
/// where it stopped: by a reload, or by another tab polling the same token (the sign-in
/// session keeps it with the pending pairing, so all tabs together keep one pace).
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub struct Snapshot {
    /// The interval in force, lengthened by any 429 so far.
    pub interval: u64,
    /// When the next poll is due.
    pub next_at: u64,
    /// Consecutive transient failures so far.
    pub transient_run: u32,
    /// Polls answered so far.
    pub attempts: u32,
}

impl Pacer {
    /// Where this pacer stands.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            interval: self.interval,
            next_at: self.next_at,
            transient_run: self.transient_run,
            attempts: self.attempts,
        }
    }

    /// A pacer for a wait that started at `started`, continued from `s` at `now`. `s`
    /// may come from storage, so it is held to the same rules as a new pacer: the
    /// interval is never shorter than asked, nor than 10 s unless loopback, nor longer
    /// than the longest Retry-After honoured; the next poll is never more than one
    /// interval away (a clock set back must not stall the wait); the transient budget
    /// is not exceeded.
    pub fn restore(p: Pacing, started: u64, s: Snapshot, now: u64) -> Pacer {
        let fresh = Pacer::new(p, started);
        let interval = s.interval.clamp(
            fresh.interval,
            crate::retry_after::MAX_RETRY_AFTER_MS.max(fresh.interval),
        );
        Pacer {
            interval,
            next_at: s.next_at.min(now.saturating_add(interval)),
            transient_run: s.transient_run.min(p.max_transient_errors),
            attempts: s.attempts,
            ..fresh
        }
    }
}

fn saturate(ms: u64) -> u32 {
    u32::try_from(ms).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacing(interval_ms: u32, loopback: bool) -> Pacing {
        Pacing {
            interval_ms,
            deadline_ms: 15 * 60 * 1000,
            max_transient_errors: 3,
            loopback,
        }
    }

    const T0: u64 = 1_000_000;

    fn rate_limited(retry_after_ms: Option<u64>) -> AuthError {
        AuthError {
            retry_after_ms,
            ..AuthError::http(Code::RateLimited, 429)
        }
    }

    #[test]
    fn first_poll_comes_one_interval_after_the_call() {
        let p = Pacer::new(pacing(10_000, false), T0);
        assert_eq!(p.next_action(T0), Action::Wait(10_000));
        assert_eq!(p.next_action(T0 + 9_999), Action::Wait(1));
        assert_eq!(p.next_action(T0 + 10_000), Action::Poll);
    }

    #[test]
    fn remote_interval_is_never_below_ten_seconds() {
        let p = Pacer::new(pacing(500, false), T0);
        assert_eq!(p.next_action(T0), Action::Wait(10_000));
        let p = Pacer::new(pacing(25_000, false), T0);
        assert_eq!(p.next_action(T0), Action::Wait(25_000));
    }

    #[test]
    fn loopback_may_poll_faster() {
        let p = Pacer::new(pacing(200, true), T0);
        assert_eq!(p.next_action(T0), Action::Wait(200));
        let p = Pacer::new(pacing(0, true), T0);
        assert_eq!(p.next_action(T0), Action::Poll);
    }

    #[test]
    fn pending_schedules_the_next_poll_and_reports_progress() {
        let mut p = Pacer::new(pacing(10_000, false), T0);
        let progress = p.on_pending(T0 + 10_300);
        assert_eq!(
            progress,
            Progress {
                attempt: 1,
                elapsed_ms: 10_300,
                next_poll_in_ms: 10_000
            }
        );
        assert_eq!(p.next_action(T0 + 10_300), Action::Wait(10_000));
        assert_eq!(p.on_pending(T0 + 20_300).attempt, 2);
    }

    #[test]
    fn rate_limit_without_retry_after_doubles_up_to_a_minute_and_sticks() {
        let mut p = Pacer::new(pacing(10_000, false), T0);
        let mut now = T0 + 10_000;
        let mut seen = Vec::new();
        for _ in 0..4 {
            p.on_error(now, rate_limited(None)).unwrap();
            let Action::Wait(ms) = p.next_action(now) else {
                panic!("expected a wait")
            };
            seen.push(ms);
            now += ms;
        }
        assert_eq!(seen, [20_000, 40_000, 60_000, 60_000]);
        // A pending answer afterwards keeps the longer interval.
        assert_eq!(p.on_pending(now).next_poll_in_ms, 60_000);
    }

    #[test]
    fn rate_limit_never_shortens_a_long_interval() {
        let mut p = Pacer::new(pacing(90_000, false), T0);
        p.on_error(T0 + 90_000, rate_limited(None)).unwrap();
        assert_eq!(p.next_action(T0 + 90_000), Action::Wait(90_000));
        p.on_error(T0 + 180_000, rate_limited(Some(1_000))).unwrap();
        assert_eq!(p.next_action(T0 + 180_000), Action::Wait(90_000));
    }

    #[test]
    fn rate_limit_with_retry_after_uses_it() {
        let mut p = Pacer::new(pacing(200, true), T0);
        p.on_error(T0 + 200, rate_limited(Some(1_000))).unwrap();
        assert_eq!(p.next_action(T0 + 200), Action::Wait(1_000));
        // It sticks: the next pending answer waits the same.
        assert_eq!(p.on_pending(T0 + 1_200).next_poll_in_ms, 1_000);
        // Longer than the doubling cap is honoured: polling earlier would just be refused.
        p.on_error(T0 + 2_200, rate_limited(Some(120_000))).unwrap();
        assert_eq!(p.next_action(T0 + 2_200), Action::Wait(120_000));
    }

    #[test]
    fn rate_limit_from_zero_interval_still_backs_off() {
        let mut p = Pacer::new(pacing(0, true), T0);
        p.on_error(T0, rate_limited(None)).unwrap();
        assert_eq!(p.next_action(T0), Action::Wait(MIN_INTERVAL_AFTER_429_MS));
        p.on_error(T0 + 1_000, rate_limited(None)).unwrap();
        assert_eq!(p.next_action(T0 + 1_000), Action::Wait(2_000));
    }

    #[test]
    fn retry_after_zero_still_slows_down_to_a_second() {
        let mut p = Pacer::new(pacing(0, true), T0);
        assert_eq!(p.next_action(T0), Action::Poll);
        p.on_error(T0, rate_limited(Some(0))).unwrap();
        assert_eq!(p.next_action(T0), Action::Wait(MIN_INTERVAL_AFTER_429_MS));
        assert_eq!(p.next_action(T0 + 999), Action::Wait(1));
        // And it stays: the next pending answer keeps the slower pace.
        assert_eq!(p.on_pending(T0 + 1_000).next_poll_in_ms, 1_000);
    }

    #[test]
    fn transient_errors_are_retried_up_to_the_budget() {
        for code in [Code::Network, Code::Timeout, Code::ServerError] {
            let err = AuthError::new(code);
            let mut p = Pacer::new(pacing(10_000, false), T0);
            let mut now = T0 + 10_000;
            for _ in 0..3 {
                assert_eq!(p.on_error(now, err), Ok(()), "{code:?}");
                // Same pacing as before.
                assert_eq!(p.next_action(now), Action::Wait(10_000));
                now += 10_000;
            }
            assert_eq!(p.on_error(now, err), Err(err));
        }
    }

    #[test]
    fn the_transient_budget_counts_consecutive_failures_only() {
        let net = AuthError::new(Code::Network);
        let mut p = Pacer::new(pacing(10_000, false), T0);
        for round in 0..3 {
            let now = T0 + round * 100_000;
            assert_eq!(p.on_error(now, net), Ok(()));
            assert_eq!(p.on_error(now + 1, net), Ok(()));
            assert_eq!(p.on_error(now + 2, net), Ok(()));
            // A pending answer (or a 429) resets the run.
            if round % 2 == 0 {
                p.on_pending(now + 3);
            } else {
                p.on_error(now + 3, rate_limited(None)).unwrap();
            }
        }
    }

    #[test]
    fn zero_budget_rejects_the_first_transient_error() {
        let mut p = Pacer::new(
            Pacing {
                max_transient_errors: 0,
                ..pacing(10_000, false)
            },
            T0,
        );
        let err = AuthError::http(Code::ServerError, 503);
        assert_eq!(p.on_error(T0, err), Err(err));
    }

    #[test]
    fn other_errors_reject_at_once() {
        for code in [
            Code::TokenNotFound,
            Code::BadResponse,
            Code::InvalidArgument,
            Code::EmailNotFound,
            Code::InvalidCredentials,
        ] {
            let mut p = Pacer::new(pacing(10_000, false), T0);
            let err = AuthError::http(code, 404);
            assert_eq!(p.on_error(T0 + 10_000, err), Err(err), "{code:?}");
        }
    }

    #[test]
    fn deadline_wins_and_waits_never_overshoot_it() {
        let mut p = Pacer::new(
            Pacing {
                deadline_ms: 25_000,
                ..pacing(10_000, false)
            },
            T0,
        );
        assert_eq!(p.next_action(T0), Action::Wait(10_000));
        p.on_pending(T0 + 10_000);
        p.on_pending(T0 + 20_000);
        // Next poll would be at 30 s; the deadline is at 25 s.
        assert_eq!(p.next_action(T0 + 20_000), Action::Wait(5_000));
        assert_eq!(p.next_action(T0 + 25_000), Action::Deadline);
        assert_eq!(p.next_action(T0 + 99_000), Action::Deadline);
    }

    #[test]
    fn a_restored_pacer_goes_on_where_the_snapshot_stopped() {
        let mut p = Pacer::new(pacing(10_000, false), T0);
        p.on_pending(T0 + 10_000);
        p.on_error(T0 + 20_000, rate_limited(None)).unwrap();
        let s = p.snapshot();
        let q = Pacer::restore(pacing(10_000, false), T0, s, T0 + 25_000);
        assert_eq!(q.snapshot(), s);
        assert_eq!(q.next_action(T0 + 25_000), p.next_action(T0 + 25_000));
        assert_eq!(q.deadline_in(T0 + 25_000), p.deadline_in(T0 + 25_000));
    }

    #[test]
    fn a_restored_pacer_keeps_the_floors_whatever_was_stored() {
        let stored = Snapshot {
            interval: 0,
            next_at: T0 + 10_000_000,
            transient_run: 99,
            attempts: 7,
        };
        let q = Pacer::restore(pacing(2_000, false), T0, stored, T0);
        let s = q.snapshot();
        // Never below TVmaze's 10 s, never more than one interval away, within budget.
        assert_eq!(s.interval, MIN_REMOTE_INTERVAL_MS);
        assert_eq!(q.next_action(T0), Action::Wait(MIN_REMOTE_INTERVAL_MS));
        assert_eq!(s.transient_run, 3);
        assert_eq!(s.attempts, 7);
        // Loopback keeps what was asked, and an interval a 429 lengthened stays long.
        let q = Pacer::restore(
            pacing(200, true),
            T0,
            Snapshot {
                interval: 0,
                ..stored
            },
            T0,
        );
        assert_eq!(q.snapshot().interval, 200);
        let long = Snapshot {
            interval: 40_000,
            next_at: T0 + 5_000,
            ..stored
        };
        let q = Pacer::restore(pacing(10_000, false), T0, long, T0);
        assert_eq!(q.snapshot().interval, 40_000);
        assert_eq!(q.next_action(T0), Action::Wait(5_000));
        let huge = Snapshot {
            interval: u64::MAX,
            ..stored
        };
        let q = Pacer::restore(pacing(10_000, false), T0, huge, T0);
        assert_eq!(
            q.snapshot().interval,
            crate::retry_after::MAX_RETRY_AFTER_MS
        );
    }

    #[test]
    fn zero_deadline_expires_immediately() {
        let p = Pacer::new(
            Pacing {
                deadline_ms: 0,
                ..pacing(0, true)
            },
            T0,
        );
        assert_eq!(p.next_action(T0), Action::Deadline);
    }
}
