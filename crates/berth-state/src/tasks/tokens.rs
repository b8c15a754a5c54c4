//! RunTask's client tokens, and the index that lets them expire: entries
//! `<first used at, ms, 19 digits>/<cluster>/<token>`, oldest first across
//! every cluster.
//!
//! boto3 and the AWS CLI send a fresh token with every RunTask (the model
//! marks it an idempotency token), so a token record per call was kept for
//! good and the store grew by one record a call. ECS keeps a RunTask token
//! for 24 hours; a pass now deletes the tokens older than that, reading only
//! the entries it removes.
//!
//! A store from before the index gets entries once at start, dated then:
//! its tokens carry no time of first use, so they last 24 hours from the
//! upgrade. Tokens an older Berth writes after that (a downgrade, then an
//! upgrade again) get no entry and never expire; deleting the mark
//! `ecs/meta/client-tokens-indexed` enters them at the next start.

use berth_store::{Compare, KeyValue, Kv, Op};
use serde::{Deserialize, Serialize};

use super::dated::{self, entry_time, parse_time_digits, time_digits};
use super::task_key;
use crate::{Page, StateError, Table};

/// RunTask client tokens by `<cluster>/<token>`.
pub const CLIENT_TOKENS: Table<ClientTokenRecord> = Table::new("ecs/client-tokens/");

/// Client tokens by `<first used at>/<cluster>/<token>`.
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
    pub first_used_at_ms: Option<i64>,
}

impl ClientTokenRecord {
    /// What stores this record as the first use of `token` of `cluster`,
    /// at `now_ms`, with its index entry: the compare that holds while the
    /// token is unused, and the ops.
    pub fn first_use(mut self, cluster: &str, token: &str, now_ms: i64) -> (Compare, [Op; 2]) {
        self.first_used_at_ms = Some(now_ms);
        let key = task_key(cluster, token);
        let entry = TokenEntry {
            cluster: cluster.to_owned(),
            token: token.to_owned(),
            first_used_at_ms: now_ms,
        };
        (
            CLIENT_TOKENS.absent(&key),
            [CLIENT_TOKENS.put_op(&key, &self), entry.put_op()],
        )
    }
}

/// One entry of the expiry index: a token and when it was first used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenEntry {
    pub cluster: String,
    pub token: String,
    pub first_used_at_ms: i64,
}

impl TokenEntry {
    /// The entry's id within [`CLIENT_TOKEN_EXPIRY`].
    pub fn id(&self) -> String {
        format!(
            "{}/{}/{}",
            time_digits(self.first_used_at_ms),
            self.cluster,
            self.token
        )
    }

    /// Stores the entry.
    pub fn put_op(&self) -> Op {
        CLIENT_TOKEN_EXPIRY.put_op(&self.id(), &())
    }

    /// Removes the entry.
    pub fn delete_op(&self) -> Op {
        CLIENT_TOKEN_EXPIRY.delete_op(&self.id())
    }

    /// Whether this entry stands for the stored token `record`: one used
    /// again after it expired has an entry of its own, and one from before
    /// the index has only the entry the backfill made.
    pub fn is_entry_of(&self, record: &ClientTokenRecord) -> bool {
        record
            .first_used_at_ms
            .is_none_or(|at| entry_time(at) == entry_time(self.first_used_at_ms))
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
        Ok(TokenEntry {
            cluster: cluster.to_owned(),
            token: token.to_owned(),
            first_used_at_ms: parse_time_digits(time).ok_or_else(corrupt)?,
        })
    }
}

/// Up to `limit` entries (1 or more) of tokens first used before
/// `cutoff_ms`, oldest first, after the entry `after` (an id of a previous
/// page).
pub(super) async fn first_used_before(
    kv: &dyn Kv,
    cutoff_ms: i64,
    after: Option<&str>,
    limit: usize,
) -> Result<Page<TokenEntry>, StateError> {
    let after = after.map(|id| CLIENT_TOKEN_EXPIRY.key(id));
    let range = dated::range_before(CLIENT_TOKEN_EXPIRY.key(""), cutoff_ms, after.as_deref());
    dated::page(kv, &range, limit, TokenEntry::decode, TokenEntry::id).await
}

/// The entry a token stored before the index calls for: dated by its first
/// use if it has one, else `now_ms`. A record too damaged to say is dated
/// `now_ms` too, so it cannot stop the server from starting; the pass that
/// expires it logs it and leaves it.
pub(super) fn backfill_ops(record: &KeyValue, now_ms: i64) -> Result<Vec<Op>, StateError> {
    /// The one member the entry needs; the rest is skipped, not decoded.
    #[derive(Deserialize)]
    struct FirstUse {
        first_used_at_ms: Option<i64>,
    }
    let id = String::from_utf8_lossy(&record.key[CLIENT_TOKENS.key("").len()..]).into_owned();
    let Some((cluster, token)) = id.split_once('/') else {
        return Ok(Vec::new());
    };
    let first_use = serde_json::from_slice::<FirstUse>(&record.value)
        .ok()
        .and_then(|first_use| first_use.first_used_at_ms);
    let entry = TokenEntry {
        cluster: cluster.to_owned(),
        token: token.to_owned(),
        first_used_at_ms: first_use.unwrap_or(now_ms),
    };
    Ok(vec![entry.put_op()])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(cluster: &str, token: &str, at: i64) -> TokenEntry {
        TokenEntry {
            cluster: cluster.to_owned(),
            token: token.to_owned(),
            first_used_at_ms: at,
        }
    }

    #[test]
    fn entries_sort_by_time_across_clusters_and_read_back() {
        let early = entry("zzz", "t", 999);
        let late = entry("a", "t", 1_700_000_000_000);
        assert!(early.id() < late.id());
        for entry in [
            early,
            late,
            entry("c", "a/b//c", 5),
            entry("c", "~!", i64::MAX),
        ] {
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
            "0000000000000000001/c",
            "000000000000000000x/c/t",
            "+000000000000000001/c/t",
        ] {
            let key = CLIENT_TOKEN_EXPIRY.key(id);
            assert!(TokenEntry::decode(&key).is_err(), "{id:?}");
        }
    }

    #[test]
    fn an_entry_is_of_its_own_token_and_of_any_from_before_the_index() {
        let record = |first_used_at_ms| ClientTokenRecord {
            request_fingerprint: "f".to_owned(),
            task_ids: Vec::new(),
            failures: Vec::new(),
            first_used_at_ms,
        };
        let entry = entry("c", "t", 1_000);
        assert!(entry.is_entry_of(&record(Some(1_000))));
        assert!(entry.is_entry_of(&record(None)));
        assert!(!entry.is_entry_of(&record(Some(2_000))));
    }

    #[test]
    fn the_backfill_dates_a_token_by_its_first_use_or_else_now() {
        let stored = |value: &[u8]| KeyValue {
            key: CLIENT_TOKENS.key("c/t"),
            value: value.to_vec().into(),
            create_revision: 1,
            mod_revision: 1,
            version: 1,
        };
        let dated = |value: &[u8]| backfill_ops(&stored(value), 7_000).expect("ops");
        let expected = |at| vec![entry("c", "t", at).put_op()];
        assert_eq!(dated(br#"{"first_used_at_ms":5000}"#), expected(5_000));
        assert_eq!(
            dated(br#"{"request_fingerprint":"f","task_ids":[],"failures":[]}"#),
            expected(7_000)
        );
        assert_eq!(dated(b"not json"), expected(7_000));
    }
}
