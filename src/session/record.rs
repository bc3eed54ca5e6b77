//! A session's state as it is kept in storage and sent to other tabs: one flat JSON
//! object, versioned. Storage is shared with whatever else ran on the origin (an older
//! version of this library, another app, a user's experiments), so reading it trusts
//! nothing: a value that is too long, of another version or shape, or whose fields fail
//! the same checks as the caller's arguments, is read as signed out, never thrown.
//!
//! ```text
//! {"v":1,"state":"signed-in","username":"alice","apiKey":"…","level":"silver"}
//! {"v":1,"state":"pending","email":"…","token":"…","confirmUrl":"…","startedAt":…,
//!  "deadlineAt":…,"intervalMs":…,"paceMs":…,"nextPollAt":…,"polls":…,"transient":…}
//!  (plus "username" and "apiKey" once the key arrived, until it is validated)
//! {"v":1,"state":"signed-out","reason":"revoked","code":"INVALID_CREDENTIALS"}
//! ```

use crate::args::{self, BaseUrl, MAX_STRING_LEN};
use crate::error::Code;
use crate::protocol::{push_json_string, safe_confirm_url, JsonObject};

/// The longest stored value read, in UTF-16 units: a real record is well under 1 KiB
/// even with 2,048-character fields; anything longer is not read (nor copied into wasm).
pub const MAX_RECORD_LEN: u32 = 16 * 1024;
/// The format this version writes and reads.
const VERSION: f64 = 1.0;
/// A pairing that started this far in the future (a clock set back, a forged value) is
/// not one this browser started.
const MAX_CLOCK_SKEW_MS: u64 = 60_000;
/// Numbers JavaScript holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The four premium levels by name, as `validate` reports them.
pub const LEVELS: [&str; 4] = ["none", "bronze", "silver", "gold"];

/// Why a session ended, as the `change` event reports it.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum Reason {
    /// `signOut()` (or an aborted sign-in) in this tab.
    User,
    /// The key stopped working: a 401 from TVmaze.
    Revoked,
    /// `signOut()` in another tab.
    OtherTab,
    /// The pending pairing ended without a key: denied, expired, or its deadline passed.
    Expired,
}

impl Reason {
    /// The name JS sees.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::User => "user",
            Reason::Revoked => "revoked",
            Reason::OtherTab => "other-tab",
            Reason::Expired => "expired",
        }
    }

    /// Stored reasons; "other-tab" is never stored: it is how a tab reads "user" from
    /// elsewhere.
    fn parse(s: &str) -> Option<Reason> {
        match s {
            "user" => Some(Reason::User),
            "revoked" => Some(Reason::Revoked),
            "expired" => Some(Reason::Expired),
            _ => None,
        }
    }
}

/// A username and key, as the pairing hands them out.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub struct Key {
    /// The TVmaze username.
    pub username: String,
    /// The API key.
    pub api_key: String,
}

/// A signed-in user.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub struct Credentials {
    /// The username and key.
    pub key: Key,
    /// One of [`LEVELS`].
    pub level: &'static str,
}

/// A pairing in progress, with the pace all tabs poll it at.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub struct Pending {
    /// The address the pairing was started for.
    pub email: String,
    /// startAuth's token.
    pub token: String,
    /// Where the user confirms.
    pub confirm_url: String,
    /// Wall-clock ms when it started.
    pub started_at: u64,
    /// Wall-clock ms when it is given up (DEADLINE).
    pub deadline_at: u64,
    /// The interval asked for when it started.
    pub interval_ms: u32,
    /// The interval in force (lengthened by 429s).
    pub pace_ms: u64,
    /// Wall-clock ms when the next poll (or validation) is due, in any tab.
    pub next_poll_at: u64,
    /// Polls answered so far.
    pub polls: u32,
    /// Consecutive transient failures.
    pub transient: u32,
    /// The key, once a poll handed it out and until it is validated: kept here first, so
    /// that a tab closing now loses nothing.
    pub key: Option<Key>,
    /// The tab that polls it (a random id per page): where Web Locks are missing, the
    /// other tabs leave the polling to it while it keeps the pace.
    pub poller: Option<String>,
}

/// A session's state.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum State {
    /// No key and no pairing; `reason` and `code` say how it ended, when it did.
    SignedOut {
        /// Why, when known.
        reason: Option<Reason>,
        /// What a sign-in waiting for it is rejected with.
        code: Option<Code>,
    },
    /// A pairing in progress.
    Pending(Pending),
    /// Signed in.
    SignedIn(Credentials),
}

impl State {
    /// Signed out, with nothing known about how.
    pub const NONE: State = State::SignedOut {
        reason: None,
        code: None,
    };

    /// The state's name, as JS sees it.
    pub fn name(&self) -> &'static str {
        match self {
            State::SignedOut { .. } => "signed-out",
            State::Pending(_) => "pending",
            State::SignedIn(_) => "signed-in",
        }
    }
}

/// A stored value read as a state. `value` is the stored text already parsed as a JSON
/// object (`None`: nothing stored, or not a JSON object, or over [`MAX_RECORD_LEN`]);
/// `base` decides which confirm URLs are safe; `now` is wall-clock ms.
pub fn parse(value: Option<&impl JsonObject>, base: &BaseUrl, now: u64) -> State {
    value
        .filter(|v| v.number("v") == Some(VERSION))
        .and_then(|v| match v.string("state")?.as_str() {
            "signed-in" => signed_in(v),
            "pending" => pending(v, base, now),
            "signed-out" => Some(State::SignedOut {
                reason: v.string("reason").as_deref().and_then(Reason::parse),
                code: v.string("code").as_deref().and_then(ending_code),
            }),
            _ => None,
        })
        .unwrap_or(State::NONE)
}

/// The codes a session can end with, as stored.
pub const ENDINGS: [Code; 4] = [
    Code::SignedOut,
    Code::TokenNotFound,
    Code::Deadline,
    Code::InvalidCredentials,
];

fn ending_code(s: &str) -> Option<Code> {
    ENDINGS.into_iter().find(|c| c.as_str() == s)
}

/// A string field of at most `max` bytes that `check` accepts.
fn text(
    v: &impl JsonObject,
    key: &str,
    max: u32,
    check: impl FnOnce(&str) -> bool,
) -> Option<String> {
    v.string(key)
        .filter(|s| s.len() <= max as usize && check(s))
}

/// A whole number JS holds exactly, at least 0.
fn whole(v: &impl JsonObject, key: &str) -> Option<u64> {
    let n = v.number(key)?;
    ((0.0..=MAX_SAFE_INTEGER).contains(&n) && n.fract() == 0.0).then_some(n as u64)
}

fn small(v: &impl JsonObject, key: &str) -> Option<u32> {
    u32::try_from(whole(v, key)?).ok()
}

fn key(v: &impl JsonObject) -> Option<Key> {
    Some(Key {
        username: text(v, "username", MAX_STRING_LEN, |s| args::username(s).is_ok())?,
        api_key: text(v, "apiKey", MAX_STRING_LEN, |s| args::api_key(s).is_ok())?,
    })
}

fn signed_in(v: &impl JsonObject) -> Option<State> {
    let level = v.string("level")?;
    let level = LEVELS.into_iter().find(|l| *l == level)?;
    Some(State::SignedIn(Credentials {
        key: key(v)?,
        level,
    }))
}

fn pending(v: &impl JsonObject, base: &BaseUrl, now: u64) -> Option<State> {
    let started_at =
        whole(v, "startedAt").filter(|t| *t <= now.saturating_add(MAX_CLOCK_SKEW_MS))?;
    let deadline_at = whole(v, "deadlineAt")
        .filter(|t| *t >= started_at && *t - started_at <= u64::from(args::MAX_DELAY_MS))?;
    // Both or neither: half a key is no key.
    let key = match (v.string("username"), v.string("apiKey")) {
        (None, None) => None,
        _ => Some(key(v)?),
    };
    Some(State::Pending(Pending {
        email: text(v, "email", args::MAX_EMAIL_LEN, |s| args::email(s).is_ok())?,
        token: text(v, "token", MAX_STRING_LEN, |s| args::non_blank(s).is_ok())?,
        confirm_url: text(v, "confirmUrl", MAX_STRING_LEN, |s| {
            safe_confirm_url(s, base.loopback)
        })?,
        started_at,
        deadline_at,
        interval_ms: small(v, "intervalMs")?,
        pace_ms: whole(v, "paceMs")?,
        next_poll_at: whole(v, "nextPollAt")?,
        polls: small(v, "polls")?,
        transient: small(v, "transient")?,
        key,
        poller: v.string("poller").filter(|id| is_tab_id(id)),
    }))
}

/// The longest tab id kept.
pub const MAX_TAB_ID_LEN: u32 = 64;

/// Whether `id` can be a tab's id: a few URL-safe characters.
pub fn is_tab_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_TAB_ID_LEN as usize
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The state as the JSON text [`parse`] reads back.
pub fn write(state: &State) -> String {
    let mut out = String::from("{\"v\":1,\"state\":");
    push_json_string(&mut out, state.name());
    match state {
        State::SignedOut { reason, code } => {
            if let Some(reason) = reason {
                field(&mut out, "reason", reason.as_str());
            }
            if let Some(code) = code {
                field(&mut out, "code", code.as_str());
            }
        }
        State::SignedIn(c) => {
            write_key(&mut out, &c.key);
            field(&mut out, "level", c.level);
        }
        State::Pending(p) => {
            field(&mut out, "email", &p.email);
            field(&mut out, "token", &p.token);
            field(&mut out, "confirmUrl", &p.confirm_url);
            number(&mut out, "startedAt", p.started_at);
            number(&mut out, "deadlineAt", p.deadline_at);
            number(&mut out, "intervalMs", p.interval_ms.into());
            number(&mut out, "paceMs", p.pace_ms);
            number(&mut out, "nextPollAt", p.next_poll_at);
            number(&mut out, "polls", p.polls.into());
            number(&mut out, "transient", p.transient.into());
            if let Some(key) = &p.key {
                write_key(&mut out, key);
            }
            if let Some(poller) = &p.poller {
                field(&mut out, "poller", poller);
            }
        }
    }
    out.push('}');
    out
}

fn write_key(out: &mut String, key: &Key) {
    field(out, "username", &key.username);
    field(out, "apiKey", &key.api_key);
}

fn field(out: &mut String, name: &str, value: &str) {
    out.push(',');
    push_json_string(out, name);
    out.push(':');
    push_json_string(out, value);
}

/// A number without core::fmt (which would link float and padding machinery).
fn number(out: &mut String, name: &str, value: u64) {
    out.push(',');
    push_json_string(out, name);
    out.push(':');
    let mut digits = [0u8; 20];
    let mut n = value;
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    for d in digits.get(at..).unwrap_or_default() {
        out.push(char::from(*d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::base_url;
    use crate::host_body::parse as json;

    const NOW: u64 = 1_800_000_000_000;

    fn base() -> BaseUrl {
        base_url(Some("https://api.tvmaze.com/v1")).unwrap()
    }

    fn read(text: &str) -> State {
        parse(json(text).as_ref(), &base(), NOW)
    }

    fn a_pending() -> Pending {
        Pending {
            email: "alice@example.com".into(),
            token: "tok\"en\\".into(),
            confirm_url: "https://www.tvmaze.com/confirm/tok".into(),
            started_at: NOW - 5_000,
            deadline_at: NOW + 895_000,
            interval_ms: 10_000,
            pace_ms: 20_000,
            next_poll_at: NOW + 15_000,
            polls: 3,
            transient: 1,
            key: None,
            poller: Some("tab-1".into()),
        }
    }

    #[test]
    fn every_state_reads_back_as_written() {
        let with_key = Pending {
            key: Some(Key {
                username: "alice".into(),
                api_key: "K3y".into(),
            }),
            ..a_pending()
        };
        for state in [
            State::NONE,
            State::SignedOut {
                reason: Some(Reason::Revoked),
                code: Some(Code::InvalidCredentials),
            },
            State::Pending(a_pending()),
            State::Pending(with_key),
            State::SignedIn(Credentials {
                key: Key {
                    username: "al\u{e9}ice".into(),
                    api_key: "k".into(),
                },
                level: "gold",
            }),
        ] {
            let text = write(&state);
            assert_eq!(read(&text), state, "{text}");
        }
    }

    #[test]
    fn numbers_are_written_in_full() {
        let mut out = String::new();
        number(&mut out, "n", 0);
        number(&mut out, "n", 9_007_199_254_740_991);
        number(&mut out, "n", u64::MAX);
        assert_eq!(
            out,
            ",\"n\":0,\"n\":9007199254740991,\"n\":18446744073709551615"
        );
    }

    #[test]
    fn anything_else_is_signed_out() {
        let good = write(&State::Pending(a_pending()));
        let spoiled = |from: &str, to: &str| {
            assert!(good.contains(from), "{from}");
            good.replacen(from, to, 1)
        };
        let bad = [
            String::new(),
            "null".into(),
            "[]".into(),
            "\"signed-in\"".into(),
            "{}".into(),
            "not json".into(),
            // Another version, another shape, missing or mistyped fields.
            spoiled("\"v\":1", "\"v\":2"),
            spoiled("\"v\":1", "\"v\":\"1\""),
            spoiled("\"state\":\"pending\"", "\"state\":\"waiting\""),
            spoiled("\"email\":", "\"mail\":"),
            spoiled("\"email\":\"alice@example.com\"", "\"email\":\"alice\""),
            spoiled("\"token\":\"tok", "\"token\":5,\"x\":\"tok"),
            spoiled("https://www", "javascript://www"),
            spoiled("\"polls\":3", "\"polls\":-3"),
            spoiled("\"polls\":3", "\"polls\":3.5"),
            spoiled("\"polls\":3", "\"polls\":4294967296"),
            spoiled("\"paceMs\":20000", "\"paceMs\":1e300"),
            // Started in the future, or a deadline before the start.
            spoiled("\"startedAt\":1799999995000", "\"startedAt\":1800000065000"),
            spoiled("\"deadlineAt\":1800000895000", "\"deadlineAt\":1"),
            // Half a key.
            spoiled("\"polls\"", "\"apiKey\":\"k\",\"polls\""),
            r#"{"v":1,"state":"signed-in","username":"alice","apiKey":"k","level":"platinum"}"#
                .into(),
            r#"{"v":1,"state":"signed-in","username":"a:b","apiKey":"k","level":"gold"}"#.into(),
            r#"{"v":1,"state":"signed-in","username":"alice","apiKey":"k\n","level":"gold"}"#
                .into(),
            r#"{"v":1,"state":"signed-in","username":"alice","apiKey":" ","level":"gold"}"#.into(),
        ];
        for text in bad {
            assert_eq!(read(&text), State::NONE, "{text}");
        }
        // Too long a field: over the limits the arguments have.
        let long = format!(
            r#"{{"v":1,"state":"signed-in","username":"alice","apiKey":"{}","level":"gold"}}"#,
            "k".repeat(MAX_STRING_LEN as usize + 1)
        );
        assert_eq!(read(&long), State::NONE);
    }

    #[test]
    fn a_signed_out_record_keeps_only_what_it_knows() {
        assert_eq!(
            read(r#"{"v":1,"state":"signed-out","reason":"other-tab","code":"NOPE"}"#),
            State::NONE
        );
        assert_eq!(
            read(r#"{"v":1,"state":"signed-out","reason":"user","code":"SIGNED_OUT"}"#),
            State::SignedOut {
                reason: Some(Reason::User),
                code: Some(Code::SignedOut)
            }
        );
    }

    #[test]
    fn a_loopback_confirm_url_is_kept_only_for_a_loopback_api() {
        let local = Pending {
            confirm_url: "http://127.0.0.1:8081/confirm/t".into(),
            ..a_pending()
        };
        let text = write(&State::Pending(local.clone()));
        let loopback = base_url(Some("http://127.0.0.1:8081/v1")).unwrap();
        assert_eq!(
            parse(json(&text).as_ref(), &loopback, NOW),
            State::Pending(local)
        );
        assert_eq!(read(&text), State::NONE);
    }
}
