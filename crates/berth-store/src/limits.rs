//! Size limits every backend enforces on keys, values and transactions, so a
//! caller that works against one backend works against all of them (the
//! defaults match etcd's request limits).

use crate::kv::{Op, StoreError, Txn};

/// Bounds on what one transaction may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest key, in bytes.
    pub max_key_bytes: usize,
    /// Largest value, in bytes.
    pub max_value_bytes: usize,
    /// Most compares plus ops in one transaction.
    pub max_txn_ops: usize,
    /// Largest transaction: the bytes of all its keys and values.
    pub max_txn_bytes: usize,
}

impl Default for Limits {
    /// etcd's defaults (`--max-request-bytes` 1.5 MiB, `--max-txn-ops` 128),
    /// with keys bounded far below values because they are copied into every
    /// index and event.
    fn default() -> Self {
        Limits {
            max_key_bytes: 4 * 1024,
            max_value_bytes: 1024 * 1024,
            max_txn_ops: 128,
            max_txn_bytes: 1536 * 1024,
        }
    }
}

impl Limits {
    /// Rejects `txn` with [`StoreError::TooLarge`] when it exceeds a limit.
    pub fn check(&self, txn: &Txn) -> Result<(), StoreError> {
        let n_ops = txn.compares.len() + txn.ops.len();
        if n_ops > self.max_txn_ops {
            return Err(too_large("transaction ops", n_ops, self.max_txn_ops));
        }
        let mut total = 0usize;
        for compare in &txn.compares {
            self.check_key(&compare.key)?;
            total = total.saturating_add(compare.key.len());
        }
        for op in &txn.ops {
            match op {
                Op::Put { key, value } => {
                    self.check_key(key)?;
                    if value.len() > self.max_value_bytes {
                        return Err(too_large("value", value.len(), self.max_value_bytes));
                    }
                }
                Op::Delete { key } => self.check_key(key)?,
            }
            total = total.saturating_add(op.bytes());
        }
        if total > self.max_txn_bytes {
            return Err(too_large("transaction", total, self.max_txn_bytes));
        }
        Ok(())
    }

    fn check_key(&self, key: &[u8]) -> Result<(), StoreError> {
        if key.len() > self.max_key_bytes {
            return Err(too_large("key", key.len(), self.max_key_bytes));
        }
        Ok(())
    }
}

fn too_large(what: &'static str, size: usize, limit: usize) -> StoreError {
    StoreError::TooLarge { what, size, limit }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kv::{Compare, Condition};

    fn put(key_len: usize, value_len: usize) -> Op {
        Op::Put {
            key: vec![b'k'; key_len],
            value: vec![b'v'; value_len],
        }
    }

    fn check(txn: Txn, expected: Option<(&str, usize)>) {
        let limits = Limits {
            max_key_bytes: 8,
            max_value_bytes: 16,
            max_txn_ops: 3,
            max_txn_bytes: 40,
        };
        let got = match limits.check(&txn) {
            Ok(()) => None,
            Err(StoreError::TooLarge { what, size, .. }) => Some((what, size)),
            Err(other) => panic!("unexpected error {other}"),
        };
        assert_eq!(got, expected, "{txn:?}");
    }

    #[test]
    fn limits_reject_what_exceeds_them() {
        let compare = |len| Compare {
            key: vec![b'c'; len],
            condition: Condition::Exists,
        };
        let txn = |compares: Vec<Compare>, ops: Vec<Op>| Txn { compares, ops };
        check(txn(vec![], vec![]), None);
        check(txn(vec![compare(8)], vec![put(8, 16), put(8, 0)]), None);
        check(txn(vec![], vec![put(9, 1)]), Some(("key", 9)));
        check(txn(vec![compare(9)], vec![]), Some(("key", 9)));
        check(
            txn(vec![], vec![Op::Delete { key: vec![0; 9] }]),
            Some(("key", 9)),
        );
        check(txn(vec![], vec![put(1, 17)]), Some(("value", 17)));
        check(
            txn(vec![compare(1)], vec![put(1, 1), put(1, 1), put(1, 1)]),
            Some(("transaction ops", 4)),
        );
        check(
            txn(vec![], vec![put(8, 16), put(8, 16)]),
            Some(("transaction", 48)),
        );
    }
}
