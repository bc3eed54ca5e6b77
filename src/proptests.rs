//! Property tests of the pure core: whatever a server (or an attacker posing as one)
//! answers, reading it never panics (a panic poisons the wasm module) and always ends
//! in a result or an error code a caller can switch on.
//!
//! They assert only what must hold of any correct implementation, so the functions may
//! tighten (refuse more bodies, say) without breaking them. Case counts are kept modest
//! so `cargo test` stays fast; `fuzz/` explores the same functions for longer.

use proptest::prelude::*;

use crate::args::{base_url, BaseUrl};
use crate::error::{AuthError, Code};
use crate::host_body::{parse, Body};
use crate::protocol::{
    check_status, decode_poll, decode_start, decode_validate, AfterStatus, Endpoint,
};
use crate::retry_after::{self, MAX_RETRY_AFTER_MS};

/// Every code a response can end in: the documented codes except those that only
/// the caller's arguments or the shell (network, timers) produce.
const RESPONSE_CODES: [Code; 7] = [
    Code::EmailNotConfirmed,
    Code::EmailNotFound,
    Code::TokenNotFound,
    Code::InvalidCredentials,
    Code::RateLimited,
    Code::ServerError,
    Code::BadResponse,
];

fn endpoint() -> impl Strategy<Value = Endpoint> {
    prop_oneof![
        Just(Endpoint::Start),
        Just(Endpoint::Poll),
        Just(Endpoint::Validate)
    ]
}

/// A body that is not the documented JSON is BAD_RESPONSE on the 200 it came with.
fn is_bad_body(e: &AuthError) -> bool {
    e.code == Code::BadResponse && e.status == Some(200) && e.retry_after_ms.is_none()
}

/// The two kinds of API root: TVmaze's, and a loopback one (the local stand-in), which
/// also allows `http:` confirm URLs on loopback.
fn bases() -> [BaseUrl; 2] {
    [
        base_url(Some("https://api.tvmaze.com/v1")).expect("valid"),
        base_url(Some("http://127.0.0.1:8081/v1")).expect("valid"),
    ]
}

/// Whether `url` starts with `scheme` (schemes are case-insensitive).
fn has_scheme(url: &str, scheme: &str) -> bool {
    url.get(..scheme.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
}

/// Runs all three decoders over one body; each gives a value or a bad-body error.
fn decode_all(body: Option<&Body>) -> Result<(), TestCaseError> {
    for base in bases() {
        match decode_start(body, &base) {
            Ok(s) => {
                prop_assert!(!s.token.is_empty());
                // Only a page a browser may be sent to: https, or http on loopback
                // for a loopback API.
                prop_assert!(
                    has_scheme(&s.confirm_url, "https://")
                        || (base.loopback && has_scheme(&s.confirm_url, "http://")),
                    "{}",
                    s.confirm_url
                );
            }
            Err(e) => prop_assert!(is_bad_body(&e)),
        }
    }
    match decode_poll(body) {
        Ok(c) => prop_assert!(!c.api_key.is_empty() && !c.username.is_empty()),
        Err(e) => prop_assert!(is_bad_body(&e)),
    }
    match decode_validate(body) {
        Ok(p) => {
            prop_assert!(p.premium <= 3);
            prop_assert!(["none", "bronze", "silver", "gold"].contains(&p.level));
        }
        Err(e) => prop_assert!(is_bad_body(&e)),
    }
    Ok(())
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![
            Just(0.0),
            Just(1.0),
            Just(2.0),
            Just(3.0),
            Just(2.5),
            Just(-0.0)
        ]
        .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An object that has the fields some endpoint reads, each with any value.
fn protocol_object() -> impl Strategy<Value = serde_json::Value> {
    let field = prop_oneof![
        Just("token".to_owned()),
        Just("confirm_url".to_owned()),
        Just("apikey".to_owned()),
        Just("username".to_owned()),
        Just("premium".to_owned()),
        ".{0,6}",
    ];
    // Any JSON, or a string shaped like a URL, safe or not, so decoding also succeeds.
    let value = prop_oneof![
        json_value(),
        "(https?|HTTPS|javascript|data|blob|ftp):(//)?[a-z0-9.:@/?#%\\\\\\[\\] -]{0,24}"
            .prop_map(serde_json::Value::String),
    ];
    prop::collection::vec((field, value), 0..6)
        .prop_map(|fields| serde_json::Value::Object(fields.into_iter().collect()))
}

/// Text shaped like the three HTTP-date formats, with every part free to be wrong, or
/// any sequence of the tokens a date parser tells apart (numbers, month names, "GMT",
/// other words) between any separators.
fn date_like() -> impl Strategy<Value = String> {
    let word = "[A-Za-z]{0,9}";
    let num = "[0-9]{0,5}";
    // Mostly numbers: a date has five, and runs of them reach the deepest states.
    let token = prop_oneof![
        6 => "[0-9]{1,21}",
        1 => "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
        1 => Just("GMT".to_owned()),
        1 => "(Mon|Sun|Sunday|Thu)",
        1 => "[A-Za-z]{1,4}",
    ];
    let separator = "[ ,:\\-\t]{1,2}";
    let soup = prop::collection::vec((token, separator), 0..10).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(token, separator)| token + &separator)
            .collect::<String>()
    });
    prop_oneof![
        soup,
        (word, num, word, num, num, num, num, word)
            .prop_map(|(w, d, m, y, h, mi, s, z)| { format!("{w}, {d} {m} {y} {h}:{mi}:{s} {z}") }),
        (word, num, word, num, num, num, num)
            .prop_map(|(w, d, m, y, h, mi, s)| { format!("{w}, {d}-{m}-{y} {h}:{mi}:{s} GMT") }),
        (word, word, num, num, num, num, num)
            .prop_map(|(w, m, d, h, mi, s, y)| { format!("{w} {m} {d:>2} {h}:{mi}:{s} {y}") }),
    ]
}

/// `time` (seconds since the epoch) as an IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
/// The weekday is always "Mon": the parser does not check it.
fn imf_fixdate(time: u64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // Howard Hinnant's civil_from_days, for days >= 0.
    let z = time / 86_400 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    let rem = time % 86_400;
    format!(
        "Mon, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// What must hold of any Retry-After result: at most a day, a delay `setTimeout` honours.
fn check_retry_after(result: Option<u64>) -> Result<(), TestCaseError> {
    if let Some(ms) = result {
        prop_assert!(ms <= MAX_RETRY_AFTER_MS, "{ms} ms is over the cap");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_status_is_a_result_or_a_response_code(
        endpoint in endpoint(),
        status in prop_oneof![Just(0u16), 100u16..=599, any::<u16>()],
        retry_after_ms in any::<Option<u64>>(),
    ) {
        match check_status(endpoint, status, retry_after_ms) {
            Ok(AfterStatus::ReadBody) => prop_assert_eq!(status, 200),
            Ok(AfterStatus::Pending) => {
                prop_assert_eq!((endpoint, status), (Endpoint::Poll, 403));
            }
            Err(e) => {
                prop_assert!(RESPONSE_CODES.contains(&e.code), "{:?}", e.code);
                prop_assert!(!e.code.as_str().is_empty());
                if status == 0 {
                    // What browsers report for a redirect not followed: no real status.
                    prop_assert_eq!(e.code, Code::BadResponse);
                    prop_assert_eq!(e.status, None);
                } else {
                    prop_assert_eq!(e.status, Some(status));
                }
                if e.code == Code::RateLimited {
                    prop_assert_eq!(e.retry_after_ms, retry_after_ms);
                } else {
                    prop_assert_eq!(e.retry_after_ms, None);
                }
                if (500..=599).contains(&status) {
                    prop_assert_eq!(e.code, Code::ServerError);
                }
            }
        }
    }

    #[test]
    fn any_body_bytes_decode_to_a_value_or_bad_response(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        decode_all(parse(&bytes).as_ref())?;
    }

    #[test]
    fn any_json_text_decodes_to_a_value_or_bad_response(value in json_value()) {
        decode_all(parse(value.to_string().as_bytes()).as_ref())?;
    }

    #[test]
    fn any_object_with_the_protocol_fields_decodes_to_a_value_or_bad_response(
        value in protocol_object(),
    ) {
        let body = parse(value.to_string().as_bytes());
        prop_assert!(body.is_some(), "an object parses");
        decode_all(body.as_ref())?;
        // Whatever decodes is exactly what the body said.
        for base in bases() {
            if let Ok(started) = decode_start(body.as_ref(), &base) {
                prop_assert_eq!(Some(started.token.as_str()), value["token"].as_str());
                prop_assert_eq!(Some(started.confirm_url.as_str()), value["confirm_url"].as_str());
            }
        }
        if let Ok(premium) = decode_validate(body.as_ref()) {
            prop_assert_eq!(value["premium"].as_f64(), Some(f64::from(premium.premium)));
        }
    }

    #[test]
    fn any_retry_after_text_or_bytes_parses_or_is_none(
        bytes in prop::collection::vec(any::<u8>(), 0..64),
        text in ".{0,40}",
        date in date_like(),
        now in any::<u64>(),
    ) {
        check_retry_after(retry_after::parse(&String::from_utf8_lossy(&bytes), now))?;
        check_retry_after(retry_after::parse(&text, now))?;
        check_retry_after(retry_after::parse(&date, now))?;
    }

    #[test]
    fn delay_seconds_are_milliseconds_at_most(
        secs in any::<u64>(),
        pad in "[ \t]{0,3}",
        now in any::<u64>(),
    ) {
        let ms = retry_after::parse(&format!("{pad}{secs}{pad}"), now);
        prop_assert_eq!(ms, Some(secs.saturating_mul(1000).min(MAX_RETRY_AFTER_MS)));
    }

    #[test]
    fn an_http_date_is_the_time_until_it_and_zero_once_past(
        // 1970 to 9999, the years the parser accepts.
        at in 0u64..253_402_300_800,
        before_ms in 0u64..86_400_000,
        after_ms in 0u64..u64::MAX / 2,
    ) {
        let date = imf_fixdate(at);
        let at_ms = at * 1000;
        let ms = retry_after::parse(&date, at_ms.saturating_sub(before_ms));
        prop_assert_eq!(ms, Some(before_ms.min(at_ms)), "{}", date);
        prop_assert_eq!(retry_after::parse(&date, at_ms.saturating_add(after_ms)), Some(0));
        check_retry_after(ms)?;
    }
}
