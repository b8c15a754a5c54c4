//! The embedded store's write-ahead log: what makes a group commit durable.
//!
//! The writer appends the events of each group commit to this log as one
//! checksummed record and syncs it before the commit becomes visible in
//! memory. redb receives the commits only at a checkpoint (every few seconds
//! or megabytes of log): the log is moved aside, new commits go to a new
//! one, and once redb holds the moved log's commits durably it is removed.
//! A key written by many commits between two checkpoints is written to redb
//! once, and a commit costs one sequential write and sync instead of a
//! write per dirty page. This is the split etcd makes between its WAL and
//! bbolt.
//!
//! Opening the store replays the records newer than redb's last durable
//! revision. Only the record being written when the process died can be
//! incomplete (each is synced before the next is written); it was never
//! acknowledged, so a record that does not check out ends the log, unless
//! a whole record of a later revision follows it: then the log is damaged,
//! and opening refuses rather than lose what follows.
//!
//! ```text
//! record   := body_len:u32 crc32(body):u32 body
//! body     := first_revision:u64 revisions:u32 revision*
//! revision := events:u32 event*
//! event    := 0:u8 key_len:u32 key create_revision:u64 version:u64 value_len:u32 value
//!           | 1:u8 key_len:u32 key
//! ```
//! Integers are little-endian; a put's mod revision is its record revision.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;

use bytes::Bytes;

use super::codec::{CodecError, Reader};
use crate::kv::{Event, EventKind, KeyValue, Revision, StoreError};

/// The log file inside the data dir.
pub const WAL_FILE: &str = "berth.wal";
/// The log of the commits a checkpoint is writing into redb, while newer
/// ones go to a new [`WAL_FILE`]; removed once redb holds them durably.
pub const CHECKPOINTING_WAL_FILE: &str = "berth.wal.checkpointing";

const RECORD_HEADER: usize = 8;
/// Larger than any group commit logs (the writer bounds its batches by
/// [`logged_bytes`], and one txn by the store's limits), so a longer
/// length can only be damage.
pub(super) const MAX_RECORD_BODY: usize = 256 * 1024 * 1024;
/// The smallest body a writer writes: a first revision and a count.
const MIN_BODY: usize = 12;
const PUT: u8 = 0;
const DELETE: u8 = 1;

/// The open log, positioned after its last whole record.
pub(super) struct Wal {
    file: File,
    len: u64,
    /// The last record's bytes, kept so that the next one is encoded
    /// without growing a fresh buffer (each growth copies what is already
    /// encoded, and a fresh buffer's pages fault in).
    record: Vec<u8>,
}

/// The most capacity [`Wal::record`] keeps between appends; an unusually
/// large record's buffer is given back rather than held for ever.
const KEPT_RECORD_CAPACITY: usize = 8 * 1024 * 1024;

/// A log append that failed.
#[derive(Debug)]
pub(super) enum AppendError {
    /// Nothing of the record is left in the log: the commit can be refused
    /// and the store goes on.
    Refused(StoreError),
    /// Part of the record may be in the log and could not be cut off: no
    /// later record may follow it.
    Broken(StoreError),
}

fn io_error(context: &str, path: Option<&Path>) -> impl FnOnce(std::io::Error) -> StoreError {
    let context = match path {
        Some(path) => format!("{context} {}", path.display()),
        None => context.to_owned(),
    };
    move |err| StoreError::Backend {
        context,
        source: Box::new(err),
    }
}

/// Makes the entries of directory `dir` durable.
pub(super) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|dir| dir.sync_all())
        .map_err(io_error("syncing the directory", Some(dir)))
}

/// The refusal to open a log that is damaged other than at its end.
fn damaged(path: &Path, offset: u64, source: CodecError) -> StoreError {
    StoreError::Backend {
        context: format!(
            "the write-ahead log {} is damaged at byte {offset}, before its end; \
             opening would lose what follows",
            path.display()
        ),
        source: Box::new(source),
    }
}

impl Wal {
    /// Opens (creating if needed) the log file `name` in `dir` and hands
    /// `replay` every revision newer than `durable` that it holds, in order.
    /// Cuts off a torn last record. Fails when a bad record has whole later
    /// ones after it, a whole record does not decode, or the log skips a
    /// revision: what it should hold is gone, and opening would silently
    /// lose it.
    pub(super) fn open(
        dir: &Path,
        name: &str,
        durable: Revision,
        mut replay: impl FnMut(Revision, Vec<Event>) -> Result<(), StoreError>,
    ) -> Result<Wal, StoreError> {
        let path = dir.join(name);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_error("opening the write-ahead log", Some(&path)))?;
        // The log's directory entry must outlive a crash like its records,
        // also when a crash came between creating it and this sync.
        sync_dir(dir)?;
        let file_len = file
            .metadata()
            .map_err(io_error("reading the write-ahead log", Some(&path)))?
            .len();
        let mut reader = BufReader::new(&file);
        let mut body = Vec::new();
        let mut next = durable + 1;
        let mut offset = 0;
        loop {
            let read = read_record(&mut reader, file_len - offset, &mut body)
                .map_err(io_error("reading the write-ahead log", Some(&path)))?;
            match read {
                Record::End => break,
                Record::Torn => {
                    // A crash mid-append leaves the record being written
                    // last, in any state: zeros, part of it, old bytes.
                    // Only a whole record of a later revision after it
                    // proves damage to what was acknowledged.
                    // A tail this long was never written by a writer of
                    // this store: it is not read into memory.
                    let tail_len = usize::try_from(file_len - offset)
                        .ok()
                        .filter(|len| *len <= 2 * MAX_RECORD_BODY)
                        .ok_or_else(|| {
                            damaged(&path, offset, CodecError::Corrupt("an overlong tail"))
                        })?;
                    let mut tail = vec![0; tail_len];
                    file.read_exact_at(&mut tail, offset)
                        .map_err(io_error("reading the write-ahead log", Some(&path)))?;
                    if later_record(&tail, next).is_some() {
                        return Err(damaged(
                            &path,
                            offset,
                            CodecError::Corrupt(
                                "a record that does not check out, with whole ones after it",
                            ),
                        ));
                    }
                    break;
                }
                Record::Whole { record_len } => {
                    // A record whose checksum holds was written whole: not
                    // decoding is a fault of its writer, never a torn write.
                    decode_body(&body, |revision, events| {
                        if revision < next {
                            return Ok(());
                        }
                        if revision > next {
                            return Err(StoreError::Backend {
                                context: format!(
                                    "the write-ahead log {} skips from revision {next} to {revision}: \
                                     the store's file and its log do not belong together",
                                    path.display()
                                ),
                                source: Box::new(CodecError::Corrupt("revision gap")),
                            });
                        }
                        replay(revision, events)?;
                        next += 1;
                        Ok(())
                    })
                    .map_err(|err| match err {
                        Decoded::Codec(err) => damaged(&path, offset, err),
                        Decoded::Replay(err) => err,
                    })?;
                    offset += record_len;
                }
            }
        }
        if offset < file_len {
            tracing::warn!(
                path = %path.display(),
                bytes = file_len - offset,
                "cutting off the incomplete last record of the write-ahead log"
            );
            file.set_len(offset)
                .and_then(|()| file.sync_data())
                .map_err(io_error(
                    "cutting off the write-ahead log's torn tail",
                    Some(&path),
                ))?;
        }
        Ok(Wal {
            file,
            len: offset,
            record: Vec::new(),
        })
    }

    /// Bytes of records since the log last started over.
    pub(super) fn len(&self) -> u64 {
        self.len
    }

    /// Appends the events of `revisions` (consecutive, oldest first) as one
    /// record and syncs it.
    pub(super) fn append(
        &mut self,
        revisions: &[(Revision, Vec<Event>)],
    ) -> Result<(), AppendError> {
        let Some((first, _)) = revisions.first() else {
            return Ok(());
        };
        let mut record = std::mem::take(&mut self.record);
        let appended = self.append_record(&mut record, *first, revisions);
        if record.capacity() <= KEPT_RECORD_CAPACITY {
            self.record = record;
        }
        appended
    }

    fn append_record(
        &mut self,
        record: &mut Vec<u8>,
        first: Revision,
        revisions: &[(Revision, Vec<Event>)],
    ) -> Result<(), AppendError> {
        encode_record(
            record,
            first,
            revisions.iter().map(|(_, events)| events.as_slice()),
        )
        .map_err(AppendError::Refused)?;
        let written = self
            .file
            .write_all_at(record, self.len)
            .and_then(|()| self.file.sync_data());
        match written {
            Ok(()) => {
                self.len += record.len() as u64;
                Ok(())
            }
            Err(err) => {
                let err = io_error("appending to the write-ahead log", None)(err);
                // Whatever part of the record reached the file must go, or
                // the next record would follow it and never be read.
                match self
                    .file
                    .set_len(self.len)
                    .and_then(|()| self.file.sync_data())
                {
                    Ok(()) => Err(AppendError::Refused(err)),
                    Err(_) => Err(AppendError::Broken(err)),
                }
            }
        }
    }

    /// Moves this log's records aside to [`CHECKPOINTING_WAL_FILE`], for a
    /// checkpoint to write into redb, and starts a new, empty log in `dir`
    /// for the commits after them. Both renaming and creating are durable
    /// before it returns: a crash leaves the records under one name or the
    /// other, and opening replays both files in order. A failure may leave
    /// this log's file renamed: no record may be appended after it.
    pub(super) fn rotate(&mut self, dir: &Path) -> Result<(), StoreError> {
        let path = dir.join(WAL_FILE);
        let aside = dir.join(CHECKPOINTING_WAL_FILE);
        std::fs::rename(&path, &aside).map_err(io_error(
            "moving the write-ahead log aside for a checkpoint",
            Some(&path),
        ))?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .map_err(io_error("starting a new write-ahead log", Some(&path)))?;
        sync_dir(dir)?;
        self.file = file;
        self.len = 0;
        Ok(())
    }

    /// Starts the log over, once redb holds every revision in it durably.
    /// Once the file is cut, the next record goes at its start whatever the
    /// sync says: that record's own sync makes the cut durable with it, and
    /// until then the old records left are ones the next open skips.
    pub(super) fn reset(&mut self) -> Result<(), StoreError> {
        self.file
            .set_len(0)
            .map_err(io_error("starting the write-ahead log over", None))?;
        self.len = 0;
        if let Err(err) = self.file.sync_data() {
            tracing::warn!(error = %err, "syncing the write-ahead log after starting it over");
        }
        Ok(())
    }
}

/// Encodes one record of `revisions` into `out`, in place of what it held.
fn encode_record<'e>(
    out: &mut Vec<u8>,
    first: Revision,
    revisions: impl ExactSizeIterator<Item = &'e [Event]>,
) -> Result<(), StoreError> {
    out.clear();
    out.resize(RECORD_HEADER, 0);
    out.extend_from_slice(&first.to_le_bytes());
    put_len(out, revisions.len())?;
    for events in revisions {
        put_len(out, events.len())?;
        for event in events {
            let kv = &event.kv;
            match event.kind {
                EventKind::Put => {
                    out.push(PUT);
                    put_bytes(out, &kv.key)?;
                    out.extend_from_slice(&kv.create_revision.to_le_bytes());
                    out.extend_from_slice(&kv.version.to_le_bytes());
                    put_bytes(out, &kv.value)?;
                }
                EventKind::Delete => {
                    out.push(DELETE);
                    put_bytes(out, &kv.key)?;
                }
            }
        }
    }
    let body_len = out.len() - RECORD_HEADER;
    if body_len > MAX_RECORD_BODY {
        return Err(too_large(body_len));
    }
    let crc = crc32fast::hash(&out[RECORD_HEADER..]);
    out[..4].copy_from_slice(&len_u32(body_len)?.to_le_bytes());
    out[4..8].copy_from_slice(&crc.to_le_bytes());
    Ok(())
}

/// Most bytes of log one record of `ops` operations with `bytes` of keys
/// and values takes, so the writer can bound its batches by what they log.
pub(super) fn logged_bytes(ops: usize, bytes: usize) -> usize {
    // Per event: kind, two lengths and two revisions; per txn, its count.
    bytes
        .saturating_add(ops.saturating_mul(25))
        .saturating_add(4)
}

fn too_large(len: usize) -> StoreError {
    StoreError::TooLarge {
        what: "write-ahead log record",
        size: len,
        limit: MAX_RECORD_BODY,
    }
}

fn len_u32(len: usize) -> Result<u32, StoreError> {
    u32::try_from(len).map_err(|_| too_large(len))
}

fn put_len(out: &mut Vec<u8>, len: usize) -> Result<(), StoreError> {
    out.extend_from_slice(&len_u32(len)?.to_le_bytes());
    Ok(())
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), StoreError> {
    put_len(out, bytes.len())?;
    out.extend_from_slice(bytes);
    Ok(())
}

/// What the log holds at an offset.
enum Record {
    /// Nothing: the log ends here.
    End,
    /// A record whose checksum holds, now in the body buffer.
    Whole { record_len: u64 },
    /// A record cut short or not as written: a header that ends early, a
    /// length beyond the file or the bound, an empty body, a checksum that
    /// fails.
    Torn,
}

/// Reads the record at the reader's position into `body`, checking its
/// length against the `left` bytes of the file and its checksum.
fn read_record(reader: &mut impl Read, left: u64, body: &mut Vec<u8>) -> std::io::Result<Record> {
    if left == 0 {
        return Ok(Record::End);
    }
    if left < RECORD_HEADER as u64 {
        return Ok(Record::Torn);
    }
    let mut header = [0u8; RECORD_HEADER];
    reader.read_exact(&mut header)?;
    let Some((body_len, crc)) = header_fields(&header) else {
        return Ok(Record::Torn);
    };
    let record_len = RECORD_HEADER as u64 + u64::from(body_len);
    // An empty body is never written, and zeros would pass its checksum.
    if record_len > left || body_len as usize > MAX_RECORD_BODY || body_len == 0 {
        return Ok(Record::Torn);
    }
    body.resize(body_len as usize, 0);
    reader.read_exact(body)?;
    if crc32fast::hash(body) != crc {
        return Ok(Record::Torn);
    }
    Ok(Record::Whole { record_len })
}

/// Where in `tail` (the log from a record that does not check out) a whole
/// record starts whose first revision could follow `next`: one a writer
/// appended after the bad one was synced, which a cut would lose. A torn
/// append leaves none, since nothing is written after it; records older
/// than `next` (left by a restart of the log that a crash undid) do not
/// count.
fn later_record(tail: &[u8], next: Revision) -> Option<usize> {
    let newest = next.saturating_add(tail.len() as u64);
    (0..tail.len()).find(|&at| {
        let rest = &tail[at..];
        let Some((body_len, crc)) = header_fields(rest) else {
            return false;
        };
        let body_len = body_len as usize;
        let Some(body) = rest
            .get(RECORD_HEADER..RECORD_HEADER + body_len)
            .filter(|body| body.len() >= MIN_BODY)
        else {
            return false;
        };
        // Cheap checks first: a body that holds a first revision which
        // could follow, then the checksum.
        let first = Reader::new(body).u64().ok();
        first.is_some_and(|first| (next..=newest).contains(&first)) && crc32fast::hash(body) == crc
    })
}

/// The body length and checksum a record header at the start of `bytes`
/// holds, if `bytes` has a whole header.
fn header_fields(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut header = Reader::new(bytes);
    Some((header.u32().ok()?, header.u32().ok()?))
}

/// Why a record's body did not replay.
enum Decoded {
    Codec(CodecError),
    Replay(StoreError),
}

impl From<CodecError> for Decoded {
    fn from(err: CodecError) -> Self {
        Decoded::Codec(err)
    }
}

/// Hands each revision of a record's body to `each`, in order.
fn decode_body(
    body: &[u8],
    mut each: impl FnMut(Revision, Vec<Event>) -> Result<(), StoreError>,
) -> Result<(), Decoded> {
    let mut reader = Reader::new(body);
    let first = reader.u64()?;
    let n_revisions = reader.u32()?;
    for index in 0..u64::from(n_revisions) {
        let revision = first
            .checked_add(index)
            .ok_or(CodecError::Corrupt("revision out of range"))?;
        let n_events = reader.u32()?;
        let mut events = Vec::new();
        for _ in 0..n_events {
            let kind = reader.u8()?;
            let key = reader.bytes()?.to_vec();
            let event = match kind {
                PUT => {
                    let create_revision = reader.u64()?;
                    let version = reader.u64()?;
                    let value = Bytes::copy_from_slice(reader.bytes()?);
                    Event {
                        kind: EventKind::Put,
                        kv: KeyValue {
                            key,
                            value,
                            create_revision,
                            mod_revision: revision,
                            version,
                        },
                    }
                }
                DELETE => Event {
                    kind: EventKind::Delete,
                    kv: KeyValue {
                        key,
                        value: Bytes::new(),
                        create_revision: 0,
                        mod_revision: revision,
                        version: 0,
                    },
                },
                _ => return Err(CodecError::Corrupt("unknown event kind").into()),
            };
            events.push(event);
        }
        each(revision, events).map_err(Decoded::Replay)?;
    }
    if !reader.is_empty() {
        return Err(CodecError::Corrupt("bytes after the last event").into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(key: &str, value: &str, create: Revision, modr: Revision, version: u64) -> Event {
        Event {
            kind: EventKind::Put,
            kv: KeyValue {
                key: key.into(),
                value: Bytes::copy_from_slice(value.as_bytes()),
                create_revision: create,
                mod_revision: modr,
                version,
            },
        }
    }

    fn delete(key: &str, modr: Revision) -> Event {
        Event {
            kind: EventKind::Delete,
            kv: KeyValue {
                key: key.into(),
                value: Bytes::new(),
                create_revision: 0,
                mod_revision: modr,
                version: 0,
            },
        }
    }

    fn sample(first: Revision) -> Vec<(Revision, Vec<Event>)> {
        vec![
            (
                first,
                vec![put("a", "1", first, first, 1), put("b", "", 2, first, 7)],
            ),
            (first + 1, vec![delete("a", first + 1)]),
            (first + 2, vec![put("", "empty key", 1, first + 2, 3)]),
        ]
    }

    fn reopen(dir: &Path, durable: Revision) -> (Wal, Vec<(Revision, Vec<Event>)>) {
        let mut replayed = Vec::new();
        let wal = Wal::open(dir, WAL_FILE, durable, |revision, events| {
            replayed.push((revision, events));
            Ok(())
        })
        .expect("open the log");
        (wal, replayed)
    }

    #[test]
    fn records_of_any_size_follow_each_other_through_the_reused_buffer() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut wal, _) = reopen(dir.path(), 0);
        let value = |len: usize| "v".repeat(len);
        // Longer, shorter, beyond the buffer kept between appends, then
        // short again: each record must hold only its own events.
        let records: Vec<(Revision, Vec<Event>)> = [1 << 20, 10, KEPT_RECORD_CAPACITY + 1, 3]
            .into_iter()
            .enumerate()
            .map(|(n, len)| {
                let revision = n as Revision + 1;
                (revision, vec![put("k", &value(len), revision, revision, 1)])
            })
            .collect();
        for record in &records {
            wal.append(std::slice::from_ref(record)).expect("append");
        }
        drop(wal);
        assert_eq!(reopen(dir.path(), 0).1, records);
    }

    #[test]
    fn records_replay_after_the_durable_revision() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut wal, replayed) = reopen(dir.path(), 4);
        assert!(replayed.is_empty());
        wal.append(&sample(5)).expect("append");
        wal.append(&sample(8)).expect("append");
        drop(wal);

        let mut all = sample(5);
        all.extend(sample(8));
        assert_eq!(reopen(dir.path(), 4).1, all);
        // Revisions redb already holds durably are skipped, even mid-record.
        assert_eq!(reopen(dir.path(), 6).1, all[2..]);
        assert_eq!(reopen(dir.path(), 10).1, Vec::new());
    }

    #[test]
    fn a_gap_refuses_to_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut wal, _) = reopen(dir.path(), 4);
        wal.append(&sample(5)).expect("append");
        drop(wal);
        let err = Wal::open(dir.path(), WAL_FILE, 3, |_, _| Ok(()))
            .err()
            .expect("gap");
        assert!(
            err.to_string().contains("skips from revision 4 to 5"),
            "{err}"
        );
    }

    #[test]
    fn a_torn_or_damaged_tail_ends_the_log_and_is_cut_off() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut wal, _) = reopen(dir.path(), 4);
        wal.append(&sample(5)).expect("append");
        let whole = wal.len();
        wal.append(&sample(8)).expect("append");
        let full = std::fs::read(dir.path().join(WAL_FILE)).expect("read");
        drop(wal);
        let path = dir.path().join(WAL_FILE);
        // Every cut inside the second record, and every flipped byte of it.
        for cut in whole as usize..full.len() {
            std::fs::write(&path, &full[..cut]).expect("write");
            let (wal, replayed) = reopen(dir.path(), 4);
            assert_eq!(replayed, sample(5), "cut at {cut}");
            assert_eq!(wal.len(), whole);
            assert_eq!(std::fs::metadata(&path).expect("stat").len(), whole);
        }
        for flip in whole as usize..full.len() {
            let mut damaged = full.clone();
            damaged[flip] ^= 0x40;
            std::fs::write(&path, &damaged).expect("write");
            let (wal, replayed) = reopen(dir.path(), 4);
            assert_eq!(replayed, sample(5), "flip at {flip}");
            assert_eq!(wal.len(), whole, "flip at {flip}");
        }
    }

    fn write_log(dir: &Path, bytes: &[u8]) {
        std::fs::write(dir.join(WAL_FILE), bytes).expect("write the log");
    }

    fn two_records(dir: &Path) -> (Vec<u8>, u64) {
        let (mut wal, _) = reopen(dir, 4);
        wal.append(&sample(5)).expect("append");
        let first = wal.len();
        wal.append(&sample(8)).expect("append");
        drop(wal);
        (std::fs::read(dir.join(WAL_FILE)).expect("read"), first)
    }

    #[test]
    fn zeros_or_old_records_after_the_last_are_a_torn_append() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (full, _) = two_records(dir.path());
        for zeros in [1, RECORD_HEADER, 4096] {
            let mut extended = full.clone();
            extended.extend(std::iter::repeat_n(0, zeros));
            write_log(dir.path(), &extended);
            let (wal, replayed) = reopen(dir.path(), 4);
            assert_eq!(replayed.len(), 6, "{zeros} zeros");
            assert_eq!(wal.len(), full.len() as u64);
        }
        // A restart of the log a crash undid leaves records older than the
        // ones written after it: behind the new ones, they are not damage.
        let old = {
            let old_dir = tempfile::tempdir().expect("temp dir");
            let (mut wal, _) = reopen(old_dir.path(), 0);
            wal.append(&sample(1)).expect("append");
            drop(wal);
            std::fs::read(old_dir.path().join(WAL_FILE)).expect("read")
        };
        let mut behind = full.clone();
        behind.extend_from_slice(&[0xAB; 5]);
        behind.extend_from_slice(&old);
        write_log(dir.path(), &behind);
        let (wal, replayed) = reopen(dir.path(), 4);
        assert_eq!(replayed.len(), 6);
        assert_eq!(wal.len(), full.len() as u64);
    }

    #[test]
    fn damage_before_the_end_refuses_to_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (full, first) = two_records(dir.path());
        let first = first as usize;
        // A flipped byte in the first record, with a whole one after it.
        let mut flipped = full.clone();
        flipped[RECORD_HEADER + 3] ^= 1;
        // Zeros over the first record, a whole one after them.
        let mut zeroed = full.clone();
        zeroed[..first].fill(0);
        // A length that runs past the end, a whole record after it.
        let mut overlong = full.clone();
        overlong[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        for (name, damaged) in [
            ("flipped", flipped),
            ("zeroed", zeroed),
            ("overlong", overlong),
        ] {
            write_log(dir.path(), &damaged);
            let err = Wal::open(dir.path(), WAL_FILE, 4, |_, _| Ok(()))
                .err()
                .expect(name);
            assert!(
                err.to_string().contains("damaged at byte 0"),
                "{name}: {err}"
            );
            assert_eq!(
                std::fs::metadata(dir.path().join(WAL_FILE))
                    .expect("stat")
                    .len(),
                full.len() as u64,
                "{name}: a damaged log is left as it is"
            );
        }
    }

    #[test]
    fn a_whole_record_that_does_not_decode_refuses_to_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A checksum that holds over a body with an unknown event kind.
        let mut body = Vec::new();
        body.extend_from_slice(&5u64.to_le_bytes());
        body.extend_from_slice(&1u32.to_le_bytes());
        body.extend_from_slice(&1u32.to_le_bytes());
        body.push(7);
        let mut record = Vec::new();
        record.extend_from_slice(&(body.len() as u32).to_le_bytes());
        record.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        record.extend_from_slice(&body);
        write_log(dir.path(), &record);
        let err = Wal::open(dir.path(), WAL_FILE, 4, |_, _| Ok(()))
            .err()
            .expect("refused");
        assert!(err.to_string().contains("damaged at byte 0"), "{err}");
    }

    #[test]
    fn appends_follow_a_reset_and_a_reopen() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut wal, _) = reopen(dir.path(), 0);
        wal.append(&sample(1)).expect("append");
        wal.reset().expect("reset");
        assert_eq!(wal.len(), 0);
        wal.append(&sample(4)).expect("append");
        drop(wal);
        let (mut wal, replayed) = reopen(dir.path(), 3);
        assert_eq!(replayed, sample(4));
        wal.append(&sample(7)).expect("append");
        drop(wal);
        let mut all = sample(4);
        all.extend(sample(7));
        assert_eq!(reopen(dir.path(), 3).1, all);
    }

    #[test]
    fn a_rotation_moves_the_records_aside_and_starts_an_empty_log() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut wal, _) = reopen(dir.path(), 0);
        wal.append(&sample(1)).expect("append");
        wal.rotate(dir.path()).expect("rotate");
        assert_eq!(wal.len(), 0);
        wal.append(&sample(4)).expect("append");
        drop(wal);
        let mut aside = Vec::new();
        Wal::open(dir.path(), CHECKPOINTING_WAL_FILE, 0, |revision, events| {
            aside.push((revision, events));
            Ok(())
        })
        .expect("the log moved aside");
        assert_eq!(aside, sample(1));
        assert_eq!(reopen(dir.path(), 3).1, sample(4));
    }
}
