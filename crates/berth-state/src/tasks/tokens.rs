//! RunTask's client tokens, and the index that lets them expire: entries
//! `<created at, ms, 19 digits>/<cluster>/<token>`, oldest first across
//! every cluster.
//!
//! boto3 and the AWS CLI send a fresh token with every RunTask (the model
//! marks it an idempotency token), so a token record per call was kept for
//! good and the store grew by one record a call. ECS keeps a RunTask token
//! for 24 hours; a pass now deletes the tokens older than that, reading only
//! the entries it removes.
//!
//! A store from before the index gets entries once at start, dated then:
//! its tokens carry no creation time, so they last 24 hours from the
//! upgrade.

use berth_store::{KeyRange, KeyValue, Kv, Op, Revision};
use serde::{Deserialize, Serialize};

use super::stopped::{TIME_DIGITS, time_digits};
use super::task_key;
use crate::{Page, StateError, Table};

/// RunTask client tokens by `<cluster>/<token>`.
pub const CLIENT_TOKENS: Table<ClientTokenRecord> = Table::new("ecs/client-tokens/");

/// Client tokens by `<created at>/<cluster>/<token>`.
pub const CLIENT_TOKEN_EXPIRY: Table<()> = Table::new("ecs/client-token-expiry/");

/// Set once every token stored before the index existed is in it.
pub(super) const INDEXED: &str = "client-tokens-indexed";

/// What a RunTask client token created, and a fingerprint of the request
/// that created it, so a reuse with other parameters can be refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientTokenRecord {
    pub request_fingerprint: String,
    pub task_ids: Vec<String>,
    /// Failures of the first call are repeated to a retry verbatim.
    pub failures: Vec<(String, String, Option<String>)>,
    /// When the token was first used; `None` in records from before tokens
    /// expired, whose index entry is dated when it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at_ms: Option<i64>,
}

impl ClientTokenRecord {
    /// The ops that store this record as `token` of `cluster` with its
    /// index entry, dated by its creation time (the caller's clock when it
    /// has none).
    pub fn put_ops(&self, cluster: &str, token: &str, now_ms: i64) -> [Op; 2] {
        let entry = TokenEntry {
            cluster: cluster.to_owned(),
            token: token.to_owned(),
            created_at_ms: self.created_at_ms.unwrap_or(now_ms),
        };
        [
            CLIENT_TOKENS.put_op(&task_key(cluster, token), self),
            entry.put_op(),
        ]
    }
}

/// One entry of the expiry index: a token and when it was first used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenEntry {
    pub cluster: String,
    pub token: String,
    pub created_at_ms: i64,
}

impl TokenEntry {
    /// The entry's id within [`CLIENT_TOKEN_EXPIRY`].
    pub fn id(&self) -> String {
        format!(
            "{}/{}/{}",
            time_digits(self.created_at_ms),
            self.cluster,
            self.token
        )
    }

    pub fn put_op(&self) -> Op {
        CLIENT_TOKEN_EXPIRY.put_op(&self.id(), &())
    }

    pub fn delete_op(&self) -> Op {
        CLIENT_TOKEN_EXPIRY.delete_op(&self.id())
    }

    /// Whether the stored token `record` is the one this entry dates: a
    /// token used again after it expired has an entry of its own.
    pub fn dates(&self, record: &ClientTokenRecord) -> bool {
        record
            .created_at_ms
            .is_none_or(|created| time_digits(created) == time_digits(self.created_at_ms))
    }

    /// The entry stored under `key`. Cluster names hold no `/`; tokens may.
    fn decode(key: &[u8]) -> Result<TokenEntry, StateError> {
        let corrupt = || StateError::Corrupt {
            key: String::from_utf8_lossy(key).into_owned(),
            source: serde::de::Error::custom("not a client-token entry"),
        };
        let rest = key
            .get(CLIENT_TOKEN_EXPIRY.key("").len()..)
            .and_then(|rest| std::str::from_utf8(rest).ok())
            .ok_or_else(corrupt)?;
        let (time, rest) = rest.split_once('/').ok_or_else(corrupt)?;
        let (cluster, token) = rest.split_once('/').ok_or_else(corrupt)?;
        let created_at_ms = time
            .parse()
            .ok()
            .filter(|_| time.len() == TIME_DIGITS)
            .ok_or_else(corrupt)?;
        Ok(TokenEntry {
            cluster: cluster.to_owned(),
            token: token.to_owned(),
            created_at_ms,
        })
    }
}

/// Up to `limit` entries (1 or more) of tokens created before `cutoff_ms`,
/// oldest first, after the entry `after` (an id of a previous page).
pub(super) async fn created_before(
    kv: &dyn Kv,
    cutoff_ms: i64,
    after: Option<&str>,
    limit: usize,
) -> Result<Page<TokenEntry>, StateError> {
    let end = CLIENT_TOKEN_EXPIRY.key(&time_digits(cutoff_ms));
    let range = match after {
        Some(after) => {
            KeyRange::prefix_after(CLIENT_TOKEN_EXPIRY.key(""), &CLIENT_TOKEN_EXPIRY.key(after))
        }
        None => KeyRange::prefix(CLIENT_TOKEN_EXPIRY.key("")),
    };
    // Every entry of an earlier time sorts before the first of the cutoff.
    let range = KeyRange { end, ..range };
    let result = kv.range(&range, limit.max(1)).await?;
    let items = result
        .kvs
        .iter()
        .map(|record| {
            let entry = TokenEntry::decode(&record.key)?;
            Ok((entry.id(), entry))
        })
        .collect::<Result<Vec<_>, StateError>>()?;
    let next_after = match items.last() {
        Some((id, _)) if result.more => Some(id.clone()),
        _ => None,
    };
    Ok(Page { items, next_after })
}

/// The token record stored as `<cluster>/<token>` and the revision it was
/// read at.
pub(super) async fn read(
    kv: &dyn Kv,
    cluster: &str,
    token: &str,
) -> Result<Option<(ClientTokenRecord, Revision)>, StateError> {
    Ok(CLIENT_TOKENS
        .get(kv, &task_key(cluster, token))
        .await?
        .map(|record| (record.value, record.mod_revision)))
}

/// The entry a token stored before the index calls for, dated `now_ms`.
pub(super) fn backfill_ops(record: &KeyValue, now_ms: i64) -> Result<Vec<Op>, StateError> {
    let id = String::from_utf8_lossy(&record.key[CLIENT_TOKENS.key("").len()..]).into_owned();
    let Some((cluster, token)) = id.split_once('/') else {
        return Err(StateError::Corrupt {
            key: String::from_utf8_lossy(&record.key).into_owned(),
            source: serde::de::Error::custom("not a client-token key"),
        });
    };
    let stored: ClientTokenRecord =
        serde_json::from_slice(&record.value).map_err(|source| StateError::Corrupt {
            key: String::from_utf8_lossy(&record.key).into_owned(),
            source,
        })?;
    let entry = TokenEntry {
        cluster: cluster.to_owned(),
        token: token.to_owned(),
        created_at_ms: stored.created_at_ms.unwrap_or(now_ms),
    };
    Ok(vec![entry.put_op()])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(token: &str, at: i64) -> TokenEntry {
        TokenEntry {
            cluster: "c".to_owned(),
            token: token.to_owned(),
            created_at_ms: at,
        }
    }

    #[test]
    fn entries_sort_by_time_across_clusters_and_read_back() {
        let early = TokenEntry {
            cluster: "zzz".to_owned(),
            ..entry("t", 999)
        };
        let late = entry("t", 1_700_000_000_000);
        assert!(early.id() < late.id());
        for entry in [early, late, entry("a/b//c", 5)] {
            let key = CLIENT_TOKEN_EXPIRY.key(&entry.id());
            assert_eq!(TokenEntry::decode(&key).expect("decodes"), entry);
        }
    }

    #[test]
    fn keys_that_are_not_entries_are_corrupt() {
        for id in [
            "",
            "123/c/t",
            "0000000000000000001",
            "000000000000000000x/c/t",
        ] {
            let key = CLIENT_TOKEN_EXPIRY.key(id);
            assert!(TokenEntry::decode(&key).is_err(), "{id:?}");
        }
    }

    #[test]
    fn an_entry_dates_its_own_token_and_any_from_before_the_index() {
        let record = |created_at_ms| ClientTokenRecord {
            request_fingerprint: "f".to_owned(),
            task_ids: Vec::new(),
            failures: Vec::new(),
            created_at_ms,
        };
        let entry = entry("t", 1_000);
        assert!(entry.dates(&record(Some(1_000))));
        assert!(entry.dates(&record(None)));
        assert!(!entry.dates(&record(Some(2_000))));
    }
}
