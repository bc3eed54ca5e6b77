//! Parsing the `Retry-After` header of a 429 (RFC 9110 §10.2.3): either delay-seconds or
//! an HTTP-date. TVmaze does not document sending it, so anything unusable is `None` and
//! the caller falls back to its own backoff.

use crate::decimal::digits;

/// The longest wait a Retry-After can ask for: 24 hours. Longer (a huge number, a date
/// in year 9999) is taken as 24 hours, so `retryAfterMs` is always a delay `setTimeout`
/// honours (it fires at once above 2^31 - 1 ms) and a number a UI can show.
pub const MAX_RETRY_AFTER_MS: u64 = 24 * 60 * 60 * 1000;

/// Milliseconds to wait, given the header value and the current time (ms since the Unix
/// epoch), at most [`MAX_RETRY_AFTER_MS`]. A date in the past means "now" (0). Garbage
/// is `None`.
pub fn parse(value: &str, now_ms: u64) -> Option<u64> {
    // HTTP's optional whitespace is ASCII (RFC 9110 §5.6.3); `trim_ascii` also skips the
    // Unicode whitespace tables that `trim` links.
    let value = value.trim_ascii();
    let ms = match digits(value.as_bytes()) {
        Some(secs) => secs.saturating_mul(1000),
        None => http_date_ms(value)?.saturating_sub(now_ms),
    };
    Some(ms.min(MAX_RETRY_AFTER_MS))
}

/// Milliseconds since the epoch of an HTTP-date in any of the three formats a recipient
/// must accept: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete RFC 850 form
/// ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994").
///
/// One pass over the bytes, splitting at anything that is not an ASCII letter or digit
/// (a char-based tokenizer per format is larger: docs/size.md). The weekday is not
/// checked: a wrong one does not make the date ambiguous.
fn http_date_ms(value: &str) -> Option<u64> {
    // day, year, hour, minute, second in the order the format writes them.
    let mut numbers = [0u64; 5];
    let mut count = 0;
    let (mut month, mut words, mut asctime, mut gmt) = (0, 0, false, false);
    for token in value
        .as_bytes()
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
    {
        if let Some(n) = digits(token) {
            *numbers.get_mut(count)? = n;
            count += 1;
        } else if token == b"GMT" && count == 5 {
            gmt = true;
        } else if let Some(m) = month_index(token) {
            if month != 0 {
                return None;
            }
            // asctime puts the month before the day.
            asctime = count == 0;
            month = m;
        } else if words == 0 && count == 0 && month == 0 {
            words += 1; // the weekday
        } else {
            return None;
        }
    }
    let [a, b, c, d, e] = numbers;
    let (day, mut year, h, m, s) = if asctime {
        (a, e, b, c, d)
    } else {
        (a, b, c, d, e)
    };
    if count != 5 || month == 0 || gmt == asctime {
        return None;
    }
    if year < 100 {
        // RFC 850's two-digit years: the "within 50 years" rule, simplified to a fixed
        // pivot because such dates only come from very old servers.
        year += if year < 70 { 2000 } else { 1900 };
    }
    if !(1970..=9999).contains(&year) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + h) * 60 + m) * 60 * 1000 + s * 1000)
}

fn month_index(s: &[u8]) -> Option<u64> {
    const MONTHS: &[u8; 36] = b"JanFebMarAprMayJunJulAugSepOctNovDec";
    MONTHS.chunks(3).position(|m| m == s).map(|i| i as u64 + 1)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm),
/// for years >= 1970 only, which keeps every intermediate value non-negative.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    // 1994-11-06T08:49:37Z, the RFC's example date.
    const RFC_EXAMPLE_MS: u64 = 784_111_777_000;

    #[test]
    fn delay_seconds() {
        assert_eq!(parse("0", 5), Some(0));
        assert_eq!(parse("1", 5), Some(1000));
        assert_eq!(parse(" 120 ", 5), Some(120_000));
    }

    #[test]
    fn waits_are_capped_at_a_day() {
        assert_eq!(parse("86400", 0), Some(MAX_RETRY_AFTER_MS));
        assert_eq!(parse("86401", 0), Some(MAX_RETRY_AFTER_MS));
        assert_eq!(
            parse("99999999999999999999999", 0),
            Some(MAX_RETRY_AFTER_MS)
        );
        let far = "Fri, 31 Dec 9999 23:59:59 GMT";
        assert_eq!(parse(far, RFC_EXAMPLE_MS), Some(MAX_RETRY_AFTER_MS));
    }

    #[test]
    fn the_three_http_date_formats() {
        for v in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(http_date_ms(v), Some(RFC_EXAMPLE_MS), "{v}");
        }
    }

    #[test]
    fn http_date_is_relative_to_now() {
        let v = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(parse(v, RFC_EXAMPLE_MS - 3_000), Some(3_000));
        // A date in the past means retry now, not never.
        assert_eq!(parse(v, RFC_EXAMPLE_MS + 60_000), Some(0));
    }

    #[test]
    fn epoch_and_leap_days() {
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date_ms("Thu, 29 Feb 2024 12:00:00 GMT"),
            Some(1_709_208_000_000)
        );
        assert_eq!(
            http_date_ms("Fri, 31 Dec 9999 23:59:59 GMT"),
            Some(253_402_300_799_000)
        );
    }

    #[test]
    fn garbage_is_none() {
        for v in [
            "",
            " ",
            "-1",
            "1.5",
            "+3",
            "soon",
            "0x10",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, 06 Nov Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37:12 GMT",
            "Sun, 06 Nov 1994 GMT 08:49:37",
            "Sun Nov  6 08:49:37 1994 GMT",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Nov 19940 08:49:37 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun Nov  6 08:49:37",
            "\u{1F600}",
        ] {
            assert_eq!(parse(v, 0), None, "{v:?}");
        }
    }
}
