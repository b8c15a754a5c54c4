//! The byte layout of the embedded store's records: a key's entry, its
//! revisions and value. Decoding checks every length, so a damaged file
//! yields an error, never a panic.

use bytes::Bytes;

use crate::apply::Stamp;
use crate::kv::{KeyValue, StoreError};

/// A stored record that does not decode.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CodecError {
    /// The record ends before its declared content.
    #[error("record truncated")]
    Truncated,
    /// The record holds something its layout does not allow.
    #[error("record corrupt: {0}")]
    Corrupt(&'static str),
}

impl From<CodecError> for StoreError {
    fn from(err: CodecError) -> Self {
        StoreError::Backend {
            context: "a stored record is corrupt".into(),
            source: Box::new(err),
        }
    }
}

const ENTRY_HEADER: usize = 24;

/// Encodes the stored form of `kv` (its key is the table key).
pub(crate) fn encode_entry(kv: &KeyValue) -> Vec<u8> {
    let mut out = Vec::with_capacity(ENTRY_HEADER + kv.value.len());
    out.extend_from_slice(&kv.create_revision.to_le_bytes());
    out.extend_from_slice(&kv.mod_revision.to_le_bytes());
    out.extend_from_slice(&kv.version.to_le_bytes());
    out.extend_from_slice(&kv.value);
    out
}

/// Decodes an entry stored under `key`.
pub(crate) fn decode_entry(key: &[u8], bytes: &[u8]) -> Result<KeyValue, CodecError> {
    let (stamp, value) = split_entry(bytes)?;
    Ok(KeyValue {
        key: key.to_vec(),
        value: Bytes::copy_from_slice(value),
        create_revision: stamp.create_revision,
        mod_revision: stamp.mod_revision,
        version: stamp.version,
    })
}

/// Decodes only the revisions of an entry, without copying its value.
pub(crate) fn decode_stamp(bytes: &[u8]) -> Result<Stamp, CodecError> {
    split_entry(bytes).map(|(stamp, _)| stamp)
}

fn split_entry(bytes: &[u8]) -> Result<(Stamp, &[u8]), CodecError> {
    let mut reader = Reader::new(bytes);
    let stamp = Stamp {
        create_revision: reader.u64()?,
        mod_revision: reader.u64()?,
        version: reader.u64()?,
    };
    Ok((stamp, reader.0))
}

/// Reads a record front to back, checking each length against what is left.
pub(super) struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Reader(bytes)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        if self.0.len() < n {
            return Err(CodecError::Truncated);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    pub(super) fn u8(&mut self) -> Result<u8, CodecError> {
        Ok(self.array::<1>()?[0])
    }

    pub(super) fn u32(&mut self) -> Result<u32, CodecError> {
        self.array().map(u32::from_le_bytes)
    }

    pub(super) fn u64(&mut self) -> Result<u64, CodecError> {
        self.array().map(u64::from_le_bytes)
    }

    /// A length-prefixed (u32) byte string.
    pub(super) fn bytes(&mut self) -> Result<&'a [u8], CodecError> {
        let len = self.u32()?;
        self.take(len as usize)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CodecError> {
        self.take(N)?.try_into().map_err(|_| CodecError::Truncated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_damage_is_an_error() {
        for (key, value, revisions) in [("a", "value", (1, 2, 3)), ("", "", (9, 9, 1))] {
            let kv = KeyValue {
                key: key.into(),
                value: value.into(),
                create_revision: revisions.0,
                mod_revision: revisions.1,
                version: revisions.2,
            };
            let entry = encode_entry(&kv);
            assert_eq!(decode_entry(&kv.key, &entry).ok(), Some(kv.clone()));
            for cut in 0..ENTRY_HEADER {
                assert!(decode_entry(&kv.key, &entry[..cut]).is_err());
            }
        }
    }
}
