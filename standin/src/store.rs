//! The pairing requests and everything the endpoints remember between calls: TVmaze's
//! state machine (pending -> confirmed -> handed out, or denied), both rate limits, the
//! outbox and the list of handed-out tokens.
//!
//! Plain Rust with "now" passed in, so the rules are unit-tested without sleeping. The
//! HTTP handlers hold the lock only for one call and never across an `.await`.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher as _, RandomState};
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use crate::secret;
use crate::users::Users;

/// The poll log is for tests; a long conformance run must not grow it forever.
const POLL_LOG_CAP: usize = 10_000;

/// One poll as the store answered it, for tests that check how clients pace their
/// polls of one token (`GET /_standin/polls`).
#[derive(Debug, Clone, Serialize)]
pub struct PollRecord {
    /// The token polled.
    pub token: String,
    /// Milliseconds since the first poll this store answered.
    pub ms: u64,
    /// The status answered: 200, 403, 404 or 429.
    pub status: u16,
}

/// The window of the start rate limit.
const START_WINDOW: Duration = Duration::from_secs(60);
/// The outbox is for tests and humans; a long conformance run must not grow it forever.
const OUTBOX_CAP: usize = 10_000;
/// At most this many unknown addresses are counted by the start limit at once, so any
/// stream of made-up addresses costs bounded memory (about 100 bytes each). While it is
/// full, starts for further unknown addresses answer 429 until a sweep frees room:
/// that is address probing, which the limit exists to slow down; known users are
/// counted apart and never affected.
pub const UNKNOWN_ADDRESSES_CAP: usize = 10_000;
/// How often the start limit drops the windows that have emptied.
const START_SWEEP_EVERY: Duration = Duration::from_secs(15);

/// Limits and lifetimes from the command line.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Minimum time between two polls of one token.
    pub poll_interval: Duration,
    /// Lifetime of a token.
    pub token_ttl: Duration,
    /// Starts allowed per email address per minute.
    pub starts_per_minute: u32,
}

/// Where a pairing request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    /// The user has not answered yet: poll answers 403.
    Pending,
    /// The user confirmed; the next poll hands out the key.
    Confirmed,
    /// The user denied: poll answers 404.
    Denied,
    /// The key was handed out once: poll answers 404 from now on.
    HandedOut,
}

#[derive(Debug)]
struct PairingRequest {
    email: String,
    username: String,
    created: Instant,
    last_poll: Option<Instant>,
    state: RequestState,
}

/// A confirmation "email" the stand-in would have sent.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxEntry {
    /// The user's address.
    pub to: String,
    /// The page that confirms the request.
    pub confirm_url: String,
    /// RFC 3339 UTC time of sending.
    pub sent_at: String,
}

/// The answer to a start.
#[derive(Debug, PartialEq, Eq)]
pub enum StartOutcome {
    /// 200 with this token and the URL of its confirm page.
    Started {
        /// The new token.
        token: String,
        /// Where the user confirms it.
        confirm_url: String,
    },
    /// 401: the address is known but not confirmed.
    EmailNotConfirmed,
    /// 404: nobody has this address.
    NoSuchUser,
    /// 429: too many starts for this address; the window frees a slot after this long.
    RateLimited(Duration),
    /// The OS gave no randomness; nothing to do with the request.
    NoRandomness,
}

/// The answer to a poll.
#[derive(Debug, PartialEq, Eq)]
pub enum PollOutcome {
    /// 403: not confirmed yet.
    Pending,
    /// 200, exactly once per confirmed token.
    Confirmed {
        /// The user's API key.
        api_key: String,
        /// The user's username.
        username: String,
    },
    /// 404: unknown, expired, denied or already handed out.
    NotFound,
    /// 429: polled sooner than the interval allows; the next poll is allowed after this.
    RateLimited(Duration),
}

/// What the confirm page shows for a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestView {
    /// The address that asked.
    pub email: String,
    /// Whose account it is.
    pub username: String,
    /// Where the request stands.
    pub state: RequestState,
}

/// The answer to a decision on the confirm page.
#[derive(Debug, PartialEq, Eq)]
pub enum DecideOutcome {
    /// The decision was recorded; the view is the new state.
    Recorded(RequestView),
    /// The request had already been decided; the view is that earlier state.
    AlreadyDecided(RequestView),
    /// Unknown or expired token.
    NotFound,
}

/// The per-address start limit. Addresses are kept only as keyed 64-bit hashes of their
/// lowercase form, so a huge made-up address costs no more than a short one; known
/// users' windows live apart from unknown addresses', whose number is capped.
#[derive(Debug, Default)]
struct StartLimiter {
    /// Keys the address hashes with a per-run secret, so nobody can aim collisions.
    hasher: RandomState,
    /// Start times within the window, oldest first, per known user.
    known: HashMap<u64, VecDeque<Instant>>,
    /// The same for addresses no user has; at most [`UNKNOWN_ADDRESSES_CAP`] of them.
    unknown: HashMap<u64, VecDeque<Instant>>,
    /// When emptied windows were last dropped.
    last_sweep: Option<Instant>,
}

impl StartLimiter {
    fn key(&self, email: &str) -> u64 {
        self.hasher.hash_one(email.to_ascii_lowercase())
    }

    /// Takes a start slot for `email`, or says how long until one frees up.
    fn take(&mut self, email: &str, known: bool, limit: u32, now: Instant) -> Option<Duration> {
        let due = self
            .last_sweep
            .is_none_or(|t| now.saturating_duration_since(t) >= START_SWEEP_EVERY);
        if due {
            self.sweep(now);
        }
        let key = self.key(email);
        let windows = if known {
            &mut self.known
        } else {
            if !self.unknown.contains_key(&key) && self.unknown.len() >= UNKNOWN_ADDRESSES_CAP {
                // Full of probing: no room to count another address until the next sweep.
                let since = self
                    .last_sweep
                    .map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
                return Some(
                    START_SWEEP_EVERY
                        .saturating_sub(since)
                        .max(Duration::from_secs(1)),
                );
            }
            &mut self.unknown
        };
        let window = windows.entry(key).or_default();
        while window
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= START_WINDOW)
        {
            window.pop_front();
        }
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        if window.len() >= limit {
            let oldest = window.front().copied().unwrap_or(now);
            return Some(START_WINDOW.saturating_sub(now.saturating_duration_since(oldest)));
        }
        window.push_back(now);
        None
    }

    /// Drops every window whose last start left it: runs every [`START_SWEEP_EVERY`], so
    /// its cost (one pass over at most the cap) is spread over all starts in between.
    fn sweep(&mut self, now: Instant) {
        let live = |w: &mut VecDeque<Instant>| {
            w.back()
                .is_some_and(|t| now.saturating_duration_since(*t) < START_WINDOW)
        };
        self.known.retain(|_, w| live(w));
        self.unknown.retain(|_, w| live(w));
        self.last_sweep = Some(now);
    }

    /// How many addresses are being counted.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.known.len() + self.unknown.len()
    }
}

/// All mutable state of one stand-in run.
#[derive(Debug)]
pub struct Store {
    users: Users,
    limits: Limits,
    requests: HashMap<String, PairingRequest>,
    /// Every token with its expiry time, in order of creation: with one lifetime for all,
    /// that is also the order of expiry, so expiring pops from the front and never
    /// looks at a live token.
    expiries: VecDeque<(Instant, String)>,
    starts: StartLimiter,
    outbox: VecDeque<OutboxEntry>,
    handed_out: Vec<String>,
    /// Every poll answered (oldest dropped past [`POLL_LOG_CAP`]), and when the first came.
    polls: VecDeque<PollRecord>,
    first_poll: Option<Instant>,
}

impl Store {
    /// An empty store over these users.
    pub fn new(users: Users, limits: Limits) -> Self {
        Self {
            users,
            limits,
            requests: HashMap::new(),
            expiries: VecDeque::new(),
            starts: StartLimiter::default(),
            outbox: VecDeque::new(),
            handed_out: Vec::new(),
            polls: VecDeque::new(),
            first_poll: None,
        }
    }

    /// `POST /auth/start`. `confirm_url` turns a token into its page's URL; with
    /// `email_confirmation` the "email" goes to the outbox.
    pub fn start(
        &mut self,
        email: &str,
        email_confirmation: bool,
        now: Instant,
        confirm_url: impl Fn(&str) -> String,
    ) -> StartOutcome {
        self.forget_expired(now);
        // The limit counts every attempt for the address, known or not, as a real
        // service would to stop address probing; refused attempts do not count, so a
        // client that backs off gets through.
        let user = self.users.by_email(email);
        let limit = self.limits.starts_per_minute;
        if let Some(wait) = self.starts.take(email, user.is_some(), limit, now) {
            return StartOutcome::RateLimited(wait);
        }
        let Some(user) = user else {
            return StartOutcome::NoSuchUser;
        };
        if !user.email_confirmed {
            return StartOutcome::EmailNotConfirmed;
        }
        let (to, username) = (user.email.clone(), user.username.clone());
        let Ok(token) = secret::random_url_safe() else {
            return StartOutcome::NoRandomness;
        };
        self.requests.insert(
            token.clone(),
            PairingRequest {
                email: to.clone(),
                username,
                created: now,
                last_poll: None,
                state: RequestState::Pending,
            },
        );
        self.expiries
            .push_back((now + self.limits.token_ttl, token.clone()));
        let confirm_url = confirm_url(&token);
        if email_confirmation {
            if self.outbox.len() >= OUTBOX_CAP {
                self.outbox.pop_front();
            }
            self.outbox.push_back(OutboxEntry {
                to,
                confirm_url: confirm_url.clone(),
                sent_at: rfc3339_utc(SystemTime::now()),
            });
        }
        StartOutcome::Started { token, confirm_url }
    }

    /// `POST /auth/poll`, recorded in the poll log.
    pub fn poll(&mut self, token: &str, now: Instant) -> PollOutcome {
        let outcome = self.poll_answer(token, now);
        let status = match outcome {
            PollOutcome::Pending => 403,
            PollOutcome::Confirmed { .. } => 200,
            PollOutcome::NotFound => 404,
            PollOutcome::RateLimited(_) => 429,
        };
        let first = *self.first_poll.get_or_insert(now);
        if self.polls.len() >= POLL_LOG_CAP {
            self.polls.pop_front();
        }
        self.polls.push_back(PollRecord {
            token: token.to_owned(),
            ms: u64::try_from(now.saturating_duration_since(first).as_millis()).unwrap_or(u64::MAX),
            status,
        });
        outcome
    }

    /// Every poll answered so far, oldest first.
    pub fn polls(&self) -> Vec<PollRecord> {
        self.polls.iter().cloned().collect()
    }

    /// Gives `username` a new API key (see [`Users::reset_key`]).
    pub fn reset_key(&mut self, username: &str) -> Result<bool, getrandom::Error> {
        self.users.reset_key(username)
    }

    fn poll_answer(&mut self, token: &str, now: Instant) -> PollOutcome {
        let ttl = self.limits.token_ttl;
        let interval = self.limits.poll_interval;
        let Some(request) = self.requests.get_mut(token) else {
            return PollOutcome::NotFound;
        };
        if now.saturating_duration_since(request.created) >= ttl {
            self.requests.remove(token);
            return PollOutcome::NotFound;
        }
        if matches!(
            request.state,
            RequestState::Denied | RequestState::HandedOut
        ) {
            return PollOutcome::NotFound;
        }
        if let Some(last) = request.last_poll {
            let since = now.saturating_duration_since(last);
            if since < interval {
                // A refused poll does not reset the clock, as on TVmaze.
                return PollOutcome::RateLimited(interval - since);
            }
        }
        request.last_poll = Some(now);
        if request.state == RequestState::Pending {
            return PollOutcome::Pending;
        }
        // Confirmed: hand the key out, once.
        let username = request.username.clone();
        let Some(user) = self.users.by_username(&username) else {
            return PollOutcome::NotFound;
        };
        let api_key = user.api_key.clone();
        request.state = RequestState::HandedOut;
        self.handed_out.push(token.to_owned());
        PollOutcome::Confirmed { api_key, username }
    }

    /// The confirm page's view of a live token.
    pub fn view(&self, token: &str, now: Instant) -> Option<RequestView> {
        let request = self.requests.get(token)?;
        if now.saturating_duration_since(request.created) >= self.limits.token_ttl {
            return None;
        }
        Some(RequestView {
            email: request.email.clone(),
            username: request.username.clone(),
            state: request.state,
        })
    }

    /// Records the user's Confirm (`true`) or Deny (`false`) on the confirm page.
    pub fn decide(&mut self, token: &str, confirm: bool, now: Instant) -> DecideOutcome {
        let Some(before) = self.view(token, now) else {
            return DecideOutcome::NotFound;
        };
        if before.state != RequestState::Pending {
            return DecideOutcome::AlreadyDecided(before);
        }
        let state = if confirm {
            RequestState::Confirmed
        } else {
            RequestState::Denied
        };
        if let Some(request) = self.requests.get_mut(token) {
            request.state = state;
        }
        DecideOutcome::Recorded(RequestView { state, ..before })
    }

    /// Whether `api_key` is `username`'s key; the comparison is constant-time.
    pub fn premium_of(&self, username: &str, api_key: &str) -> Option<u8> {
        match self.users.by_username(username) {
            Some(user) if secret::secrets_equal(&user.api_key, api_key) => Some(user.premium),
            Some(_) => None,
            None => {
                // Compare anyway, so an unknown username costs the same time as a wrong key.
                let _ = secret::secrets_equal("0123456789abcdef0123456789abcdef", api_key);
                None
            }
        }
    }

    /// Every "email" sent so far, oldest first.
    pub fn outbox(&self) -> Vec<OutboxEntry> {
        self.outbox.iter().cloned().collect()
    }

    /// The tokens whose key was handed out, in order.
    pub fn handed_out(&self) -> Vec<String> {
        self.handed_out.clone()
    }

    /// Forgets the tokens whose lifetime is over, visiting only those (and the first
    /// live one, which stops the walk). Returns how many entries it looked at.
    fn forget_expired(&mut self, now: Instant) -> usize {
        let mut visited = 0;
        while let Some((expiry, _)) = self.expiries.front() {
            visited += 1;
            if *expiry > now {
                break;
            }
            if let Some((_, token)) = self.expiries.pop_front() {
                // Poll may have removed it already; then this does nothing.
                self.requests.remove(&token);
            }
        }
        visited
    }
}

/// Formats a wall-clock time as RFC 3339 UTC with whole seconds, e.g.
/// `2025-01-31T12:00:00Z`, without a date-time dependency.
pub fn rfc3339_utc(time: SystemTime) -> String {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-since-epoch to proleptic Gregorian date.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both are small positive numbers by construction.
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(poll_ms: u64, ttl_s: u64, starts: u32) -> Store {
        Store::new(
            Users::load(None).expect("users"),
            Limits {
                poll_interval: Duration::from_millis(poll_ms),
                token_ttl: Duration::from_secs(ttl_s),
                starts_per_minute: starts,
            },
        )
    }

    fn url(token: &str) -> String {
        format!("http://x/confirm/{token}")
    }

    fn started(outcome: StartOutcome) -> String {
        match outcome {
            StartOutcome::Started { token, confirm_url } => {
                assert_eq!(confirm_url, url(&token));
                token
            }
            other => panic!("not started: {other:?}"),
        }
    }

    #[test]
    fn start_answers_per_user() {
        let mut s = store(0, 900, 100);
        let now = Instant::now();
        started(s.start("alice@example.com", true, now, url));
        assert_eq!(
            s.start("carol@example.com", true, now, url),
            StartOutcome::EmailNotConfirmed
        );
        assert_eq!(
            s.start("nobody@example.com", true, now, url),
            StartOutcome::NoSuchUser
        );
        assert_eq!(s.outbox().len(), 1);
        started(s.start("bob@example.com", false, now, url));
        assert_eq!(s.outbox().len(), 1, "no email without email_confirmation");
    }

    #[test]
    fn confirm_hands_the_key_out_once() {
        let mut s = store(1000, 900, 100);
        let t0 = Instant::now();
        let token = started(s.start("alice@example.com", false, t0, url));
        assert_eq!(s.poll(&token, t0), PollOutcome::Pending);
        assert!(matches!(
            s.decide(&token, true, t0),
            DecideOutcome::Recorded(_)
        ));
        assert!(matches!(
            s.decide(&token, false, t0),
            DecideOutcome::AlreadyDecided(_)
        ));
        // Too soon, and the refused poll does not move the clock.
        let t1 = t0 + Duration::from_millis(600);
        assert_eq!(
            s.poll(&token, t1),
            PollOutcome::RateLimited(Duration::from_millis(400))
        );
        let t2 = t0 + Duration::from_millis(1000);
        match s.poll(&token, t2) {
            PollOutcome::Confirmed { api_key, username } => {
                assert_eq!(username, "alice");
                assert_eq!(s.premium_of("alice", &api_key), Some(2));
                assert_eq!(s.premium_of("bob", &api_key), None);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            s.poll(&token, t2 + Duration::from_secs(5)),
            PollOutcome::NotFound
        );
        assert_eq!(s.handed_out(), vec![token]);
    }

    #[test]
    fn deny_and_expiry_answer_not_found() {
        let mut s = store(0, 2, 100);
        let t0 = Instant::now();
        let denied = started(s.start("alice@example.com", false, t0, url));
        s.decide(&denied, false, t0);
        assert_eq!(s.poll(&denied, t0), PollOutcome::NotFound);
        let expiring = started(s.start("alice@example.com", false, t0, url));
        assert_eq!(s.poll(&expiring, t0), PollOutcome::Pending);
        let later = t0 + Duration::from_secs(2);
        assert_eq!(s.poll(&expiring, later), PollOutcome::NotFound);
        assert_eq!(s.view(&expiring, later), None);
        assert_eq!(s.poll("unknown", t0), PollOutcome::NotFound);
    }

    #[test]
    fn start_limit_is_per_address_and_slides() {
        let mut s = store(0, 900, 2);
        let t0 = Instant::now();
        started(s.start("alice@example.com", false, t0, url));
        started(s.start(
            "ALICE@example.com",
            false,
            t0 + Duration::from_secs(10),
            url,
        ));
        assert_eq!(
            s.start(
                "alice@example.com",
                false,
                t0 + Duration::from_secs(20),
                url
            ),
            StartOutcome::RateLimited(Duration::from_secs(40))
        );
        started(s.start("bob@example.com", false, t0, url));
        started(s.start(
            "alice@example.com",
            false,
            t0 + Duration::from_secs(60),
            url,
        ));
    }

    #[test]
    fn expiry_visits_only_expired_tokens_and_removes_them() {
        let mut s = store(0, 60, 1_000_000);
        let t0 = Instant::now();
        for _ in 0..1000 {
            started(s.start("alice@example.com", false, t0, url));
        }
        let live = started(s.start(
            "alice@example.com",
            false,
            t0 + Duration::from_secs(30),
            url,
        ));
        assert_eq!(s.requests.len(), 1001);
        // Before anything expires, one look at the oldest entry is all it costs.
        assert_eq!(s.forget_expired(t0 + Duration::from_secs(59)), 1);
        assert_eq!(s.requests.len(), 1001);
        // At the lifetime: the 1000 expired are visited and removed, plus one look at
        // the live one; the live one is neither removed nor walked past.
        let t1 = t0 + Duration::from_secs(60);
        assert_eq!(s.forget_expired(t1), 1001);
        assert_eq!(s.requests.len(), 1);
        assert_eq!(s.forget_expired(t1), 1);
        assert_eq!(s.poll(&live, t1), PollOutcome::Pending);
        // A poll that expires a token itself leaves a queue entry that is skipped later.
        let t2 = t0 + Duration::from_secs(90);
        assert_eq!(s.poll(&live, t2), PollOutcome::NotFound);
        assert_eq!(s.requests.len(), 0);
        assert_eq!(s.forget_expired(t2), 1);
        assert_eq!(s.forget_expired(t2), 0);
    }

    #[test]
    fn starts_expire_tokens_as_they_go() {
        let mut s = store(0, 2, 1_000_000);
        let t0 = Instant::now();
        let old = started(s.start("alice@example.com", false, t0, url));
        let t1 = t0 + Duration::from_secs(2);
        started(s.start("bob@example.com", false, t1, url));
        assert_eq!(
            s.requests.len(),
            1,
            "the start at t1 expired the first token"
        );
        assert_eq!(s.view(&old, t1), None);
    }

    #[test]
    fn unknown_addresses_are_counted_in_bounded_memory() {
        let mut s = store(0, 900, 3);
        let t0 = Instant::now();
        let long = "x".repeat(1000);
        for i in 0..UNKNOWN_ADDRESSES_CAP + 2000 {
            let outcome = s.start(&format!("{long}{i}@example.com"), true, t0, url);
            if i < UNKNOWN_ADDRESSES_CAP {
                assert_eq!(outcome, StartOutcome::NoSuchUser, "{i}");
            } else {
                // The table is full: further unknown addresses wait for a sweep.
                assert!(matches!(outcome, StartOutcome::RateLimited(_)), "{i}");
            }
            assert!(s.starts.unknown.len() <= UNKNOWN_ADDRESSES_CAP);
        }
        // Known users are counted apart: still served, and still limited.
        for _ in 0..3 {
            started(s.start("alice@example.com", false, t0, url));
        }
        assert!(matches!(
            s.start("alice@example.com", false, t0, url),
            StartOutcome::RateLimited(_)
        ));
        // An address already counted keeps its own count while the table is full.
        for _ in 0..2 {
            assert_eq!(
                s.start(&format!("{long}0@example.com"), true, t0, url),
                StartOutcome::NoSuchUser
            );
        }
        assert!(matches!(
            s.start(&format!("{long}0@EXAMPLE.com"), true, t0, url),
            StartOutcome::RateLimited(_)
        ));
        assert!(s.starts.len() <= UNKNOWN_ADDRESSES_CAP + 1);
        // A minute later the sweep empties the table, and new addresses are counted.
        let later = t0 + START_WINDOW;
        assert_eq!(
            s.start("someone-new@example.com", true, later, url),
            StartOutcome::NoSuchUser
        );
        assert_eq!(s.starts.len(), 1);
    }

    #[test]
    fn formats_rfc3339() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(rfc3339_utc(t), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339_utc(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap = SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(rfc3339_utc(leap), "2000-02-29T00:00:00Z");
    }
}
