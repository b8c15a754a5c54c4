//! Kills a real process mid-stream: the test re-executes its own binary as a
//! child that commits txns from many tasks and prints each acknowledged
//! revision, sends it SIGKILL, reopens the data dir and checks that every
//! acknowledged write is there, whole. With the default checkpoint policy the
//! kill leaves commits in the write-ahead log (checked), so the reopen
//! replays it; with a tiny log it lands among checkpoints, log restarts and
//! spare logs (checked).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use berth_store::{
    Compare, Condition, Embedded, EmbeddedOptions, KeyRange, Kv, Op, StoreError, Txn,
};
use futures::StreamExt;

/// Set in the child's environment to the data dir it writes to.
const CHILD_DIR_ENV: &str = "BERTH_STORE_CRASH_CHILD_DIR";
/// Set in the child's environment to checkpoint after this many log bytes.
const CHILD_CHECKPOINT_ENV: &str = "BERTH_STORE_CRASH_CHECKPOINT_BYTES";
const WRITERS: usize = 32;
/// Acknowledgements the parent waits for before it kills the child.
const ACKS_BEFORE_KILL: usize = 1500;
const DEADLINE: Duration = Duration::from_secs(120);

/// The child's body: does nothing unless the parent test started this binary
/// with [`CHILD_DIR_ENV`] set, so it passes trivially in a normal run.
#[test]
fn crash_child_entry_point() {
    let Ok(dir) = std::env::var(CHILD_DIR_ENV) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run_child(Path::new(&dir)));
}

fn emit(line: String) {
    // One write per line keeps lines whole in the pipe even when killed.
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(line.as_bytes());
    let _ = out.flush();
}

async fn run_child(dir: &Path) {
    let mut options = EmbeddedOptions::default();
    if let Some(bytes) = std::env::var(CHILD_CHECKPOINT_ENV)
        .ok()
        .and_then(|bytes| bytes.parse().ok())
    {
        options.checkpoint_log_bytes = bytes;
    }
    let store = Arc::new(Embedded::open_with(dir, options).expect("child opens the store"));
    let round = store.revision().await.expect("revision");
    emit("ready\n".into());
    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0u64.. {
                let key = format!("r{round}/w{writer}/{i}");
                let txn = Txn {
                    compares: vec![Compare {
                        key: key.clone().into_bytes(),
                        condition: Condition::Absent,
                    }],
                    ops: vec![
                        Op::Put {
                            key: key.clone().into_bytes(),
                            value: format!("value-{i}").into_bytes(),
                        },
                        Op::Put {
                            key: format!("last/w{writer}").into_bytes(),
                            value: key.clone().into_bytes(),
                        },
                    ],
                };
                let res = store.txn(txn).await.expect("child txn");
                assert!(res.succeeded, "fresh key {key} exists");
                emit(format!("ack {} {key} value-{i}\n", res.revision));
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
}

/// One acknowledged write the child reported.
#[derive(Debug)]
struct Ack {
    revision: u64,
    key: String,
    value: String,
}

fn parse_ack(line: &str) -> Option<Ack> {
    let mut parts = line.strip_suffix('\n')?.split(' ');
    if parts.next()? != "ack" {
        return None;
    }
    Some(Ack {
        revision: parts.next()?.parse().ok()?,
        key: parts.next()?.to_string(),
        value: parts.next()?.to_string(),
    })
}

/// Runs one child against `dir` (checkpointing after `checkpoint_bytes` of
/// log, if given), kills it after enough acks and returns every ack it
/// printed.
fn crash_one_child(dir: &Path, checkpoint_bytes: Option<u64>) -> Vec<Ack> {
    let exe = std::env::current_exe().expect("test binary path");
    let mut command = Command::new(exe);
    command
        .args([
            "--exact",
            "crash_child_entry_point",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR_ENV, dir);
    if let Some(bytes) = checkpoint_bytes {
        command.env(CHILD_CHECKPOINT_ENV, bytes.to_string());
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("child stdout");
    let (lines_tx, lines_rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if lines_tx.send(line).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let deadline = Instant::now() + DEADLINE;
    let mut acks = Vec::new();
    let mut locked_checked = false;
    while acks.len() < ACKS_BEFORE_KILL {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = match lines_rx.recv_timeout(left) {
            Ok(line) => line,
            Err(err) => {
                let _ = child.kill();
                panic!("child stopped early ({err}) after {} acks", acks.len());
            }
        };
        // libtest may print its "test ... " prefix on the same line.
        if line.ends_with("ready\n") && !locked_checked {
            // A second process must not open a dir the child holds.
            let err = Embedded::open(dir).err().expect("second open must fail");
            assert!(err.to_string().contains("already open"), "{err}");
            locked_checked = true;
        }
        acks.extend(parse_ack(&line));
    }
    child.kill().expect("SIGKILL the child");
    child.wait().expect("reap the child");
    // Lines the child wrote before it died are acknowledged writes too.
    reader.join().expect("reader thread");
    acks.extend(lines_rx.try_iter().filter_map(|line| parse_ack(&line)));
    assert!(locked_checked, "child never reported ready");
    acks
}

async fn check_store(dir: &Path, acks: &[Ack]) {
    let store = Embedded::open(dir).expect("reopen after kill");
    let revision = store.revision().await.expect("revision");
    let max_ack = acks.iter().map(|a| a.revision).max().unwrap_or(0);
    assert!(revision >= max_ack, "revision {revision} < acked {max_ack}");
    for ack in acks {
        let kv = store
            .get(ack.key.as_bytes())
            .await
            .expect("get")
            .unwrap_or_else(|| panic!("acknowledged {ack:?} lost"));
        assert_eq!(kv.value, ack.value.as_bytes(), "{ack:?}");
        assert_eq!(kv.mod_revision, ack.revision, "{ack:?}");
    }
    // Each txn put its own key and pointed `last/w<writer>` at it: both
    // landed together or not at all, and nothing after them half-landed.
    let stored = store.range(&KeyRange::prefix(""), 0).await.expect("range");
    assert_eq!(stored.revision, revision);
    let stored: BTreeMap<Vec<u8>, (Vec<u8>, u64)> = stored
        .kvs
        .into_iter()
        .map(|kv| (kv.key, (kv.value.to_vec(), kv.mod_revision)))
        .collect();
    let mut latest_by_writer: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut revisions = std::collections::BTreeSet::new();
    for (key, (_, mod_revision)) in &stored {
        let key = String::from_utf8_lossy(key);
        let mut parts = key.split('/');
        if let (Some(round), Some(writer), Some(i)) = (parts.next(), parts.next(), parts.next())
            && round.starts_with('r')
        {
            assert!(
                revisions.insert(*mod_revision),
                "two txns at {mod_revision}"
            );
            let i: u64 = i.parse().expect("a sequence number");
            let latest = latest_by_writer.entry(writer.to_owned()).or_default();
            if *mod_revision > latest.1 {
                *latest = (i, *mod_revision);
            }
        }
    }
    for (writer, (_, latest_revision)) in &latest_by_writer {
        let (pointed, last_revision) = stored
            .get(format!("last/{writer}").as_bytes())
            .unwrap_or_else(|| panic!("last/{writer} lost"));
        let (_, pointed_revision) = stored
            .get(pointed)
            .unwrap_or_else(|| panic!("last/{writer} points at a lost key"));
        assert_eq!(
            pointed_revision, last_revision,
            "a txn of {writer} half-landed"
        );
        assert_eq!(last_revision, latest_revision, "last/{writer} is behind");
    }
    // Watch history is kept in memory: a reopened store's watches start
    // after the revision it opened at, and see what is written next.
    assert!(matches!(
        store.watch(KeyRange::prefix(""), 1).await.err(),
        Some(StoreError::Compacted { oldest, .. }) if oldest == revision + 1
    ));
    let mut stream = store
        .watch(KeyRange::prefix(""), revision + 1)
        .await
        .expect("watch from the next revision");
    let next = store
        .txn(Txn {
            compares: vec![],
            ops: vec![Op::Put {
                key: b"after-crash".to_vec(),
                value: b"ok".to_vec(),
            }],
        })
        .await
        .expect("write after reopen");
    assert_eq!(next.revision, revision + 1);
    let batch = tokio::time::timeout(DEADLINE, stream.next())
        .await
        .expect("the write is seen in time")
        .expect("stream open")
        .expect("events");
    assert_eq!(batch[0].kv.key, b"after-crash");
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    kill_children_and_check(None).await;
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill_among_checkpoints() {
    // A group commit here logs a few KiB: this checkpoints every few.
    kill_children_and_check(Some(16 * 1024)).await;
}

async fn kill_children_and_check(checkpoint_bytes: Option<u64>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut all_acks = Vec::new();
    let mut spares_seen = false;
    for _round in 0..2 {
        let dir_path = dir.path().to_path_buf();
        let acks =
            tokio::task::spawn_blocking(move || crash_one_child(&dir_path, checkpoint_bytes))
                .await
                .expect("child round");
        assert!(acks.len() >= ACKS_BEFORE_KILL);
        if checkpoint_bytes.is_none() {
            assert!(
                left_a_log_to_replay(dir.path()),
                "the kill came after a checkpoint: nothing to replay"
            );
        }
        spares_seen |= spares_in_use(dir.path());
        all_acks.extend(acks);
        check_store(dir.path(), &all_acks).await;
    }
    if checkpoint_bytes.is_some() {
        assert!(
            spares_seen,
            "no kill found a spare written, nor the log in one"
        );
    }
}

/// Whether the kill left commits for the reopen to replay: a record at the
/// start of the log (a spare's zeros are none), or a log moved aside for a
/// checkpoint. A kill mid-rotation can leave no log at all.
fn left_a_log_to_replay(dir: &Path) -> bool {
    let log = std::fs::read(dir.join(berth_store::embedded::WAL_FILE)).unwrap_or_default();
    log.get(..4).is_some_and(|length| length != [0; 4])
        || dir
            .join(berth_store::embedded::CHECKPOINTING_WAL_FILE)
            .exists()
}

/// Whether a spare waits in `dir`, or the log is in one: zeros after its
/// records, which a log that grew by appends does not have (beyond a
/// record's own last zero bytes).
fn spares_in_use(dir: &Path) -> bool {
    let log = std::fs::read(dir.join(berth_store::embedded::WAL_FILE)).unwrap_or_default();
    let trailing_zeros = log.iter().rev().take_while(|&&byte| byte == 0).count();
    dir.join(berth_store::embedded::SPARE_WAL_FILE).exists() || trailing_zeros >= 64
}
