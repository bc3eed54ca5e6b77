//! The session's rules, with time as a number: no storage, no tabs, no sleeping. Tabs
//! are simulated by holding one record per tab and one shared "storage" string.

use super::record::{self, Credentials, Key, Pending, Reason, State};
use super::*;
use crate::args::base_url;
use crate::policy::MIN_REMOTE_INTERVAL_MS;

const T0: u64 = 1_800_000_000_000;

fn remote() -> BaseUrl {
    base_url(Some("https://api.tvmaze.com/v1")).unwrap()
}

fn loopback() -> BaseUrl {
    base_url(Some("http://127.0.0.1:8081/v1")).unwrap()
}

fn key() -> Key {
    Key {
        username: "alice".into(),
        api_key: "K".into(),
    }
}

fn started_event(interval_ms: u32) -> Event {
    Event::Started(Start {
        email: "alice@example.com".into(),
        token: "tok".into(),
        confirm_url: "https://www.tvmaze.com/confirm/tok".into(),
        interval_ms,
        deadline_ms: 900_000,
        me: "a".into(),
    })
}

/// A pairing started at T0 against TVmaze with the default interval.
fn pending_at_t0() -> State {
    step(State::NONE, started_event(10_000), &remote(), T0).state
}

fn pending(state: &State) -> &Pending {
    match state {
        State::Pending(p) => p,
        other => panic!("not pending: {other:?}"),
    }
}

fn signed_out(reason: Reason, code: Code) -> State {
    State::SignedOut {
        reason: Some(reason),
        code: Some(code),
    }
}

fn signed_in() -> State {
    State::SignedIn(Credentials {
        key: key(),
        level: "silver",
    })
}

/// The tab holding the pairing's Web Lock asks what to do.
fn tick(state: State, now: u64) -> Step {
    tick_as(state, "a", true, now)
}

fn tick_as(state: State, me: &str, exclusive: bool, now: u64) -> Step {
    let event = Event::Tick {
        token: "tok".into(),
        me: me.into(),
        exclusive,
    };
    step(state, event, &remote(), now)
}

fn polled(state: State, outcome: Result<Option<Key>, AuthError>, now: u64) -> Step {
    let event = Event::Polled {
        token: "tok".into(),
        sent: None,
        outcome,
    };
    step(state, event, &remote(), now)
}

fn code(step: &Step) -> Option<Code> {
    step.error.map(|e| e.code)
}

#[test]
fn a_new_pairing_is_stored_announced_and_reported_before_anything_else() {
    let s = step(State::NONE, started_event(10_000), &remote(), T0);
    assert!(s.persist && s.announce);
    assert_eq!(
        s.change,
        Some(Change {
            state: "pending",
            reason: None
        })
    );
    let p = pending(&s.state);
    assert_eq!((p.started_at, p.deadline_at), (T0, T0 + 900_000));
    // The first poll one interval after the start, as waitForConfirmation's.
    assert_eq!(p.next_poll_at, T0 + 10_000);
    assert_eq!(tick(s.state, T0 + 1_000).next, Next::Wait(9_000));
}

#[test]
fn the_interval_never_drops_below_tvmazes_unless_the_api_is_loopback() {
    let s = step(State::NONE, started_event(500), &remote(), T0);
    assert_eq!(pending(&s.state).next_poll_at, T0 + MIN_REMOTE_INTERVAL_MS);
    let s = step(State::NONE, started_event(500), &loopback(), T0);
    assert_eq!(pending(&s.state).next_poll_at, T0 + 500);
}

#[test]
fn sign_in_resolves_joins_or_starts() {
    let email = |e: &str| Event::SignIn { email: e.into() };
    let p = pending_at_t0();
    assert_eq!(
        step(signed_in(), email("a@b.c"), &remote(), T0).next,
        Next::Resolve
    );
    // The pairing in progress for that address is joined, whatever its case.
    let joined = step(p.clone(), email(" Alice@Example.COM"), &remote(), T0);
    assert_eq!(joined.next, Next::Idle);
    assert!(!joined.persist && joined.error.is_none());
    assert_eq!(
        step(p, email("bob@example.com"), &remote(), T0).next,
        Next::Start
    );
    assert_eq!(
        step(State::NONE, email("bob@example.com"), &remote(), T0).next,
        Next::Start
    );
    let bad = step(State::NONE, email("bob"), &remote(), T0);
    assert_eq!(code(&bad), Some(Code::InvalidArgument));
    assert_eq!(bad.next, Next::Idle);
}

#[test]
fn a_poll_is_claimed_in_storage_before_it_is_sent() {
    let s = tick(pending_at_t0(), T0 + 10_000);
    assert_eq!(
        s.next,
        Next::Poll {
            token: "tok".into(),
            deadline_ms: 890_000
        }
    );
    assert!(s.persist && s.announce && s.change.is_none());
    // Any tab reading storage now waits a whole interval, even if this tab dies mid-poll.
    assert_eq!(tick(s.state, T0 + 10_001).next, Next::Wait(9_999));
}

/// Two tabs, one pairing, no Web Locks (the worst case): both tabs' timers run on
/// whole seconds (as a background tab's do), so they wake at the same moments and read
/// storage before either writes. The pairing's lease leaves the polling to one of them;
/// when that tab dies (`a_dies_after` polls), the other takes over; in every case no
/// two polls of the token come closer than the interval.
#[test]
fn tabs_without_locks_keep_one_pace_together() {
    let read = |text: &str| record::parse(crate::host_body::parse(text).as_ref(), &remote(), T0);
    let align = |t: u64| t.div_ceil(1_000) * 1_000;
    for a_dies_after in [usize::MAX, 3] {
        let mut storage = record::write(&pending_at_t0());
        let mut polls: Vec<(u64, &str)> = Vec::new();
        let mut wake = [T0, T0];
        while polls.len() < 12 {
            let now = wake.iter().copied().min().unwrap_or(T0);
            let snapshot = read(&storage);
            for (i, me) in ["a", "b"].into_iter().enumerate() {
                let dead = me == "a" && polls.iter().filter(|p| p.1 == "a").count() >= a_dies_after;
                if wake[i] != now || dead {
                    continue;
                }
                let s = tick_as(snapshot.clone(), me, false, now);
                if s.persist {
                    storage = record::write(&s.state);
                }
                wake[i] = match s.next {
                    Next::Poll { .. } => {
                        polls.push((now, me));
                        let answered = polled(read(&storage), Ok(None), now + 50);
                        storage = record::write(&answered.state);
                        now + 50
                    }
                    Next::Wait(ms) => align(now + ms),
                    other => panic!("{other:?}"),
                };
            }
            if wake[0] == now && a_dies_after != usize::MAX {
                wake[0] = u64::MAX; // a's timer never fires again
            }
        }
        for pair in polls.windows(2) {
            assert!(
                pair[1].0 - pair[0].0 >= MIN_REMOTE_INTERVAL_MS,
                "polls {pair:?} (a dies after {a_dies_after})"
            );
        }
        let by_b = polls.iter().filter(|p| p.1 == "b").count();
        if a_dies_after == usize::MAX {
            assert_eq!(by_b, 0, "b polled while a kept the pace: {polls:?}");
        } else {
            assert_eq!(by_b, 12 - a_dies_after, "b did not take over: {polls:?}");
        }
    }
}

#[test]
fn the_lock_holder_polls_whatever_the_lease_says() {
    // "b" holds the Web Lock (the tab that had the lease, "a", closed mid-wait).
    let s = tick_as(pending_at_t0(), "b", true, T0 + 10_000);
    assert!(matches!(s.next, Next::Poll { .. }));
    assert_eq!(pending(&s.state).poller.as_deref(), Some("b"));
    // Without the lock, "b" waits for the lease to run out: an interval and a second
    // past due.
    let s = tick_as(pending_at_t0(), "b", false, T0 + 10_000);
    assert_eq!(s.next, Next::Wait(11_000));
    assert!(matches!(
        tick_as(pending_at_t0(), "b", false, T0 + 21_000).next,
        Next::Poll { .. }
    ));
}

#[test]
fn a_pending_answer_moves_the_shared_pace_on_and_reports_progress() {
    let claimed = tick(pending_at_t0(), T0 + 10_000).state;
    let s = polled(claimed, Ok(None), T0 + 10_300);
    assert!(s.persist && s.announce && s.change.is_none());
    let p = pending(&s.state);
    assert_eq!((p.polls, p.next_poll_at), (1, T0 + 20_300));
    assert_eq!(
        s.progress,
        Some(Progress {
            attempt: 1,
            elapsed_ms: 10_300,
            next_poll_in_ms: 10_000
        })
    );
}

#[test]
fn a_rate_limit_slows_every_tab_down_for_the_rest_of_the_pairing() {
    let limited = AuthError {
        retry_after_ms: Some(30_000),
        ..AuthError::http(Code::RateLimited, 429)
    };
    let s = polled(pending_at_t0(), Err(limited), T0 + 10_000);
    assert!(s.error.is_none() && s.persist);
    // Another tab, reading the stored record, keeps the longer pace too.
    let text = record::write(&s.state);
    let other = record::parse(crate::host_body::parse(&text).as_ref(), &remote(), T0);
    assert_eq!(tick(other.clone(), T0 + 10_000).next, Next::Wait(30_000));
    let s = polled(other, Ok(None), T0 + 40_000);
    assert_eq!(pending(&s.state).next_poll_at, T0 + 70_000);
}

#[test]
fn transient_failures_are_retried_and_past_the_budget_reported_while_the_pairing_stays() {
    let mut state = pending_at_t0();
    let net = AuthError::new(Code::Network);
    for i in 0..3 {
        let s = polled(state, Err(net), T0 + 10_000 * (i + 1));
        assert!(s.error.is_none(), "failure {i}");
        state = s.state;
    }
    let s = polled(state, Err(net), T0 + 40_000);
    assert_eq!(code(&s), Some(Code::Network));
    // Still pending, the budget starts over, and polling goes on at the pace.
    let p = pending(&s.state);
    assert_eq!((p.transient, p.next_poll_at), (0, T0 + 50_000));
    assert!(polled(s.state, Err(net), T0 + 50_000).error.is_none());
}

#[test]
fn token_not_found_and_the_deadline_end_the_pairing_as_expired() {
    for c in [Code::TokenNotFound, Code::Deadline] {
        let s = polled(pending_at_t0(), Err(AuthError::http(c, 404)), T0 + 10_000);
        assert_eq!(s.state, signed_out(Reason::Expired, c));
        assert_eq!(code(&s), Some(c));
        assert!(s.persist && s.announce);
        assert_eq!(s.change.map(|c| c.reason), Some(Some(Reason::Expired)));
    }
    let s = tick(pending_at_t0(), T0 + 900_000);
    assert_eq!(s.state, signed_out(Reason::Expired, Code::Deadline));
    assert_eq!(code(&s), Some(Code::Deadline));
}

/// The shell reads storage before it reports a poll's error: a key another tab
/// received and stored wins over TOKEN_NOT_FOUND.
#[test]
fn a_key_stored_by_another_tab_beats_token_not_found() {
    let mine = pending_at_t0();
    let seen = step(
        mine,
        Event::Seen(signed_in(), Source::Storage),
        &remote(),
        T0 + 10_000,
    );
    assert_eq!(seen.change.as_ref().map(|c| c.state), Some("signed-in"));
    let s = polled(
        seen.state,
        Err(AuthError::http(Code::TokenNotFound, 404)),
        T0 + 10_001,
    );
    assert_eq!((s.state, s.error, s.change), (signed_in(), None, None));
}

#[test]
fn the_key_is_stored_at_once_validated_next_and_never_expires() {
    let s = polled(pending_at_t0(), Ok(Some(key())), T0 + 10_000);
    assert!(s.persist && s.announce && s.change.is_none());
    assert_eq!(s.next, Next::Validate(key()));
    assert_eq!(pending(&s.state).key, Some(key()));
    // Past the deadline, a key not yet validated is still validated, not expired.
    let late = T0 + 10_000_000;
    assert_eq!(tick(s.state.clone(), late).next, Next::Validate(key()));
    assert_eq!(
        step(
            s.state.clone(),
            Event::Open(s.state.clone()),
            &remote(),
            late
        )
        .state,
        s.state
    );
    let done = step(
        s.state,
        Event::Validated {
            api_key: "K".into(),
            outcome: Ok("silver"),
        },
        &remote(),
        T0 + 10_100,
    );
    assert_eq!(done.state, signed_in());
    assert!(done.persist && done.announce);
    assert_eq!(done.change.map(|c| c.state), Some("signed-in"));
}

#[test]
fn a_failed_validation_keeps_the_key_and_tries_again() {
    let with_key = polled(pending_at_t0(), Ok(Some(key())), T0 + 10_000).state;
    let validated = |state, outcome, now| {
        step(
            state,
            Event::Validated {
                api_key: "K".into(),
                outcome,
            },
            &remote(),
            now,
        )
    };
    let mut state = with_key;
    let down = AuthError::new(Code::ServerError);
    for i in 0..4 {
        let s = validated(state, Err(down), T0 + 20_000 * (i + 1));
        assert_eq!(s.error.is_some(), i == 3, "failure {i}");
        assert_eq!(pending(&s.state).key, Some(key()));
        state = s.state;
    }
    let refused = validated(
        state,
        Err(AuthError::http(Code::InvalidCredentials, 401)),
        T0 + 90_000,
    );
    assert_eq!(
        refused.state,
        signed_out(Reason::Revoked, Code::InvalidCredentials)
    );
    // An answer about another key changes nothing.
    let other = validated(pending_at_t0(), Ok("gold"), T0);
    assert!(!other.persist && other.change.is_none());
}

#[test]
fn a_key_arriving_after_a_cancel_is_kept() {
    let p = pending(&pending_at_t0()).clone();
    let cancel = || Event::Cancel {
        token: "tok".into(),
    };
    // A sign-in that waited for another pairing cancels nothing.
    let other = Event::Cancel {
        token: "other".into(),
    };
    let s = step(State::Pending(p.clone()), other, &remote(), T0 + 1);
    assert_eq!((s.persist, s.change), (false, None));
    let cancelled = step(State::Pending(p.clone()), cancel(), &remote(), T0 + 1);
    assert_eq!(cancelled.state, signed_out(Reason::User, Code::SignedOut));
    assert_eq!(code(&cancelled), Some(Code::SignedOut));
    let event = Event::Polled {
        token: "tok".into(),
        sent: Some(p),
        outcome: Ok(Some(key())),
    };
    let s = step(cancelled.state, event, &remote(), T0 + 2);
    assert_eq!(pending(&s.state).key, Some(key()));
    assert_eq!(s.next, Next::Validate(key()));
    assert_eq!(s.change.map(|c| c.state), Some("pending"));
    // And a cancel once the key is here changes nothing.
    let kept = step(s.state.clone(), cancel(), &remote(), T0 + 3);
    assert_eq!((kept.state, kept.persist), (s.state, false));
}

#[test]
fn answers_for_a_pairing_that_moved_on_change_nothing() {
    let other = Event::Polled {
        token: "old".into(),
        sent: None,
        outcome: Ok(None),
    };
    let s = step(pending_at_t0(), other, &remote(), T0 + 10_000);
    assert!(!s.persist && s.progress.is_none());
    assert_eq!(tick(signed_in(), T0).next, Next::Idle);
    let old = Event::Tick {
        token: "old".into(),
        me: "a".into(),
        exclusive: true,
    };
    assert_eq!(
        step(pending_at_t0(), old, &remote(), T0 + 10_000).next,
        Next::Idle
    );
    // A key for another pairing while signed in: the session stays as it is.
    let s = polled(
        signed_in(),
        Ok(Some(Key {
            api_key: "other".into(),
            ..key()
        })),
        T0,
    );
    assert_eq!((s.state, s.persist), (signed_in(), false));
}

#[test]
fn what_another_tab_did_is_reported_with_its_reason() {
    let seen = |current: State, state: State| {
        step(current, Event::Seen(state, Source::Storage), &remote(), T0)
    };
    let user = seen(signed_in(), signed_out(Reason::User, Code::SignedOut));
    assert_eq!(user.change.map(|c| c.reason), Some(Some(Reason::OtherTab)));
    assert!(!user.persist && !user.announce);
    let revoked = seen(
        signed_in(),
        signed_out(Reason::Revoked, Code::InvalidCredentials),
    );
    assert_eq!(
        revoked.change.map(|c| c.reason),
        Some(Some(Reason::Revoked))
    );
    let expired = seen(
        pending_at_t0(),
        signed_out(Reason::Expired, Code::TokenNotFound),
    );
    assert_eq!(code(&expired), Some(Code::TokenNotFound));
    assert_eq!(
        expired.change.map(|c| c.reason),
        Some(Some(Reason::Expired))
    );
    assert_eq!(
        seen(State::NONE, signed_in()).change.map(|c| c.state),
        Some("signed-in")
    );
    // The same state again, or only the pace moving, is no change.
    assert!(seen(signed_in(), signed_in()).change.is_none());
    let p = pending_at_t0();
    let moved = polled(p.clone(), Ok(None), T0 + 10_000).state;
    let s = seen(p, moved);
    assert!(s.change.is_none());
    assert_eq!(s.progress.map(|p| p.attempt), Some(1));
}

#[test]
fn a_state_sent_by_another_tab_is_stored_here_too() {
    let s = step(
        State::NONE,
        Event::Seen(signed_in(), Source::Message),
        &remote(),
        T0,
    );
    assert!(s.persist && !s.announce);
    let again = step(
        s.state,
        Event::Seen(signed_in(), Source::Message),
        &remote(),
        T0,
    );
    assert!(!again.persist);
}

#[test]
fn a_key_held_here_is_never_lost_to_a_stale_record() {
    let with_key = polled(pending_at_t0(), Ok(Some(key())), T0 + 10_000).state;
    for stale in [
        pending_at_t0(),
        signed_out(Reason::Expired, Code::Deadline),
        State::NONE,
    ] {
        let s = step(
            with_key.clone(),
            Event::Seen(stale, Source::Storage),
            &remote(),
            T0,
        );
        assert_eq!(s.state, with_key);
        assert!(s.persist && s.announce, "storage is repaired");
    }
    // Signing out (the user asked) does drop it.
    let out = step(
        with_key,
        Event::Seen(signed_out(Reason::User, Code::SignedOut), Source::Storage),
        &remote(),
        T0,
    );
    assert_eq!(out.state, signed_out(Reason::User, Code::SignedOut));
}

#[test]
fn sign_out_forgets_everything_once() {
    for state in [signed_in(), pending_at_t0()] {
        let s = step(state, Event::SignOut, &remote(), T0);
        assert_eq!(s.state, signed_out(Reason::User, Code::SignedOut));
        assert!(s.persist && s.announce);
        assert_eq!(s.change.map(|c| c.reason), Some(Some(Reason::User)));
    }
    let again = step(
        signed_out(Reason::User, Code::SignedOut),
        Event::SignOut,
        &remote(),
        T0,
    );
    assert!(!again.persist && again.change.is_none());
}

#[test]
fn a_401_signs_out_only_the_key_it_was_for() {
    let unauthorized = |k: &str| Event::Unauthorized { api_key: k.into() };
    let s = step(signed_in(), unauthorized("K"), &remote(), T0);
    assert_eq!(
        s.state,
        signed_out(Reason::Revoked, Code::InvalidCredentials)
    );
    assert_eq!(s.change.map(|c| c.reason), Some(Some(Reason::Revoked)));
    assert!(s.persist && s.announce);
    let stale = step(signed_in(), unauthorized("an older key"), &remote(), T0);
    assert_eq!((stale.state, stale.persist), (signed_in(), false));
}

#[test]
fn a_pairing_that_expired_while_the_app_was_closed_is_found_expired() {
    let p = pending_at_t0();
    let s = step(State::NONE, Event::Open(p.clone()), &remote(), T0 + 900_000);
    assert_eq!(s.state, signed_out(Reason::Expired, Code::Deadline));
    assert!(s.persist && s.change.is_none());
    let s = step(State::NONE, Event::Open(p.clone()), &remote(), T0 + 899_999);
    assert_eq!((s.state, s.persist), (p, false));
}

#[test]
fn started_after_another_tab_signed_in_keeps_the_sign_in() {
    let s = step(signed_in(), started_event(10_000), &remote(), T0);
    assert_eq!(
        (s.state, s.next, s.persist),
        (signed_in(), Next::Resolve, false)
    );
}
