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
//! A new log starts as a spare file of zeros, written and synced beside the
//! writer after a checkpoint: an append that overwrites space the file
//! already holds leaves its size, and so its metadata, unchanged, and its
//! `fdatasync` has only the record's own pages to write, not a journal
//! commit as well (a third to a half less time per sync on ext4). Appends
//! past the spare's end grow the file as before.
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
use std::sync::Arc;

use bytes::Bytes;

use super::codec::{CodecError, Reader};
use crate::kv::{Event, EventKind, KeyValue, Revision, StoreError};

/// The log file inside the data dir.
pub const WAL_FILE: &str = "berth.wal";
/// The log of the commits a checkpoint is writing into redb, while newer
/// ones go to a new [`WAL_FILE`]; removed once redb holds them durably.
pub const CHECKPOINTING_WAL_FILE: &str = "berth.wal.checkpointing";
/// Zeros for the next log to start as (see the module's doc).
pub const SPARE_WAL_FILE: &str = "berth.wal.spare";
/// A spare being written; it becomes [`SPARE_WAL_FILE`] once synced, so a
/// spare is always whole zeros.
pub(super) const PREPARING_SPARE_FILE: &str = "berth.wal.spare.preparing";

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
        // Zeros after the last record are space a spare gave the log: kept
        // for the next appends to overwrite.
        let mut zero_tail = false;
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
                    match scan_tail(&file, offset, file_len, next)
                        .map_err(io_error("reading the write-ahead log", Some(&path)))?
                    {
                        Tail::Zeros => zero_tail = true,
                        Tail::Torn => {}
                        Tail::LaterRecord => {
                            return Err(damaged(
                                &path,
                                offset,
                                CodecError::Corrupt(
                                    "a record that does not check out, with whole ones after it",
                                ),
                            ));
                        }
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
        if offset < file_len && !zero_tail {
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
    /// for the commits after them: the spare, if one is ready and
    /// `take_spare`, else a new file. Both renaming and starting are
    /// durable before it returns: a crash leaves the records under one name
    /// or the other, and opening replays both files in order. A failure may
    /// leave this log's file renamed: no record may be appended after it.
    /// Returns the size of the spare taken, 0 if none.
    pub(super) fn rotate(&mut self, dir: &Path, take_spare: bool) -> Result<u64, StoreError> {
        let path = dir.join(WAL_FILE);
        let aside = dir.join(CHECKPOINTING_WAL_FILE);
        std::fs::rename(&path, &aside).map_err(io_error(
            "moving the write-ahead log aside for a checkpoint",
            Some(&path),
        ))?;
        let adopted = if take_spare && spare_ready(dir) {
            // The move aside must be durable before the spare takes the
            // log's name, or a crash could leave the spare in place of the
            // records.
            sync_dir(dir)?;
            adopt_spare(dir)?
        } else {
            None
        };
        let (file, taken) = match adopted {
            Some(adopted) => adopted,
            None => (new_log(&path)?, 0),
        };
        sync_dir(dir)?;
        self.file = file;
        self.len = 0;
        Ok(taken)
    }

    /// Starts this log, which holds no record yet, over in the spare, if one
    /// is ready. The spare replaces the log's file in one rename: a crash
    /// leaves one empty log or the other. A failure after the rename leaves
    /// no record safe to append: the name may go back to the old file.
    pub(super) fn start_in_spare(&mut self, dir: &Path) -> Result<(), StoreError> {
        debug_assert_eq!(self.len, 0, "only an empty log starts over in a spare");
        if let Some((file, _)) = adopt_spare(dir)? {
            self.file = file;
            sync_dir(dir)?;
        }
        Ok(())
    }

    /// The size of the log's file: more than [`Wal::len`] when it started
    /// in a spare.
    pub(super) fn file_len(&self) -> Result<u64, StoreError> {
        self.file
            .metadata()
            .map(|meta| meta.len())
            .map_err(io_error("reading the write-ahead log's size", None))
    }

    /// Makes this log, which holds no record and started in a spare (all
    /// zeros, then), the spare again, and starts an empty log: so that a
    /// store closed idle leaves its spare for the next open instead of
    /// emptying it.
    pub(super) fn retire_to_spare(&mut self, dir: &Path) -> Result<(), StoreError> {
        debug_assert_eq!(self.len, 0, "only an empty log becomes a spare again");
        let path = dir.join(WAL_FILE);
        std::fs::rename(&path, dir.join(SPARE_WAL_FILE))
            .map_err(io_error("keeping the empty log as a spare", Some(&path)))?;
        self.file = new_log(&path)?;
        sync_dir(dir)
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

/// The smallest spare worth writing, and the step its size is rounded to.
pub(super) const SPARE_STEP: u64 = 64 * 1024;
/// The largest spare written, whatever the checkpoint threshold.
const MAX_SPARE: u64 = 256 * 1024 * 1024;

/// How large a spare to write after a log of `rotated_len` bytes was moved
/// aside and the next one started in a spare of `taken` bytes (0 if none),
/// when checkpoints start at `threshold` bytes: a quarter more than the
/// last log took, so that a steady load fits it, and no more than one
/// checkpoint's worth (nor [`MAX_SPARE`]), so that a burst does not make
/// every later spare large. A log cut short (the first, moved into the
/// first spare as soon as it is ready) would make the next spare too small
/// for the load: spares shrink by half a rotation at most. Appends past a
/// spare's end grow the file.
pub(super) fn spare_len(rotated_len: u64, taken: u64, threshold: u64) -> u64 {
    let needed = rotated_len.max(taken / 2);
    needed
        .saturating_add(needed / 4)
        .min(threshold.min(MAX_SPARE))
        .max(SPARE_STEP)
        .next_multiple_of(SPARE_STEP)
}

/// Writes [`SPARE_WAL_FILE`] in `dir`: `len` bytes of zeros, synced, for
/// the next rotation to start the log in. Written under another name first
/// and renamed once synced, so a spare found is whole zeros whatever a
/// crash interrupted. Synced a few zeros at a time: a log's sync that
/// commits the file system's journal (an append past its spare) must first
/// write out the data of every file with newly allocated blocks, and would
/// otherwise wait for the whole spare.
pub(super) fn prepare_spare(dir: &Path, len: u64) -> Result<(), StoreError> {
    static ZEROS: [u8; 64 * 1024] = [0; 64 * 1024];
    const SYNCED_EVERY: u64 = 1024 * 1024;
    let preparing = dir.join(PREPARING_SPARE_FILE);
    let written = (|| {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&preparing)?;
        let mut at = 0;
        while at < len {
            let chunk = (len - at).min(ZEROS.len() as u64);
            file.write_all_at(&ZEROS[..chunk as usize], at)?;
            at += chunk;
            if at % SYNCED_EVERY == 0 {
                file.sync_data()?;
            }
        }
        file.sync_data()?;
        std::fs::rename(&preparing, dir.join(SPARE_WAL_FILE))
    })();
    written.map_err(|err| {
        let _ = std::fs::remove_file(&preparing);
        io_error("preparing a spare write-ahead log", Some(&preparing))(err)
    })
}

/// Gives the spare in `dir`, if there is one, the log's name, and opens
/// it with its size. A spare that cannot be renamed is logged and left
/// (the caller starts the log in a new file); once renamed, the file under
/// the log's name is returned, a new empty one if the spare does not open.
fn adopt_spare(dir: &Path) -> Result<Option<(File, u64)>, StoreError> {
    if !spare_ready(dir) {
        return Ok(None);
    }
    let spare = dir.join(SPARE_WAL_FILE);
    let path = dir.join(WAL_FILE);
    match std::fs::rename(&spare, &path) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            tracing::warn!(error = %err, path = %spare.display(), "starting the write-ahead log in its spare");
            return Ok(None);
        }
    }
    let opened = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .and_then(|file| Ok((file.metadata()?.len(), file)));
    match opened {
        Ok((len, file)) => Ok(Some((file, len))),
        Err(err) => {
            tracing::warn!(error = %err, path = %path.display(), "opening the spare write-ahead log");
            Ok(Some((new_log(&path)?, 0)))
        }
    }
}

/// Creates the empty log file `path`, in place of any file of that name.
fn new_log(path: &Path) -> Result<File, StoreError> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(io_error("starting a new write-ahead log", Some(path)))
}

/// Whether `dir` holds a spare ready to take.
pub(super) fn spare_ready(dir: &Path) -> bool {
    dir.join(SPARE_WAL_FILE).is_file()
}

/// Removes a spare a crash left half written.
pub(super) fn remove_unfinished_spare(dir: &Path) -> Result<(), StoreError> {
    let preparing = dir.join(PREPARING_SPARE_FILE);
    match std::fs::remove_file(&preparing) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(io_error(
            "removing a half-written spare write-ahead log",
            Some(&preparing),
        )(err)),
        _ => Ok(()),
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

/// What the log holds after a record that does not check out.
#[derive(Debug, PartialEq, Eq)]
enum Tail {
    /// Only zeros: the unused space of a spare, or a torn append that wrote
    /// nothing.
    Zeros,
    /// Something else, with no whole record after it that could follow the
    /// last one: a torn append.
    Torn,
    /// A whole record that could follow the last one: a writer appended it
    /// after the bad one was synced, which a cut would lose.
    LaterRecord,
}

/// How much of the tail [`scan_tail`] reads at a time.
const SCAN_BLOCK: usize = 1024 * 1024;
/// The bytes a record's start is judged by before its checksum: the header
/// and the first revision.
const RECORD_PREFIX: usize = RECORD_HEADER + 8;

/// Reads `file` from `offset` (a record that does not check out) to `len`
/// a block at a time, looking for a whole record whose first revision
/// could follow `next`. A torn append leaves none, since nothing is written
/// after it; records older than `next` (left by a restart of the log that a
/// crash undid) do not count. Runs of zeros, a spare's unused space, are
/// skipped a word at a time.
fn scan_tail(file: &File, offset: u64, len: u64, next: Revision) -> std::io::Result<Tail> {
    let newest = next.saturating_add(len - offset);
    let mut zeros = true;
    // `window` holds the file from `base`: the unjudged end of the last
    // block, then the next block.
    let mut window = Vec::with_capacity(SCAN_BLOCK + RECORD_PREFIX);
    let mut base = offset;
    let mut read_to = offset;
    let mut body = Vec::new();
    while base < len {
        let block = (len - read_to).min(SCAN_BLOCK as u64) as usize;
        let start = window.len();
        window.resize(start + block, 0);
        file.read_exact_at(&mut window[start..], read_to)?;
        read_to += block as u64;
        zeros &= first_nonzero(&window[start..]).is_none();
        // A start this close to the window's end is judged with the next
        // block, unless the file ends here, when no record fits after it.
        let last = read_to == len;
        let judged = if last {
            window.len()
        } else {
            window.len() - RECORD_PREFIX.min(window.len())
        };
        let mut at = 0;
        while at < judged {
            let rest = &window[at..];
            // A record's length is at least MIN_BODY: four zero bytes where
            // it would be rule out a start, so a run of zeros is skipped to
            // the three bytes before its end.
            if rest.len() >= 4 && rest[..4] == [0; 4] {
                let Some(nonzero) = first_nonzero(rest) else {
                    break;
                };
                at += nonzero.saturating_sub(3).max(1);
                continue;
            }
            if let Some(body_len) = candidate(rest, base + at as u64, len, next..=newest) {
                body.resize(body_len, 0);
                file.read_exact_at(&mut body, base + (at + RECORD_HEADER) as u64)?;
                let crc = header_fields(rest).map(|(_, crc)| crc);
                if crc == Some(crc32fast::hash(&body)) {
                    return Ok(Tail::LaterRecord);
                }
            }
            at += 1;
        }
        window.drain(..judged);
        base += judged as u64;
        if last {
            break;
        }
    }
    Ok(if zeros { Tail::Zeros } else { Tail::Torn })
}

/// The body length of a record that could start at `bytes` (at file offset
/// `at`, of a file of `len` bytes): a header whose length fits the file and
/// the bounds, and a first revision in `revisions`. Its checksum is left to
/// the caller, which reads the body.
fn candidate(
    bytes: &[u8],
    at: u64,
    len: u64,
    revisions: std::ops::RangeInclusive<Revision>,
) -> Option<usize> {
    let (body_len, _) = header_fields(bytes)?;
    let body_len = body_len as usize;
    let fits = (MIN_BODY..=MAX_RECORD_BODY).contains(&body_len)
        && at + (RECORD_HEADER + body_len) as u64 <= len;
    let first = Reader::new(bytes.get(RECORD_HEADER..)?).u64().ok()?;
    (fits && revisions.contains(&first)).then_some(body_len)
}

/// Where the first byte that is not zero is in `bytes`, looked for a word
/// at a time.
fn first_nonzero(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        if word != [0; 8] {
            return word.iter().position(|&b| b != 0).map(|i| at + i);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b != 0)
        .map(|i| at + i)
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
                        kv: Arc::new(KeyValue {
                            key,
                            value,
                            create_revision,
                            mod_revision: revision,
                            version,
                        }),
                    }
                }
                DELETE => Event {
                    kind: EventKind::Delete,
                    kv: Arc::new(KeyValue {
                        key,
                        value: Bytes::new(),
                        create_revision: 0,
                        mod_revision: revision,
                        version: 0,
                    }),
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
            kv: Arc::new(KeyValue {
                key: key.into(),
                value: Bytes::copy_from_slice(value.as_bytes()),
                create_revision: create,
                mod_revision: modr,
                version,
            }),
        }
    }

    fn delete(key: &str, modr: Revision) -> Event {
        Event {
            kind: EventKind::Delete,
            kv: Arc::new(KeyValue {
                key: key.into(),
                value: Bytes::new(),
                create_revision: 0,
                mod_revision: modr,
                version: 0,
            }),
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
    fn spares_are_a_quarter_more_than_the_last_log_within_bounds() {
        let mib = 1024 * 1024;
        assert_eq!(spare_len(0, 0, 64 * mib), SPARE_STEP);
        assert_eq!(spare_len(1000, 0, 64 * mib), SPARE_STEP);
        assert_eq!(spare_len(8 * mib, 0, 64 * mib), 10 * mib);
        assert_eq!(spare_len(8 * mib + 1, 0, 64 * mib), 10 * mib + SPARE_STEP);
        assert_eq!(spare_len(100 * mib, 0, 64 * mib), 64 * mib);
        assert_eq!(spare_len(100 * mib, 0, 1), SPARE_STEP);
        assert_eq!(spare_len(u64::MAX, u64::MAX, u64::MAX), MAX_SPARE);
        // A short log after a large spare: half the spare, and a quarter.
        assert_eq!(spare_len(1000, 16 * mib, 64 * mib), 10 * mib);
        assert_eq!(
            spare_len(9 * mib, 16 * mib, 64 * mib),
            11 * mib + 256 * 1024
        );
    }

    #[test]
    fn a_log_started_in_a_spare_overwrites_its_zeros_and_keeps_its_size() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut wal, _) = reopen(dir.path(), 0);
        wal.append(&sample(1)).expect("append");
        prepare_spare(dir.path(), 3 * SPARE_STEP).expect("spare");
        assert_eq!(
            wal.rotate(dir.path(), true).expect("rotate"),
            3 * SPARE_STEP
        );
        assert!(
            !dir.path().join(SPARE_WAL_FILE).exists(),
            "the spare is taken"
        );
        let path = dir.path().join(WAL_FILE);
        let size = || std::fs::metadata(&path).expect("stat").len();
        assert_eq!(size(), 3 * SPARE_STEP);
        wal.append(&sample(4)).expect("append");
        wal.append(&sample(7)).expect("append");
        assert_eq!(size(), 3 * SPARE_STEP, "appends leave the size as it is");
        let records = wal.len();
        drop(wal);

        // Opening replays the records and keeps the zeros after them.
        let (mut wal, replayed) = reopen(dir.path(), 3);
        let mut all = sample(4);
        all.extend(sample(7));
        assert_eq!(replayed, all);
        assert_eq!(wal.len(), records);
        assert_eq!(size(), 3 * SPARE_STEP);
        wal.append(&sample(10)).expect("append");
        drop(wal);
        all.extend(sample(10));
        assert_eq!(reopen(dir.path(), 3).1, all);

        // A torn append into the zeros is cut off, zeros and all.
        let mut torn = std::fs::read(&path).expect("read");
        let end = reopen(dir.path(), 3).0.len() as usize;
        torn[end..end + 5].copy_from_slice(&[9, 0, 0, 0, 7]);
        std::fs::write(&path, &torn).expect("write");
        let (wal, replayed) = reopen(dir.path(), 3);
        assert_eq!(replayed, all);
        assert_eq!(size(), wal.len());
    }

    #[test]
    fn a_log_grows_past_its_spare() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut wal, _) = reopen(dir.path(), 0);
        prepare_spare(dir.path(), SPARE_STEP).expect("spare");
        wal.rotate(dir.path(), true).expect("rotate");
        let big = |revision| {
            vec![(
                revision,
                vec![put("k", &"v".repeat(50_000), 1, revision, 1)],
            )]
        };
        for revision in 1..=3 {
            wal.append(&big(revision)).expect("append");
        }
        let records = wal.len();
        assert!(records > SPARE_STEP);
        drop(wal);
        let (wal, replayed) = reopen(dir.path(), 0);
        assert_eq!(replayed.len(), 3);
        assert_eq!(wal.len(), records);
    }

    #[test]
    fn a_whole_later_record_anywhere_in_a_long_tail_refuses_to_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (full, first) = two_records(dir.path());
        let (first, second) = full.split_at(first as usize);
        // A bad record, zeros across scan blocks, then a whole record that
        // could follow: placed before, across and after a block's end.
        let block = SCAN_BLOCK;
        for zeros in [
            10,
            block - 100,
            block - RECORD_HEADER - 12,
            block - RECORD_PREFIX - 3,
            block - RECORD_HEADER - 3,
            block - 1,
            block,
            block + 7,
            2 * block + 13,
        ] {
            let mut log = first.to_vec();
            log.extend_from_slice(&[0xEE; 3]);
            log.extend(std::iter::repeat_n(0, zeros));
            log.extend_from_slice(second);
            log.extend(std::iter::repeat_n(0, 50));
            write_log(dir.path(), &log);
            let err = Wal::open(dir.path(), WAL_FILE, 4, |_, _| Ok(()))
                .err()
                .unwrap_or_else(|| panic!("{zeros} zeros: opened"));
            assert!(
                err.to_string().contains("damaged at byte"),
                "{zeros} zeros: {err}"
            );
        }
        // Without the later record, the same tail is a torn append.
        let mut log = first.to_vec();
        log.extend_from_slice(&[0xEE; 3]);
        log.extend(std::iter::repeat_n(0, 2 * block + 13));
        write_log(dir.path(), &log);
        let (wal, replayed) = reopen(dir.path(), 4);
        assert_eq!(replayed, sample(5));
        assert_eq!(wal.len(), first.len() as u64);
    }

    #[test]
    fn zeros_are_found_a_word_at_a_time() {
        assert_eq!(first_nonzero(&[]), None);
        assert_eq!(first_nonzero(&[0; 17]), None);
        for at in 0..40 {
            let mut bytes = vec![0u8; 40];
            bytes[at] = 1;
            bytes[39] = 2;
            assert_eq!(first_nonzero(&bytes), Some(at));
        }
    }

    #[test]
    fn an_unfinished_spare_is_removed_and_never_taken() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(PREPARING_SPARE_FILE), [1, 2, 3]).expect("write");
        remove_unfinished_spare(dir.path()).expect("remove");
        assert!(!dir.path().join(PREPARING_SPARE_FILE).exists());
        remove_unfinished_spare(dir.path()).expect("nothing to remove");
        let (mut wal, _) = reopen(dir.path(), 0);
        assert_eq!(
            wal.rotate(dir.path(), true)
                .expect("rotate without a spare"),
            0
        );
        assert_eq!(
            std::fs::metadata(dir.path().join(WAL_FILE))
                .expect("stat")
                .len(),
            0
        );
    }

    #[test]
    fn a_spare_that_cannot_be_taken_leaves_the_log_in_a_new_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut wal, _) = reopen(dir.path(), 0);
        wal.append(&sample(1)).expect("append");
        // A directory in the spare's place is no spare.
        std::fs::create_dir(dir.path().join(SPARE_WAL_FILE)).expect("mkdir");
        assert_eq!(wal.rotate(dir.path(), true).expect("rotate"), 0);
        wal.start_in_spare(dir.path())
            .expect("no spare to start in");
        wal.append(&sample(4)).expect("append");
        drop(wal);
        assert_eq!(reopen(dir.path(), 3).1, sample(4));
    }

    #[test]
    fn a_rotation_moves_the_records_aside_and_starts_an_empty_log() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut wal, _) = reopen(dir.path(), 0);
        wal.append(&sample(1)).expect("append");
        wal.rotate(dir.path(), true).expect("rotate");
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
