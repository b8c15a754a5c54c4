//! Typed values of the query language: agent versions compared component by
//! component, and the `registeredAt` date forms converted to and from epoch
//! seconds without a date library.

use std::cmp::Ordering;

use crate::instance::Timestamp;

/// A dotted numeric version such as `1.14.5`; missing trailing components
/// count as zero, so `1.14` equals `1.14.0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version(Vec<u64>);

impl Version {
    /// Parses `1`, `1.14`, `1.14.5` (an optional leading `v` is allowed).
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.strip_prefix('v').unwrap_or(text);
        if text.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        for part in text.split('.') {
            if part.is_empty() || part.len() > 19 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            parts.push(part.parse().ok()?);
        }
        Some(Version(parts))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.0.len().max(other.0.len());
        for idx in 0..len {
            let left = self.0.get(idx).copied().unwrap_or(0);
            let right = other.0.get(idx).copied().unwrap_or(0);
            match left.cmp(&right) {
                Ordering::Equal => continue,
                unequal => return unequal,
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Reads exactly `width` ASCII digits.
fn digits(text: &[u8], width: usize) -> Option<i64> {
    let part = text.get(..width)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(part.iter().fold(0, |acc, b| acc * 10 + i64::from(b - b'0')))
}

/// Parses the `registeredAt` literal forms `2018-06-18`,
/// `2018-06-18T22:28:28`, `2018-06-18T22:28:28Z` and
/// `2018-06-18T22:28:28+00:00` (fractional seconds are accepted and
/// dropped). A form without an offset means UTC; a bare date means midnight.
pub fn parse_date(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    let year = digits(bytes, 4)?;
    let month = digits(bytes.get(5..)?, 2)?;
    let day = digits(bytes.get(8..)?, 2)?;
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if bytes.len() == 10 {
        return Some(Timestamp(days * 86_400));
    }
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = digits(bytes.get(11..)?, 2)?;
    let minute = digits(bytes.get(14..)?, 2)?;
    let second = digits(bytes.get(17..)?, 2)?;
    if bytes.get(13) != Some(&b':') || bytes.get(16) != Some(&b':') {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = bytes.get(19..)?;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n_digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if n_digits == 0 {
            return None;
        }
        rest = &fraction[n_digits..];
    }
    let offset = match rest {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), zone @ ..] if zone.len() == 5 && zone[2] == b':' => {
            let off_hour = digits(zone, 2)?;
            let off_minute = digits(&zone[3..], 2)?;
            if off_hour > 23 || off_minute > 59 {
                return None;
            }
            let seconds = off_hour * 3600 + off_minute * 60;
            if *sign == b'+' { seconds } else { -seconds }
        }
        _ => return None,
    };
    Some(Timestamp(
        days * 86_400 + hour * 3600 + minute * 60 + second - offset,
    ))
}

/// Renders a timestamp as `YYYY-MM-DDTHH:MM:SSZ` (what `=~` on
/// `registeredAt` matches against).
pub fn format_date(at: Timestamp) -> String {
    let days = at.0.div_euclid(86_400);
    let secs = at.0.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_date(input: &str, expected: Option<i64>) {
        assert_eq!(parse_date(input).map(|t| t.0), expected, "input {input:?}");
    }

    #[test]
    fn date_forms() {
        let cases: &[(&str, Option<i64>)] = &[
            ("1970-01-01", Some(0)),
            ("2018-06-18", Some(1_529_280_000)),
            ("2018-06-18T22:28:28", Some(1_529_360_908)),
            ("2018-06-18T22:28:28Z", Some(1_529_360_908)),
            ("2018-06-18T22:28:28+00:00", Some(1_529_360_908)),
            ("2018-06-18T23:28:28+01:00", Some(1_529_360_908)),
            ("2018-06-18T21:28:28-01:00", Some(1_529_360_908)),
            ("2018-06-18T22:28:28.123Z", Some(1_529_360_908)),
            ("2020-02-29", Some(1_582_934_400)),
            ("2019-02-29", None),
            ("2018-13-01", None),
            ("2018-06-18T24:00:00", None),
            ("2018-06-18T22:28", None),
            ("2018-06-18T22:28:28+0000", None),
            ("2018-6-18", None),
            ("18-06-18", None),
            ("", None),
            ("2018-06-18x", None),
        ];
        for (input, expected) in cases {
            check_date(input, *expected);
        }
    }

    #[test]
    fn dates_round_trip() {
        for secs in [0_i64, 1_529_360_908, -86_401, 4_102_444_800] {
            let text = format_date(Timestamp(secs));
            assert_eq!(parse_date(&text), Some(Timestamp(secs)), "{text}");
        }
    }

    #[test]
    fn versions_compare_by_component() {
        let cases: &[(&str, &str, Ordering)] = &[
            ("1.14.5", "1.14.5", Ordering::Equal),
            ("1.14", "1.14.0", Ordering::Equal),
            ("1.9.0", "1.14.0", Ordering::Less),
            ("2", "1.99.99", Ordering::Greater),
            ("v1.2.3", "1.2.3", Ordering::Equal),
        ];
        for (left, right, expected) in cases {
            let left_v = Version::parse(left).expect("valid version");
            let right_v = Version::parse(right).expect("valid version");
            assert_eq!(left_v.cmp(&right_v), *expected, "{left} vs {right}");
        }
        for bad in ["", "1..2", "a.b", "1.2.", "v"] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }
}
