//! What the indexes whose keys begin with a time share (the index of
//! stopped tasks by stop time, and of client tokens by first use): a time
//! written as 19 digits, so entries sort by time as text and the ones
//! before a cutoff are the first of their range, and reading them a page at
//! a time.

use berth_store::{KeyRange, Kv};

use crate::{Page, StateError};

/// Digits of an entry's time: any non-negative `i64`.
const TIME_DIGITS: usize = 19;

/// The time an entry records for `ms`: times before 1970 are 1970, as
/// entries sort as text.
pub(super) fn entry_time(ms: i64) -> i64 {
    ms.max(0)
}

/// `ms` as an entry writes it.
pub(super) fn time_digits(ms: i64) -> String {
    format!("{:0width$}", entry_time(ms), width = TIME_DIGITS)
}

/// The time `text` holds if [`time_digits`] wrote it: exactly 19 ASCII
/// digits (no sign), so an entry decoded from its key encodes back to it.
pub(super) fn parse_time_digits(text: &str) -> Option<i64> {
    if text.len() != TIME_DIGITS || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The entries under `scope` whose time is before `cutoff_ms`, after the
/// entry whose key is `after` when a previous page ended there.
pub(super) fn range_before(scope: Vec<u8>, cutoff_ms: i64, after: Option<&[u8]>) -> KeyRange {
    // Every entry of an earlier time sorts before the first of the cutoff.
    let mut end = scope.clone();
    end.extend_from_slice(time_digits(cutoff_ms).as_bytes());
    let rest = match after {
        Some(after) => KeyRange::prefix_after(scope, after),
        None => KeyRange::prefix(scope),
    };
    KeyRange { end, ..rest }
}

/// Up to `limit` entries (1 or more) of `range`, decoded from their keys
/// by `decode`, in key order; the next page starts after the id of the
/// last, when more follow.
pub(super) async fn page<E>(
    kv: &dyn Kv,
    range: &KeyRange,
    limit: usize,
    decode: impl Fn(&[u8]) -> Result<E, StateError>,
    id: impl Fn(&E) -> String,
) -> Result<Page<E>, StateError> {
    let result = kv.range(range, limit.max(1)).await?;
    let items = result
        .kvs
        .iter()
        .map(|record| {
            let entry = decode(&record.key)?;
            Ok((id(&entry), entry))
        })
        .collect::<Result<Vec<_>, StateError>>()?;
    let next_after = match items.last() {
        Some((id, _)) if result.more => Some(id.clone()),
        _ => None,
    };
    Ok(Page { items, next_after })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_back_exactly_as_written() {
        for ms in [0, 1, 999, 1_700_000_000_000, i64::MAX] {
            assert_eq!(parse_time_digits(&time_digits(ms)), Some(ms));
        }
        assert_eq!(time_digits(-5), time_digits(0));
        assert!(time_digits(999) < time_digits(1_700_000_000_000));
    }

    #[test]
    fn only_nineteen_plain_digits_are_a_time() {
        for text in [
            "",
            "123",
            "+000000000000000001",
            "-000000000000000001",
            "00000000000000000x1",
            "9999999999999999999",
            "00000000000000000001",
        ] {
            assert_eq!(parse_time_digits(text), None, "{text:?}");
        }
    }
}
