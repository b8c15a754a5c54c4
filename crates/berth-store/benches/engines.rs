//! Measures what Berth's embedded store needs from its storage engine, on
//! redb and on SQLite (WAL, synchronous=FULL), to choose between them: the
//! latency of a durable one-key commit, the throughput of durable commits
//! carrying many small writes (what group commit turns concurrent txns into),
//! point gets and 100-key ranges out of 100,000 keys. Then it measures the
//! chosen backend, `Embedded`, end to end with many concurrent clients.
//! Run: `cargo bench -p berth-store --bench engines`.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use berth_store::{Embedded, Kv, Op, Txn};
use rand::Rng;
use redb::ReadableDatabase;

const N_KEYS: usize = 100_000;
const VALUE_LEN: usize = 200;

/// One logical write is a key row plus a history row, as the backend stored
/// them when the engine was chosen (history now lives in memory).
trait Engine {
    fn name(&self) -> &'static str;
    fn commit(&mut self, revision: u64, writes: &[(Vec<u8>, Vec<u8>)]);
    fn get(&self, key: &[u8]) -> Option<Vec<u8>>;
    fn range(&self, start: &[u8], limit: usize) -> usize;
}

const KV: redb::TableDefinition<&[u8], &[u8]> = redb::TableDefinition::new("kv");
const HISTORY: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("history");
const META: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("meta");

struct Redb(redb::Database);

impl Engine for Redb {
    fn name(&self) -> &'static str {
        "redb"
    }

    fn commit(&mut self, revision: u64, writes: &[(Vec<u8>, Vec<u8>)]) {
        let txn = self.0.begin_write().expect("begin");
        {
            let mut kv = txn.open_table(KV).expect("kv");
            let mut history = txn.open_table(HISTORY).expect("history");
            let mut meta = txn.open_table(META).expect("meta");
            for (i, (key, value)) in writes.iter().enumerate() {
                kv.insert(key.as_slice(), value.as_slice()).expect("insert");
                history
                    .insert(revision * 1_000_000 + i as u64, value.as_slice())
                    .expect("insert");
            }
            meta.insert("revision", revision).expect("insert");
        }
        txn.commit().expect("commit");
    }

    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        let txn = self.0.begin_read().expect("read");
        let table = txn.open_table(KV).expect("kv");
        table.get(key).expect("get").map(|v| v.value().to_vec())
    }

    fn range(&self, start: &[u8], limit: usize) -> usize {
        let txn = self.0.begin_read().expect("read");
        let table = txn.open_table(KV).expect("kv");
        let mut n = 0;
        for item in table.range(start..).expect("range").take(limit) {
            let (k, v) = item.expect("item");
            n += k.value().len() + v.value().len();
        }
        n
    }
}

struct Sqlite {
    writer: rusqlite::Connection,
    reader: rusqlite::Connection,
}

impl Sqlite {
    fn open(path: &Path) -> Sqlite {
        let writer = rusqlite::Connection::open(path).expect("open");
        writer
            .execute_batch(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
                 CREATE TABLE kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
                 CREATE TABLE history (id INTEGER PRIMARY KEY, value BLOB NOT NULL);
                 CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);",
            )
            .expect("schema");
        let reader = rusqlite::Connection::open(path).expect("open");
        Sqlite { writer, reader }
    }
}

impl Engine for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn commit(&mut self, revision: u64, writes: &[(Vec<u8>, Vec<u8>)]) {
        let txn = self.writer.transaction().expect("begin");
        {
            let mut kv = txn
                .prepare_cached("INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)")
                .expect("prepare");
            let mut history = txn
                .prepare_cached("INSERT INTO history (id, value) VALUES (?1, ?2)")
                .expect("prepare");
            for (i, (key, value)) in writes.iter().enumerate() {
                kv.execute((key, value)).expect("insert");
                history
                    .execute(((revision * 1_000_000 + i as u64) as i64, value))
                    .expect("insert");
            }
            txn.execute(
                "INSERT OR REPLACE INTO meta (name, value) VALUES ('revision', ?1)",
                [revision as i64],
            )
            .expect("meta");
        }
        txn.commit().expect("commit");
    }

    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        let mut stmt = self
            .reader
            .prepare_cached("SELECT value FROM kv WHERE key = ?1")
            .expect("prepare");
        let mut rows = stmt.query([key]).expect("query");
        rows.next()
            .expect("row")
            .map(|row| row.get(0).expect("value"))
    }

    fn range(&self, start: &[u8], limit: usize) -> usize {
        let mut stmt = self
            .reader
            .prepare_cached("SELECT key, value FROM kv WHERE key >= ?1 ORDER BY key LIMIT ?2")
            .expect("prepare");
        let mut rows = stmt.query((start, limit as i64)).expect("query");
        let mut n = 0;
        while let Some(row) = rows.next().expect("row") {
            let key: Vec<u8> = row.get(0).expect("key");
            let value: Vec<u8> = row.get(1).expect("value");
            n += key.len() + value.len();
        }
        n
    }
}

fn key(i: usize) -> Vec<u8> {
    format!("/tasks/cluster-1/{i:08}").into_bytes()
}

fn writes(from: usize, n: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
    (from..from + n)
        .map(|i| (key(i), vec![b'v'; VALUE_LEN]))
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn bench_engine(engine: &mut dyn Engine) {
    let mut revision = 1;
    let mut latencies = Vec::new();
    for i in 0..300 {
        let batch = writes(N_KEYS + i, 1);
        let start = Instant::now();
        engine.commit(revision, &batch);
        latencies.push(start.elapsed());
        revision += 1;
    }
    latencies.sort();
    println!(
        "{:7} durable 1-write commit: p50 {:?}, p99 {:?}",
        engine.name(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
    for batch_len in [16, 256] {
        let n_commits = 100;
        let start = Instant::now();
        for c in 0..n_commits {
            engine.commit(revision, &writes(c * batch_len, batch_len));
            revision += 1;
        }
        let rate = (n_commits * batch_len) as f64 / start.elapsed().as_secs_f64();
        println!(
            "{:7} durable commits of {batch_len} writes: {rate:.0} writes/s",
            engine.name()
        );
    }
    for chunk in (0..N_KEYS).step_by(10_000) {
        engine.commit(revision, &writes(chunk, 10_000));
        revision += 1;
    }
    let mut rng = rand::rng();
    let n_gets = 100_000;
    let start = Instant::now();
    for _ in 0..n_gets {
        let found = engine.get(&key(rng.random_range(0..N_KEYS)));
        assert!(found.is_some());
    }
    let per_get = start.elapsed() / n_gets;
    println!("{:7} get (100k keys): {per_get:?} per get", engine.name());
    let n_ranges = 10_000;
    let start = Instant::now();
    for _ in 0..n_ranges {
        let bytes = engine.range(&key(rng.random_range(0..N_KEYS - 100)), 100);
        assert!(bytes > 0);
    }
    let per_range = start.elapsed() / n_ranges;
    println!(
        "{:7} range 100 of 100k keys: {per_range:?} per range",
        engine.name()
    );
}

/// Commits `ops` in txns of 100, within the store's txn limits.
async fn commit_in_chunks(kv: &Embedded, ops: &[Op]) {
    for chunk in ops.chunks(100) {
        let txn = Txn {
            compares: vec![],
            ops: chunk.to_vec(),
        };
        kv.txn(txn).await.expect("commit");
    }
}

fn bench_embedded(runtime: &tokio::runtime::Runtime, dir: &Path) {
    let kv = Arc::new(Embedded::open(dir).expect("open"));
    for clients in [1usize, 16, 64, 256, 1024] {
        let per_client = (8_000 / clients).max(20);
        let start = Instant::now();
        runtime.block_on(async {
            let tasks: Vec<_> = (0..clients)
                .map(|c| {
                    let kv = kv.clone();
                    tokio::spawn(async move {
                        for i in 0..per_client {
                            let txn = Txn {
                                compares: vec![],
                                ops: vec![Op::Put {
                                    key: format!("/bench/{clients}/{c}/{i}").into_bytes(),
                                    value: vec![b'v'; VALUE_LEN],
                                }],
                            };
                            kv.txn(txn).await.expect("txn");
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.expect("client");
            }
        });
        let rate = (clients * per_client) as f64 / start.elapsed().as_secs_f64();
        println!("embedded {clients:5} concurrent clients: {rate:.0} acknowledged txns/s");
    }
    runtime.block_on(async {
        let ops = (0..N_KEYS)
            .map(|i| Op::Put {
                key: key(i),
                value: vec![b'v'; VALUE_LEN],
            })
            .collect::<Vec<_>>();
        commit_in_chunks(kv.as_ref(), &ops).await;
        let mut rng = rand::rng();
        let n_gets = 20_000;
        let start = Instant::now();
        for _ in 0..n_gets {
            let got = kv
                .get(&key(rng.random_range(0..N_KEYS)))
                .await
                .expect("get");
            assert!(got.is_some());
        }
        println!("embedded get: {:?} per get", start.elapsed() / n_gets);
        let n_ranges = 5_000;
        let start = Instant::now();
        for _ in 0..n_ranges {
            let from = rng.random_range(0..N_KEYS - 100);
            let range = berth_store::KeyRange {
                start: key(from),
                end: key(from + 100),
            };
            let res = kv.range(&range, 100).await.expect("range");
            assert_eq!(res.kvs.len(), 100);
        }
        println!(
            "embedded range 100 of 100k: {:?} per range",
            start.elapsed() / n_ranges
        );
    });
    // Reopened, the store has checkpointed everything: the deletions below
    // are all its layers hold, as in a quiet store where many tasks just
    // stopped. Until a checkpoint writes them into redb, a range read steps
    // over each deletion and the entry it hides.
    drop(kv);
    let kv = Embedded::open(dir).expect("reopen");
    runtime.block_on(async {
        let deleted = 5_000;
        let deletes = (0..deleted)
            .map(|i| Op::Delete { key: key(i) })
            .collect::<Vec<_>>();
        commit_in_chunks(&kv, &deletes).await;
        let range = berth_store::KeyRange {
            start: key(0),
            end: key(N_KEYS),
        };
        // The first reads pay for the deletions; once they have paid about
        // what a checkpoint costs, they start one, and later reads do not.
        for (what, n_ranges) in [("first 10 reads", 10), ("next 1,000", 1_000)] {
            let start = Instant::now();
            for _ in 0..n_ranges {
                let res = kv.range(&range, 100).await.expect("range");
                assert_eq!(res.kvs[0].key, key(deleted));
            }
            println!(
                "embedded range 100 after {deleted} deletions before it, {what}: {:?} per range",
                start.elapsed() / n_ranges
            );
        }
    });
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    if std::env::args().any(|a| a == "--engines" || a == "--bench") {
        let mut redb = Redb(redb::Database::create(dir.path().join("redb")).expect("redb"));
        bench_engine(&mut redb);
        drop(redb);
        let mut sqlite = Sqlite::open(&dir.path().join("sqlite"));
        bench_engine(&mut sqlite);
    }
    if !std::env::args().any(|a| a == "--engines") {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        bench_embedded(&runtime, &dir.path().join("embedded"));
    }
}
