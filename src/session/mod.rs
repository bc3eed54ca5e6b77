//! A sign-in session's decisions, as a pure state machine over caller-supplied time:
//! the JS shell (npm/session.js) reports what happened (the stored value was read or
//! changed by another tab, sign-in was asked for, a poll or validation answered, a
//! signed request got a 401, sign-out) and [`step`] says what the state is now, whether
//! to store and announce it, which `change` to report, and what to do next (start, poll
//! now, wait N ms, validate). No clock, storage or network here, so every rule is
//! tested on the host without waiting, like `policy.rs`, whose pacing it reuses.
//!
//! Across tabs the stored record is the truth: the pace of polling (when the next poll
//! of the token is due, in wall-clock ms) is part of it, so all tabs together keep
//! TVmaze's interval; the key is stored the moment a poll hands it out, before it is
//! validated or announced.

pub mod record;
pub mod shell;
mod types;
pub mod user_api;

use crate::args::{self, BaseUrl, DEFAULT_MAX_TRANSIENT_ERRORS};
use crate::error::{AuthError, Code, INVALID};
use crate::policy::{Action, Pacer, Pacing, Progress, Snapshot};
use record::{Credentials, Key, Pending, Reason, State};

/// Where a stored value came from.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum Source {
    /// This tab's storage (a `storage` event, or a read before acting).
    Storage,
    /// Another tab's message, for storage this tab does not share (sessionStorage):
    /// adopted, it is stored here too.
    Message,
}

/// What happened.
#[cfg_attr(test, derive(Debug))]
pub enum Event {
    /// The session opened; this is what storage holds.
    Open(State),
    /// The stored state, read again or sent by another tab.
    Seen(State, Source),
    /// `signIn(email)`.
    SignIn {
        /// The address asked for.
        email: String,
    },
    /// startAuth answered for `signIn`.
    Started(Start),
    /// The poller of `token` asks what to do now.
    Tick {
        /// The token its lock is for.
        token: String,
        /// This tab's id.
        me: String,
        /// Whether this tab polls alone: it holds the pairing's Web Lock, or the session
        /// is this page's only ("memory"). Otherwise the pairing's lease decides.
        exclusive: bool,
    },
    /// A poll of `token` answered: nothing yet, the key, or an error.
    Polled {
        /// The token polled.
        token: String,
        /// The pairing as it was when the poll was sent, in case the state moved on.
        sent: Option<Pending>,
        /// The answer.
        outcome: Result<Option<Key>, AuthError>,
    },
    /// A validation of `api_key` answered: the level, or an error.
    Validated {
        /// The key validated.
        api_key: String,
        /// The level by name, or the error.
        outcome: Result<&'static str, AuthError>,
    },
    /// `signOut()`: forget the key and any pairing, in every tab.
    SignOut,
    /// A sign-in's caller aborted it (its Cancel button): the pairing it waited for is
    /// given up in every tab, unless its key has arrived, which always beats an abort.
    Cancel {
        /// The token of the pairing the sign-in waited for.
        token: String,
    },
    /// A request signed with `api_key` was answered 401.
    Unauthorized {
        /// The key it was signed with.
        api_key: String,
    },
}

/// What the shell does next.
#[derive(PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum Next {
    /// Nothing (for the poller: stop, the pairing is over or not its own).
    Idle,
    /// Call startAuth, then report `Started`.
    Start,
    /// Signed in already: `signIn` resolves at once.
    Resolve,
    /// Ask again (`Tick`) after this many ms, or when the state changes.
    Wait(u64),
    /// Poll `token` now, for at most `deadline_ms`.
    Poll {
        /// The token.
        token: String,
        /// How long the poll may be awaited.
        deadline_ms: u64,
    },
    /// Validate this key now.
    Validate(Key),
}

/// A `change` event.
#[derive(PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub struct Change {
    /// The new state's name.
    pub state: &'static str,
    /// On sign-out, why.
    pub reason: Option<Reason>,
}

/// The outcome of one [`step`].
#[cfg_attr(test, derive(Debug))]
pub struct Step {
    /// The state now.
    pub state: State,
    /// Write it to storage.
    pub persist: bool,
    /// Tell the other tabs (after storing it).
    pub announce: bool,
    /// The `change` to report, if the state changed for the caller.
    pub change: Option<Change>,
    /// What to do next.
    pub next: Next,
    /// `onPoll`'s report, when the pairing's poll count moved.
    pub progress: Option<Progress>,
    /// What this tab's waiting sign-ins reject with.
    pub error: Option<AuthError>,
}

impl Step {
    /// Nothing changes.
    fn keep(state: State, next: Next) -> Step {
        Step {
            state,
            persist: false,
            announce: false,
            change: None,
            next,
            progress: None,
            error: None,
        }
    }

    /// A new state of this tab's making: stored, then announced.
    fn made(state: State, change: Option<Change>, next: Next) -> Step {
        Step {
            persist: true,
            announce: true,
            change,
            ..Step::keep(state, next)
        }
    }
}

/// Signed out, for `reason`, with `code` for the sign-ins waiting.
fn ended(reason: Reason, code: Code) -> Step {
    Step {
        error: Some(AuthError::new(code)),
        ..Step::made(
            State::SignedOut {
                reason: Some(reason),
                code: Some(code),
            },
            Some(Change {
                state: "signed-out",
                reason: Some(reason),
            }),
            Next::Idle,
        )
    }
}

/// The pairing's pacing, as `policy` has it: its interval and deadline, TVmaze's floor
/// unless the API is loopback, the default transient budget.
fn pacing(p: &Pending, base: &BaseUrl) -> Pacing {
    Pacing {
        interval_ms: p.interval_ms,
        deadline_ms: u32::try_from(p.deadline_at.saturating_sub(p.started_at)).unwrap_or(u32::MAX),
        max_transient_errors: DEFAULT_MAX_TRANSIENT_ERRORS,
        loopback: base.loopback,
    }
}

fn pacer(p: &Pending, base: &BaseUrl, now: u64) -> Pacer {
    let snapshot = Snapshot {
        interval: p.pace_ms,
        next_at: p.next_poll_at,
        transient_run: p.transient,
        attempts: p.polls,
    };
    Pacer::restore(pacing(p, base), p.started_at, snapshot, now)
}

/// `p` with the pacer's progress written into it.
fn paced(mut p: Pending, pacer: &Pacer) -> Pending {
    let s = pacer.snapshot();
    p.pace_ms = s.interval;
    p.next_poll_at = s.next_at;
    p.transient = s.transient_run;
    p.polls = s.attempts;
    p
}

/// What `onPoll` is told about `p` at `now`.
fn progress(p: &Pending, now: u64) -> Progress {
    let ms = |t: u64| u32::try_from(t).unwrap_or(u32::MAX);
    Progress {
        attempt: p.polls,
        elapsed_ms: ms(now.saturating_sub(p.started_at)),
        next_poll_in_ms: ms(p.next_poll_at.saturating_sub(now)),
    }
}

/// The one decision function: the state after `event` at `now` (wall-clock ms), and
/// what to do about it. `base` is the session's API root.
pub fn step(current: State, event: Event, base: &BaseUrl, now: u64) -> Step {
    match event {
        Event::Open(stored) => open(stored, now),
        Event::Seen(seen, source) => adopt(current, seen, source, now),
        Event::SignIn { email } => sign_in(current, &email),
        Event::Started(s) => started(current, s, base, now),
        Event::Tick {
            token,
            me,
            exclusive,
        } => tick(current, &token, &me, exclusive, base, now),
        Event::Polled {
            token,
            sent,
            outcome,
        } => polled(current, &token, sent, outcome, base, now),
        Event::Validated { api_key, outcome } => validated(current, &api_key, outcome, base, now),
        Event::SignOut => match current {
            State::SignedOut { .. } => Step::keep(current, Next::Idle),
            _ => ended(Reason::User, Code::SignedOut),
        },
        Event::Cancel { token } => match &current {
            State::Pending(p) if p.key.is_none() && p.token == token => {
                ended(Reason::User, Code::SignedOut)
            }
            _ => Step::keep(current, Next::Idle),
        },
        Event::Unauthorized { api_key } => match &current {
            State::SignedIn(c) if c.key.api_key == api_key => {
                ended(Reason::Revoked, Code::InvalidCredentials)
            }
            _ => Step::keep(current, Next::Idle),
        },
    }
}

/// The state storage holds when the session opens. A pairing past its deadline (the
/// app was closed meanwhile) has expired; a key not yet validated is never dropped.
fn open(stored: State, now: u64) -> Step {
    match &stored {
        State::Pending(p) if p.key.is_none() && now >= p.deadline_at => Step {
            change: None,
            ..ended(Reason::Expired, Code::Deadline)
        },
        _ => Step::keep(stored, Next::Idle),
    }
}

/// The stored state as seen again (storage is the truth across tabs), with one
/// exception: a key this tab holds and has not validated yet is never dropped for a
/// state without it, except for a sign-out (the user asked); storage is repaired.
fn adopt(current: State, seen: State, source: Source, now: u64) -> Step {
    if seen == current {
        return Step::keep(current, Next::Idle);
    }
    if let State::Pending(mine) = &current {
        if mine.key.is_some() {
            let keeps_key = match &seen {
                State::Pending(theirs) => theirs.key.is_some() || theirs.token != mine.token,
                State::SignedIn(_) => true,
                State::SignedOut { reason, .. } => *reason == Some(Reason::User),
            };
            if !keeps_key {
                return Step::made(current, None, Next::Idle);
            }
        }
    }
    let change = match (&current, &seen) {
        (State::Pending(a), State::Pending(b)) if a.token == b.token => None,
        (State::SignedIn(a), State::SignedIn(b)) if a == b => None,
        (State::SignedOut { .. }, State::SignedOut { .. }) => None,
        (_, State::SignedOut { reason, .. }) => Some(Change {
            state: "signed-out",
            reason: reason.map(|r| {
                if r == Reason::User {
                    Reason::OtherTab
                } else {
                    r
                }
            }),
        }),
        (_, state) => Some(Change {
            state: state.name(),
            reason: None,
        }),
    };
    // A pairing that ends without a key rejects the sign-ins waiting for it.
    let error = match (&current, &seen) {
        (State::Pending(_), State::SignedOut { code, .. }) => {
            Some(AuthError::new(code.unwrap_or(Code::SignedOut)))
        }
        _ => None,
    };
    // onPoll is told about each pending answer, in every tab: another tab's too.
    let progress = match (&current, &seen) {
        (State::Pending(a), State::Pending(b)) if a.token == b.token && a.polls >= b.polls => None,
        (_, State::Pending(b)) if b.polls > 0 => Some(self::progress(b, now)),
        _ => None,
    };
    Step {
        persist: source == Source::Message,
        change,
        progress,
        error,
        ..Step::keep(seen, Next::Idle)
    }
}

/// `signIn(email)`: signed in already resolves; the pairing in progress for the same
/// address is joined; otherwise a new pairing starts (replacing one for another
/// address).
fn sign_in(current: State, email: &str) -> Step {
    if args::email(email).is_err() {
        return Step {
            error: Some(INVALID),
            ..Step::keep(current, Next::Idle)
        };
    }
    let next = match &current {
        State::SignedIn(_) => Next::Resolve,
        State::Pending(p) if p.email.trim().eq_ignore_ascii_case(email.trim()) => Next::Idle,
        _ => Next::Start,
    };
    Step::keep(current, next)
}

/// What startAuth answered, and the options the pairing runs with.
#[cfg_attr(test, derive(Debug))]
pub struct Start {
    /// The address.
    pub email: String,
    /// The new token.
    pub token: String,
    /// Where the user confirms.
    pub confirm_url: String,
    /// The interval asked for (`intervalMs`).
    pub interval_ms: u32,
    /// How long the pairing may take (`deadlineMs`).
    pub deadline_ms: u32,
    /// This tab's id: it polls the new pairing first.
    pub me: String,
}

/// A new pairing, stored and announced before anyone is sent to confirm it. If another
/// tab signed in meanwhile, that stays, and this pairing is left unused.
fn started(current: State, s: Start, base: &BaseUrl, now: u64) -> Step {
    if let State::SignedIn(_) = current {
        return Step::keep(current, Next::Resolve);
    }
    let p = Pending {
        email: s.email,
        token: s.token,
        confirm_url: s.confirm_url,
        started_at: now,
        deadline_at: now.saturating_add(s.deadline_ms.into()),
        interval_ms: s.interval_ms,
        pace_ms: 0,
        next_poll_at: 0,
        polls: 0,
        transient: 0,
        key: None,
        poller: Some(s.me),
    };
    let p = paced(p.clone(), &Pacer::new(pacing(&p, base), now));
    Step::made(
        State::Pending(p),
        Some(Change {
            state: "pending",
            reason: None,
        }),
        Next::Idle,
    )
}

/// How late a background tab's timer may fire: browsers run them on whole seconds.
/// A poller that late still holds its lease.
const TIMER_SLACK_MS: u64 = 1_000;

/// The poller of `token` asks what to do. A poll about to be sent is recorded first
/// (the next one is then due one interval later, in every tab, and this tab is the
/// pairing's poller), so that a tab closing mid-poll leaves the others waiting their
/// turn. Without the pairing's Web Lock (`exclusive`), a tab leaves the polling to the
/// recorded poller for as long as that keeps the pace (an interval and a second of
/// grace), and
/// takes over after: tabs waking at the same moment (a background tab's timers run on
/// whole seconds) would otherwise poll together.
fn tick(current: State, token: &str, me: &str, exclusive: bool, base: &BaseUrl, now: u64) -> Step {
    let State::Pending(p) = &current else {
        return Step::keep(current, Next::Idle);
    };
    if p.token != token {
        return Step::keep(current, Next::Idle);
    }
    let pacer = pacer(p, base, now);
    let interval = pacer.snapshot().interval;
    let lease_ends = p
        .next_poll_at
        .saturating_add(interval)
        .saturating_add(TIMER_SLACK_MS);
    let leased = !exclusive && p.poller.as_deref().is_some_and(|o| o != me) && now < lease_ends;
    if let Some(key) = &p.key {
        // A key not yet validated never expires.
        let due = p.next_poll_at.min(now.saturating_add(interval));
        let next = match (leased, now >= due) {
            (true, _) => Next::Wait(lease_ends - now),
            (false, true) => Next::Validate(key.clone()),
            (false, false) => Next::Wait(due - now),
        };
        return Step::keep(current, next);
    }
    match pacer.next_action(now) {
        Action::Deadline => ended(Reason::Expired, Code::Deadline),
        _ if leased => Step::keep(current, Next::Wait(lease_ends - now)),
        Action::Wait(ms) => Step::keep(current, Next::Wait(ms)),
        Action::Poll => {
            let deadline_ms = pacer.deadline_in(now);
            let mut claimed = p.clone();
            claimed.next_poll_at = now.saturating_add(interval);
            claimed.poller = Some(me.into());
            Step::made(
                State::Pending(claimed),
                None,
                Next::Poll {
                    token: token.into(),
                    deadline_ms,
                },
            )
        }
    }
}

/// A poll of `token` answered. The key is stored at once (validation comes next); a
/// pending answer moves the shared pace on; TOKEN_NOT_FOUND (denied, expired, used)
/// and DEADLINE end the pairing; other errors follow `policy` (429s slow the pace,
/// transient failures are retried) and, past its budget, reject the waiting sign-ins
/// while the pairing stays: the user may have confirmed, and the next poll may carry
/// the key.
fn polled(
    current: State,
    token: &str,
    sent: Option<Pending>,
    outcome: Result<Option<Key>, AuthError>,
    base: &BaseUrl,
    now: u64,
) -> Step {
    let this = match &current {
        State::Pending(p) if p.token == token && p.key.is_none() => Some(p.clone()),
        _ => None,
    };
    match outcome {
        Ok(Some(key)) => {
            // A key handed out is kept, unless this tab is signed in already (another
            // pairing won) or holds this very key.
            let base_pending = match (this, &current) {
                (Some(p), _) => p,
                (None, State::SignedIn(_)) => return Step::keep(current, Next::Idle),
                (None, State::Pending(p)) if p.token == token => {
                    return Step::keep(current, Next::Idle)
                }
                (None, _) => match sent {
                    Some(p) if p.token == token => p,
                    _ => return Step::keep(current, Next::Idle),
                },
            };
            let change = match current {
                State::Pending(_) => None,
                _ => Some(Change {
                    state: "pending",
                    reason: None,
                }),
            };
            let p = Pending {
                next_poll_at: now,
                transient: 0,
                key: Some(key.clone()),
                ..base_pending
            };
            Step::made(State::Pending(p), change, Next::Validate(key))
        }
        _ if this.is_none() => Step::keep(current, Next::Idle),
        Ok(None) => {
            let Some(p) = this else {
                return Step::keep(current, Next::Idle);
            };
            let mut pacer = pacer(&p, base, now);
            let _ = pacer.on_pending(now);
            let p = paced(p, &pacer);
            Step {
                progress: Some(progress(&p, now)),
                ..Step::made(State::Pending(p), None, Next::Idle)
            }
        }
        Err(e) if matches!(e.code, Code::TokenNotFound | Code::Deadline) => {
            ended(Reason::Expired, e.code)
        }
        Err(e) => {
            let Some(p) = this else {
                return Step::keep(current, Next::Idle);
            };
            retry_later(p, e, base, now)
        }
    }
}

/// An error that leaves the pairing (or the key) in place: paced by `policy`, and
/// reported to the waiting sign-ins once past the transient budget, which then starts
/// over.
fn retry_later(p: Pending, e: AuthError, base: &BaseUrl, now: u64) -> Step {
    let mut pacer = pacer(&p, base, now);
    let error = pacer.on_error(now, e).err();
    let mut p = paced(p, &pacer);
    if error.is_some() {
        let s = pacer.snapshot();
        p.transient = 0;
        p.next_poll_at = now.saturating_add(s.interval);
    }
    Step {
        error,
        ..Step::made(State::Pending(p), None, Next::Idle)
    }
}

/// A validation of `api_key` answered: signed in with the level; a 401 means the key
/// is not (or no longer) good; other errors retry at the pairing's pace.
fn validated(
    current: State,
    api_key: &str,
    outcome: Result<&'static str, AuthError>,
    base: &BaseUrl,
    now: u64,
) -> Step {
    let State::Pending(p) = &current else {
        return Step::keep(current, Next::Idle);
    };
    let Some(key) = p.key.clone().filter(|k| k.api_key == api_key) else {
        return Step::keep(current, Next::Idle);
    };
    match outcome {
        Ok(level) => Step::made(
            State::SignedIn(Credentials { key, level }),
            Some(Change {
                state: "signed-in",
                reason: None,
            }),
            Next::Idle,
        ),
        Err(e) if e.code == Code::InvalidCredentials => {
            ended(Reason::Revoked, Code::InvalidCredentials)
        }
        Err(e) => {
            let p = p.clone();
            retry_later(p, e, base, now)
        }
    }
}

#[cfg(test)]
mod tests;
