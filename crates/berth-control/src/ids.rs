//! Ids of tasks, instances, containers and requests.
//!
//! Their random bits come from the thread's cryptographically secure
//! generator (rand's `ThreadRng`, seeded from the OS and reseeded as it
//! goes). The `uuid` crate's own constructors make a `getrandom` system
//! call for every id: two a task placed and one a request, which made it
//! the server's most frequent system call while placing tasks.

use std::sync::atomic::{AtomicU64, Ordering};

/// Bits of an id's sequence number within its millisecond: UUIDv7's
/// `rand_a` field, which sorts right after the timestamp.
const SEQUENCE_BITS: u32 = 12;

/// The last task or instance id's millisecond and sequence number, as
/// `millis << SEQUENCE_BITS | sequence`.
static LAST_STAMP: AtomicU64 = AtomicU64::new(0);

/// A fresh 32-hex-digit id for a task or an instance. Ids are ordered by
/// creation time (UUIDv7), so the records of tasks placed together sit side
/// by side in the store's B-tree: a batch of placements, and the reports that
/// follow it, dirty a few pages instead of one page per task. This process's
/// ids increase strictly, so the tasks of one RunTask call sort in the order
/// they were made; 62 random bits keep ids of different servers apart.
pub fn new_id() -> String {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let millis = u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX);
    id_at(next_stamp(&LAST_STAMP, millis), rand::random())
        .simple()
        .to_string()
}

/// A fresh random (version 4) UUID, hyphenated: the ids of containers and
/// of API requests.
pub fn new_random_uuid() -> String {
    uuid::Builder::from_random_bytes(rand::random())
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// The stamp of the next id made at `now_millis`: that millisecond's first,
/// or, when `last` was stamped that millisecond or later (a burst of more
/// than 4,096 ids in a millisecond, or the clock stepping back), one past
/// it, so stamps never repeat or go back.
fn next_stamp(last: &AtomicU64, now_millis: u64) -> u64 {
    let first_of_now = now_millis << SEQUENCE_BITS;
    let previous = last
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| {
            Some(first_of_now.max(last.saturating_add(1)))
        })
        .unwrap_or_else(|last| last);
    first_of_now.max(previous.saturating_add(1))
}

/// The UUIDv7 of `stamp`: its millisecond, then its sequence number in
/// `rand_a`, then `random` in `rand_b`.
fn id_at(stamp: u64, mut random: [u8; 10]) -> uuid::Uuid {
    let sequence = stamp & ((1 << SEQUENCE_BITS) - 1);
    // `from_unix_timestamp_millis` takes `rand_a` from the low nibble of
    // the first byte and the whole second byte.
    random[0] = (sequence >> 8) as u8;
    random[1] = sequence as u8;
    uuid::Builder::from_unix_timestamp_millis(stamp >> SEQUENCE_BITS, &random).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(id: &str) -> uuid::Uuid {
        uuid::Uuid::parse_str(id).expect("an id is a UUID")
    }

    #[test]
    fn ids_are_version_7_stamped_now_and_strictly_increasing() {
        let ids: Vec<String> = (0..10_000).map(|_| new_id()).collect();
        for pair in ids.windows(2) {
            assert!(pair[0] < pair[1], "{} was made before {}", pair[0], pair[1]);
        }
        let last = parse(ids.last().expect("ids"));
        assert_eq!(ids[0].len(), 32);
        assert_eq!(last.get_version_num(), 7);
        assert_eq!(last.get_variant(), uuid::Variant::RFC4122);
        let (seconds, _) = last
            .get_timestamp()
            .expect("a v7 UUID has a timestamp")
            .to_unix();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        assert!(now.abs_diff(seconds) <= 1, "stamped {seconds}, now {now}");
    }

    #[test]
    fn stamps_count_within_a_millisecond_and_carry_into_the_next() {
        let last = AtomicU64::new(0);
        let ms = 1_700_000_000_000;
        assert_eq!(next_stamp(&last, ms), ms << SEQUENCE_BITS);
        assert_eq!(next_stamp(&last, ms), (ms << SEQUENCE_BITS) + 1);
        // A clock that steps back does not take the ids back with it.
        assert_eq!(next_stamp(&last, ms - 5), (ms << SEQUENCE_BITS) + 2);
        // The next millisecond starts its count again.
        assert_eq!(next_stamp(&last, ms + 1), (ms + 1) << SEQUENCE_BITS);
        // 4,096 ids fill a millisecond; the next borrows the one after.
        let last = AtomicU64::new(0);
        let stamps: Vec<u64> = (0..4_097).map(|_| next_stamp(&last, ms)).collect();
        assert_eq!(stamps[4_095] >> SEQUENCE_BITS, ms);
        assert_eq!(stamps[4_096], (ms + 1) << SEQUENCE_BITS);
    }

    #[test]
    fn the_sequence_sorts_after_the_millisecond_and_before_the_random_bits() {
        let ms = 1_700_000_000_000;
        let stamp = |sequence: u64| (ms << SEQUENCE_BITS) | sequence;
        let low_random_high_sequence = id_at(stamp(0xABC), [0xFF; 10]);
        let high_random_low_sequence = id_at(stamp(0xABD), [0x00; 10]);
        assert!(low_random_high_sequence < high_random_low_sequence);
        let id = low_random_high_sequence;
        assert_eq!(id.get_version_num(), 7);
        assert_eq!(id.get_variant(), uuid::Variant::RFC4122);
        let (seconds, nanos) = id.get_timestamp().expect("a timestamp").to_unix();
        assert_eq!(seconds * 1_000 + u64::from(nanos) / 1_000_000, ms);
        // rand_a holds the sequence, whole.
        assert_eq!(&id.simple().to_string()[12..16], "7abc");
        let next_millisecond = id_at((ms + 1) << SEQUENCE_BITS, [0x00; 10]);
        assert!(high_random_low_sequence < next_millisecond);
    }

    #[test]
    fn ids_made_together_differ() {
        let ids: std::collections::HashSet<String> = (0..10_000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 10_000);
        let uuids: std::collections::HashSet<String> =
            (0..10_000).map(|_| new_random_uuid()).collect();
        assert_eq!(uuids.len(), 10_000);
    }

    #[test]
    fn random_uuids_are_version_4_and_hyphenated() {
        let id = new_random_uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
        assert_eq!(parse(&id).get_version_num(), 4);
        assert_eq!(parse(&id).get_variant(), uuid::Variant::RFC4122);
    }
}
