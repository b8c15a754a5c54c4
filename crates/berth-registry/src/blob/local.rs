//! A [`BlobStore`] on a local directory. Blobs live at
//! `blobs/sha256/<2 hex>/<64 hex>`; an upload session is a directory
//! `uploads/<uuid>/` holding `data` and `state.json`. Bytes reach their blob
//! path only by an atomic rename after the digest check, and `state.json`
//! records how many bytes of `data` are committed, so a crash mid-chunk is
//! undone on the next append.

use std::collections::HashMap;
use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use bytes::Bytes;
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use tokio::fs;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use super::{BlobInfo, BlobStore, BlobStoreError, ByteStream, UploadState};
use crate::digest::Digest;
use crate::range::ByteRange;

/// Size of the reads used to stream blobs out and to rehash uploads: each
/// read is a hop to the blocking pool, so 1 MiB (not 64 KiB) keeps pulls
/// near disk speed (registry-bench.md).
const READ_CHUNK: usize = 1024 * 1024;

/// Blob storage under one local directory.
pub struct LocalBlobStore {
    root: PathBuf,
    max_blob_size: u64,
    /// Per-session locks holding the running hash, so an append continues
    /// hashing where the last one stopped instead of rereading the file.
    /// After a restart the hash is rebuilt from the committed bytes.
    sessions: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<RunningHash>>>>>,
}

/// The hash of an upload's first `size` bytes.
struct RunningHash {
    size: u64,
    hasher: Sha256,
}

/// What `state.json` holds.
#[derive(Serialize, Deserialize)]
struct SessionFile {
    repository: String,
    size: u64,
}

fn io_error(context: impl Into<String>) -> impl FnOnce(io::Error) -> BlobStoreError {
    let context = context.into();
    move |source| BlobStoreError::Io { context, source }
}

impl LocalBlobStore {
    /// Opens (creating if needed) a store under `root`, refusing uploads that
    /// grow past `max_blob_size` bytes.
    pub async fn open(
        root: impl Into<PathBuf>,
        max_blob_size: u64,
    ) -> Result<LocalBlobStore, BlobStoreError> {
        let root = root.into();
        for dir in ["blobs/sha256", "uploads", "tmp"] {
            let path = root.join(dir);
            fs::create_dir_all(&path)
                .await
                .map_err(io_error(format!("creating {}", path.display())))?;
        }
        // Leftovers in tmp/ are writes that never completed; nothing refers
        // to them.
        let tmp = root.join("tmp");
        if let Ok(mut entries) = fs::read_dir(&tmp).await {
            while let Ok(Some(entry)) = entries.next_entry().await {
                let _ = fs::remove_file(entry.path()).await;
            }
        }
        Ok(LocalBlobStore {
            root,
            max_blob_size,
            sessions: Mutex::new(HashMap::new()),
        })
    }

    fn blob_path(&self, digest: &Digest) -> PathBuf {
        let hex = digest.hex();
        self.root.join("blobs/sha256").join(&hex[..2]).join(hex)
    }

    /// The session directory, or `UploadUnknown` for an id that is not a
    /// canonical UUID (which also keeps ids from escaping the root).
    fn session_dir(&self, id: &str) -> Result<PathBuf, BlobStoreError> {
        match uuid::Uuid::parse_str(id) {
            Ok(parsed) if parsed.hyphenated().to_string() == id => {
                Ok(self.root.join("uploads").join(id))
            }
            _ => Err(BlobStoreError::UploadUnknown { id: id.to_string() }),
        }
    }

    fn session_lock(&self, id: &str) -> Arc<tokio::sync::Mutex<Option<RunningHash>>> {
        let mut sessions = self
            .sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        sessions.entry(id.to_string()).or_default().clone()
    }

    fn forget_session(&self, id: &str) {
        let mut sessions = self
            .sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        sessions.remove(id);
    }

    async fn read_session(&self, id: &str) -> Result<(PathBuf, SessionFile), BlobStoreError> {
        let dir = self.session_dir(id)?;
        let raw = match fs::read(dir.join("state.json")).await {
            Ok(raw) => raw,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Err(BlobStoreError::UploadUnknown { id: id.to_string() });
            }
            Err(err) => return Err(io_error(format!("reading state of upload {id}"))(err)),
        };
        let state =
            serde_json::from_slice(&raw).map_err(|source| BlobStoreError::CorruptState {
                id: id.to_string(),
                source,
            })?;
        Ok((dir, state))
    }

    async fn write_session(&self, dir: &Path, state: &SessionFile) -> Result<(), BlobStoreError> {
        let raw = serde_json::to_vec(state).map_err(|source| BlobStoreError::CorruptState {
            id: dir.display().to_string(),
            source,
        })?;
        write_atomically(&dir.join("state.json"), &dir.join("state.json.tmp"), &raw).await
    }

    /// Makes `running` hold the hash of the first `size` bytes of `data`,
    /// rereading the file when the cached hash is missing or stale.
    async fn ensure_hash(
        running: &mut Option<RunningHash>,
        data: &Path,
        size: u64,
    ) -> Result<(), BlobStoreError> {
        if running.as_ref().is_some_and(|hash| hash.size == size) {
            return Ok(());
        }
        let file = fs::File::open(data)
            .await
            .map_err(io_error(format!("opening {}", data.display())))?;
        let mut reader = file.take(size);
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; READ_CHUNK];
        let mut read_total = 0u64;
        loop {
            let n = reader
                .read(&mut buf)
                .await
                .map_err(io_error(format!("rehashing {}", data.display())))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            read_total += n as u64;
        }
        if read_total != size {
            return Err(BlobStoreError::Io {
                context: format!("upload data {} is shorter than its state", data.display()),
                source: io::Error::from(io::ErrorKind::UnexpectedEof),
            });
        }
        *running = Some(RunningHash { size, hasher });
        Ok(())
    }
}

/// Writes `data` to `tmp`, syncs it, and renames it over `path`.
async fn write_atomically(path: &Path, tmp: &Path, data: &[u8]) -> Result<(), BlobStoreError> {
    let mut file = fs::File::create(tmp)
        .await
        .map_err(io_error(format!("creating {}", tmp.display())))?;
    file.write_all(data)
        .await
        .map_err(io_error(format!("writing {}", tmp.display())))?;
    file.sync_all()
        .await
        .map_err(io_error(format!("syncing {}", tmp.display())))?;
    fs::rename(tmp, path)
        .await
        .map_err(io_error(format!("renaming into {}", path.display())))?;
    sync_parent(path).await
}

/// Syncs the directory holding `path` so a rename into it survives a crash.
async fn sync_parent(path: &Path) -> Result<(), BlobStoreError> {
    if let Some(parent) = path.parent() {
        let dir = fs::File::open(parent)
            .await
            .map_err(io_error(format!("opening {}", parent.display())))?;
        dir.sync_all()
            .await
            .map_err(io_error(format!("syncing {}", parent.display())))?;
    }
    Ok(())
}

fn modified(meta: &std::fs::Metadata) -> SystemTime {
    meta.modified().unwrap_or(SystemTime::UNIX_EPOCH)
}

#[async_trait::async_trait]
impl BlobStore for LocalBlobStore {
    async fn stat(&self, digest: &Digest) -> Result<Option<BlobInfo>, BlobStoreError> {
        match fs::metadata(self.blob_path(digest)).await {
            Ok(meta) => Ok(Some(BlobInfo {
                digest: digest.clone(),
                size: meta.len(),
                modified: modified(&meta),
            })),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(io_error(format!("stat of blob {digest}"))(err)),
        }
    }

    async fn read(
        &self,
        digest: &Digest,
        range: Option<ByteRange>,
    ) -> Result<ByteStream, BlobStoreError> {
        let mut file = match fs::File::open(self.blob_path(digest)).await {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Err(BlobStoreError::NotFound {
                    digest: digest.clone(),
                });
            }
            Err(err) => return Err(io_error(format!("opening blob {digest}"))(err)),
        };
        let remaining = match range {
            Some(range) => {
                file.seek(SeekFrom::Start(range.start))
                    .await
                    .map_err(io_error(format!("seeking blob {digest}")))?;
                range.len()
            }
            None => u64::MAX,
        };
        // Small blobs get a small buffer: a pull of thousands of them must
        // not zero a full chunk each.
        let file_len = file.metadata().await.map_or(READ_CHUNK as u64, |m| m.len());
        let buf_len = remaining.min(file_len).clamp(1, READ_CHUNK as u64) as usize;
        let stream = futures::stream::try_unfold(
            (file.take(remaining), vec![0u8; buf_len]),
            |(mut reader, mut buf)| async move {
                let n = reader.read(&mut buf).await?;
                if n == 0 {
                    return Ok(None);
                }
                let chunk = Bytes::copy_from_slice(&buf[..n]);
                Ok(Some((chunk, (reader, buf))))
            },
        );
        Ok(Box::pin(stream))
    }

    async fn read_all(&self, digest: &Digest, limit: u64) -> Result<Bytes, BlobStoreError> {
        let mut stream = self.read(digest, None).await?;
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(io_error(format!("reading blob {digest}")))?;
            if out.len() as u64 + chunk.len() as u64 > limit {
                return Err(BlobStoreError::TooLarge { limit });
            }
            out.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(out))
    }

    async fn put(&self, digest: &Digest, data: Bytes) -> Result<BlobInfo, BlobStoreError> {
        let actual = Digest::of(&data);
        if &actual != digest {
            return Err(BlobStoreError::DigestMismatch {
                expected: digest.clone(),
                actual,
            });
        }
        let path = self.blob_path(digest);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .await
                .map_err(io_error(format!("creating {}", parent.display())))?;
        }
        let tmp = self
            .root
            .join("tmp")
            .join(uuid::Uuid::new_v4().hyphenated().to_string());
        let written = write_atomically(&path, &tmp, &data).await;
        if written.is_err() {
            let _ = fs::remove_file(&tmp).await;
        }
        written?;
        self.stat(digest).await?.ok_or(BlobStoreError::NotFound {
            digest: digest.clone(),
        })
    }

    async fn delete(&self, digest: &Digest) -> Result<bool, BlobStoreError> {
        match fs::remove_file(self.blob_path(digest)).await {
            Ok(()) => Ok(true),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(io_error(format!("deleting blob {digest}"))(err)),
        }
    }

    async fn list(&self) -> Result<Vec<BlobInfo>, BlobStoreError> {
        let base = self.root.join("blobs/sha256");
        let mut out = Vec::new();
        let mut shards = fs::read_dir(&base)
            .await
            .map_err(io_error(format!("listing {}", base.display())))?;
        while let Some(shard) = shards
            .next_entry()
            .await
            .map_err(io_error(format!("listing {}", base.display())))?
        {
            let Ok(mut files) = fs::read_dir(shard.path()).await else {
                continue;
            };
            while let Ok(Some(file)) = files.next_entry().await {
                let name = file.file_name();
                let Some(name) = name.to_str() else { continue };
                let Ok(digest) = Digest::parse(&format!("sha256:{name}")) else {
                    continue;
                };
                if let Ok(meta) = file.metadata().await {
                    out.push(BlobInfo {
                        digest,
                        size: meta.len(),
                        modified: modified(&meta),
                    });
                }
            }
        }
        Ok(out)
    }

    async fn create_upload(&self, repository: &str) -> Result<UploadState, BlobStoreError> {
        let id = uuid::Uuid::new_v4().hyphenated().to_string();
        let dir = self.session_dir(&id)?;
        fs::create_dir_all(&dir)
            .await
            .map_err(io_error(format!("creating {}", dir.display())))?;
        fs::File::create(dir.join("data"))
            .await
            .map_err(io_error(format!("creating data of upload {id}")))?;
        let state = SessionFile {
            repository: repository.to_string(),
            size: 0,
        };
        self.write_session(&dir, &state).await?;
        Ok(UploadState {
            id,
            repository: state.repository,
            size: 0,
            updated: SystemTime::now(),
        })
    }

    async fn upload_state(&self, id: &str) -> Result<Option<UploadState>, BlobStoreError> {
        let (dir, state) = match self.read_session(id).await {
            Ok(found) => found,
            Err(BlobStoreError::UploadUnknown { .. }) => return Ok(None),
            Err(err) => return Err(err),
        };
        let updated = fs::metadata(dir.join("state.json"))
            .await
            .map(|meta| modified(&meta))
            .unwrap_or(SystemTime::UNIX_EPOCH);
        Ok(Some(UploadState {
            id: id.to_string(),
            repository: state.repository,
            size: state.size,
            updated,
        }))
    }

    async fn append_upload(
        &self,
        id: &str,
        start: u64,
        expected_len: Option<u64>,
        mut body: ByteStream,
    ) -> Result<UploadState, BlobStoreError> {
        let lock = self.session_lock(id);
        let mut running = lock.lock().await;
        let (dir, mut state) = self.read_session(id).await?;
        if start != state.size {
            return Err(BlobStoreError::OffsetMismatch {
                size: state.size,
                start,
            });
        }
        let data = dir.join("data");
        Self::ensure_hash(&mut running, &data, state.size).await?;
        let Some(mut hash) = running.take() else {
            return Err(BlobStoreError::UploadUnknown { id: id.to_string() });
        };
        let committed = state.size;
        let mut file = fs::OpenOptions::new()
            .write(true)
            .open(&data)
            .await
            .map_err(io_error(format!("opening data of upload {id}")))?;
        // Anything past the committed size is a chunk a crash interrupted.
        let prepared = async {
            file.set_len(committed).await?;
            file.seek(SeekFrom::Start(committed)).await
        };
        prepared
            .await
            .map_err(io_error(format!("preparing data of upload {id}")))?;
        let mut hasher = hash.hasher.clone();
        let mut received = 0u64;
        let outcome: Result<(), BlobStoreError> = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|source| BlobStoreError::Body { source })?;
                received += chunk.len() as u64;
                if let Some(expected) = expected_len
                    && received > expected
                {
                    return Err(BlobStoreError::LengthMismatch { expected, received });
                }
                if committed + received > self.max_blob_size {
                    return Err(BlobStoreError::TooLarge {
                        limit: self.max_blob_size,
                    });
                }
                file.write_all(&chunk)
                    .await
                    .map_err(io_error(format!("writing data of upload {id}")))?;
                hasher.update(&chunk);
            }
            if let Some(expected) = expected_len
                && received != expected
            {
                return Err(BlobStoreError::LengthMismatch { expected, received });
            }
            file.flush()
                .await
                .map_err(io_error(format!("flushing data of upload {id}")))?;
            file.sync_data()
                .await
                .map_err(io_error(format!("syncing data of upload {id}")))?;
            state.size = committed + received;
            self.write_session(&dir, &state).await
        }
        .await;
        match outcome {
            Ok(()) => {
                hash.size = state.size;
                hash.hasher = hasher;
                *running = Some(hash);
                Ok(UploadState {
                    id: id.to_string(),
                    repository: state.repository,
                    size: state.size,
                    updated: SystemTime::now(),
                })
            }
            Err(err) => {
                // Undo the partial chunk so the session stays as it was.
                let _ = file.set_len(committed).await;
                *running = Some(hash);
                Err(err)
            }
        }
    }

    async fn finish_upload(&self, id: &str, digest: &Digest) -> Result<BlobInfo, BlobStoreError> {
        let lock = self.session_lock(id);
        let mut running = lock.lock().await;
        let (dir, state) = self.read_session(id).await?;
        let data = dir.join("data");
        Self::ensure_hash(&mut running, &data, state.size).await?;
        let Some(hash) = running.as_ref() else {
            return Err(BlobStoreError::UploadUnknown { id: id.to_string() });
        };
        let actual = Digest::from_sha256(hash.hasher.clone().finalize().into());
        if &actual != digest {
            return Err(BlobStoreError::DigestMismatch {
                expected: digest.clone(),
                actual,
            });
        }
        // A crash may have left bytes past the committed size.
        let file = fs::OpenOptions::new()
            .write(true)
            .open(&data)
            .await
            .map_err(io_error(format!("opening data of upload {id}")))?;
        file.set_len(state.size)
            .await
            .map_err(io_error(format!("truncating data of upload {id}")))?;
        file.sync_all()
            .await
            .map_err(io_error(format!("syncing data of upload {id}")))?;
        let path = self.blob_path(digest);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .await
                .map_err(io_error(format!("creating {}", parent.display())))?;
        }
        fs::rename(&data, &path)
            .await
            .map_err(io_error(format!("moving upload {id} into place")))?;
        sync_parent(&path).await?;
        *running = None;
        let _ = fs::remove_dir_all(&dir).await;
        drop(running);
        self.forget_session(id);
        self.stat(digest).await?.ok_or(BlobStoreError::NotFound {
            digest: digest.clone(),
        })
    }

    async fn cancel_upload(&self, id: &str) -> Result<bool, BlobStoreError> {
        let dir = self.session_dir(id)?;
        let lock = self.session_lock(id);
        let mut running = lock.lock().await;
        *running = None;
        let removed = match fs::remove_dir_all(&dir).await {
            Ok(()) => true,
            Err(err) if err.kind() == io::ErrorKind::NotFound => false,
            Err(err) => return Err(io_error(format!("removing upload {id}"))(err)),
        };
        drop(running);
        self.forget_session(id);
        Ok(removed)
    }

    async fn list_uploads(&self) -> Result<Vec<UploadState>, BlobStoreError> {
        let base = self.root.join("uploads");
        let mut entries = fs::read_dir(&base)
            .await
            .map_err(io_error(format!("listing {}", base.display())))?;
        let mut out = Vec::new();
        while let Ok(Some(entry)) = entries.next_entry().await {
            let name = entry.file_name();
            let Some(id) = name.to_str() else { continue };
            if let Ok(Some(state)) = self.upload_state(id).await {
                out.push(state);
            }
        }
        Ok(out)
    }
}
