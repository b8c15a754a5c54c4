//! The byte layout of the embedded store's records: a key's entry (its
//! revisions and value) and the events of one revision. Decoding checks every
//! length, so a damaged file yields an error, never a panic.

use crate::kv::{Event, EventKind, KeyValue, StoreError};

/// A stored record that does not decode.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CodecError {
    /// The record ends before its declared content.
    #[error("record truncated")]
    Truncated,
    /// An event kind byte that no version wrote.
    #[error("unknown event kind {0}")]
    UnknownKind(u8),
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
    let mut reader = Reader(bytes);
    let create_revision = reader.u64()?;
    let mod_revision = reader.u64()?;
    let version = reader.u64()?;
    Ok(KeyValue {
        key: key.to_vec(),
        value: reader.0.to_vec(),
        create_revision,
        mod_revision,
        version,
    })
}

/// Encodes the events of one revision.
pub(crate) fn encode_events(events: &[Event]) -> Vec<u8> {
    let size: usize = events
        .iter()
        .map(|e| 1 + 8 + e.kv.key.len() + 8 + e.kv.value.len() + 24)
        .sum();
    let mut out = Vec::with_capacity(size);
    for event in events {
        out.push(match event.kind {
            EventKind::Put => 1,
            EventKind::Delete => 2,
        });
        for bytes in [&event.kv.key, &event.kv.value] {
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        out.extend_from_slice(&event.kv.create_revision.to_le_bytes());
        out.extend_from_slice(&event.kv.mod_revision.to_le_bytes());
        out.extend_from_slice(&event.kv.version.to_le_bytes());
    }
    out
}

/// Decodes the events of one revision.
pub(crate) fn decode_events(bytes: &[u8]) -> Result<Vec<Event>, CodecError> {
    let mut reader = Reader(bytes);
    let mut events = Vec::new();
    while !reader.0.is_empty() {
        let kind = match reader.take(1)?[0] {
            1 => EventKind::Put,
            2 => EventKind::Delete,
            other => return Err(CodecError::UnknownKind(other)),
        };
        let key = reader.bytes()?;
        let value = reader.bytes()?;
        events.push(Event {
            kind,
            kv: KeyValue {
                key,
                value,
                create_revision: reader.u64()?,
                mod_revision: reader.u64()?,
                version: reader.u64()?,
            },
        });
    }
    Ok(events)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        if self.0.len() < n {
            return Err(CodecError::Truncated);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u64(&mut self) -> Result<u64, CodecError> {
        let bytes: [u8; 8] = self
            .take(8)?
            .try_into()
            .map_err(|_| CodecError::Truncated)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn bytes(&mut self) -> Result<Vec<u8>, CodecError> {
        let len = usize::try_from(self.u64()?).map_err(|_| CodecError::Truncated)?;
        Ok(self.take(len)?.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(key: &str, value: &str, revs: (u64, u64, u64)) -> KeyValue {
        KeyValue {
            key: key.into(),
            value: value.into(),
            create_revision: revs.0,
            mod_revision: revs.1,
            version: revs.2,
        }
    }

    fn check(events: Vec<Event>) {
        let bytes = encode_events(&events);
        assert_eq!(decode_events(&bytes).ok(), Some(events.clone()));
        // Every strict prefix that cuts an event short must fail, not panic.
        for cut in 0..bytes.len() {
            let decoded = decode_events(&bytes[..cut]);
            if let Ok(partial) = decoded {
                assert!(partial.len() < events.len() || events.is_empty());
            }
        }
        for event in &events {
            let entry = encode_entry(&event.kv);
            assert_eq!(
                decode_entry(&event.kv.key, &entry).ok(),
                Some(event.kv.clone())
            );
            assert!(decode_entry(&event.kv.key, &entry[..ENTRY_HEADER - 1]).is_err());
        }
    }

    #[test]
    fn codec_round_trips_and_rejects_damage() {
        check(vec![]);
        check(vec![Event {
            kind: EventKind::Put,
            kv: kv("a", "value", (1, 2, 3)),
        }]);
        check(vec![
            Event {
                kind: EventKind::Delete,
                kv: kv("", "", (0, 9, 0)),
            },
            Event {
                kind: EventKind::Put,
                kv: kv("\u{ff}", "", (9, 9, 1)),
            },
        ]);
        assert!(matches!(
            decode_events(&[7]),
            Err(CodecError::UnknownKind(7))
        ));
        let mut huge_len = vec![1];
        huge_len.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(
            decode_events(&huge_len),
            Err(CodecError::Truncated)
        ));
    }
}
