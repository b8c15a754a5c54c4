//! Which part of a split structure a record's key falls in: the cache of
//! recently written tasks is split so that each part has a lock of its own.

/// The shard of `key` among `shards` (at least one), from its last eight
/// bytes: task ids are UUIDv7, whose leading digits are the time they were
/// made and whose trailing ones are random.
pub fn shard_of(key: &str, shards: usize) -> usize {
    let tail = key.as_bytes().iter().rev().take(8);
    let folded = tail.fold(0u64, |acc, byte| (acc << 8) | u64::from(*byte));
    // Fibonacci hashing: the top bits of the product mix every byte, and
    // the product's high word scaled by `shards` picks one below it.
    let mixed = folded.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((u128::from(mixed) * shards.max(1) as u128) >> 64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_spread_over_every_shard_and_stay_in_bounds() {
        for shards in [1, 16, 64] {
            let mut counts = vec![0usize; shards];
            for n in 0..6_400u64 {
                let id = format!("0190{:028x}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                counts[shard_of(&id, shards)] += 1;
            }
            assert!(
                counts.iter().all(|&count| count > 0),
                "{shards}: {counts:?}"
            );
        }
        assert_eq!(shard_of("", 16), shard_of("", 16));
        assert!(shard_of("x", 0) == 0);
    }
}
