//! Parsing of the byte-range headers the registry protocol uses: `Range` on
//! blob reads (RFC 9110, one range) and `Content-Range` on chunked uploads
//! (`<start>-<end>`, inclusive).

/// An inclusive byte range `start..=end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub end: u64,
}

impl ByteRange {
    /// Number of bytes covered.
    pub fn len(&self) -> u64 {
        self.end - self.start + 1
    }

    /// Always false: a range holds at least one byte.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// How to answer a blob GET carrying a `Range` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeRequest {
    /// Serve the whole blob with 200 (no header, or one we may ignore).
    Full,
    /// Serve this part with 206.
    Partial(ByteRange),
    /// Answer 416 with `Content-Range: bytes */<total>`.
    Unsatisfiable,
}

/// Interprets a `Range` header against a blob of `total` bytes. Multiple
/// ranges and unknown units are ignored (RFC 9110 lets a server do so), and
/// malformed values likewise fall back to the full body.
pub fn parse_range(header: &str, total: u64) -> RangeRequest {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return RangeRequest::Full;
    };
    if spec.contains(',') {
        return RangeRequest::Full;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeRequest::Full;
    };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        // A suffix range: the last N bytes.
        let Ok(suffix) = parse_number(last) else {
            return RangeRequest::Full;
        };
        if suffix == 0 || total == 0 {
            return RangeRequest::Unsatisfiable;
        }
        let start = total.saturating_sub(suffix);
        return RangeRequest::Partial(ByteRange {
            start,
            end: total - 1,
        });
    }
    let Ok(start) = parse_number(first) else {
        return RangeRequest::Full;
    };
    let end = if last.is_empty() {
        None
    } else {
        match parse_number(last) {
            Ok(end) if end >= start => Some(end),
            _ => return RangeRequest::Full,
        }
    };
    if start >= total {
        return RangeRequest::Unsatisfiable;
    }
    let end = end.map_or(total - 1, |end| end.min(total - 1));
    RangeRequest::Partial(ByteRange { start, end })
}

/// A `Content-Range` value that is not `<start>-<end>` with `start <= end`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid Content-Range {0:?}")]
pub struct ContentRangeError(pub String);

/// Parses an upload chunk's `Content-Range: <start>-<end>`. The `bytes ` and
/// `bytes=` prefixes some clients send are tolerated.
pub fn parse_content_range(header: &str) -> Result<ByteRange, ContentRangeError> {
    let error = || ContentRangeError(header.chars().take(64).collect());
    let value = header.trim();
    let value = value
        .strip_prefix("bytes=")
        .or_else(|| value.strip_prefix("bytes "))
        .unwrap_or(value);
    let (start, end) = value.split_once('-').ok_or_else(error)?;
    let start = parse_number(start).map_err(|()| error())?;
    let end = parse_number(end).map_err(|()| error())?;
    if start > end {
        return Err(error());
    }
    Ok(ByteRange { start, end })
}

/// Digits only (no sign, no spaces), at most 19 so it fits in a u64.
fn parse_number(text: &str) -> Result<u64, ()> {
    if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    text.parse().map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: &str, total: u64, expected: RangeRequest) {
        assert_eq!(
            parse_range(header, total),
            expected,
            "{header:?} of {total}"
        );
    }

    fn part(start: u64, end: u64) -> RangeRequest {
        RangeRequest::Partial(ByteRange { start, end })
    }

    #[test]
    fn range_header_table() {
        let cases = [
            ("bytes=0-9", 100, part(0, 9)),
            ("bytes=10-", 100, part(10, 99)),
            ("bytes=90-200", 100, part(90, 99)),
            ("bytes=-10", 100, part(90, 99)),
            ("bytes=-500", 100, part(0, 99)),
            ("bytes=99-99", 100, part(99, 99)),
            ("bytes=100-", 100, RangeRequest::Unsatisfiable),
            ("bytes=100-200", 100, RangeRequest::Unsatisfiable),
            ("bytes=-0", 100, RangeRequest::Unsatisfiable),
            ("bytes=0-", 0, RangeRequest::Unsatisfiable),
            ("bytes=9-0", 100, RangeRequest::Full),
            ("bytes=0-1,5-6", 100, RangeRequest::Full),
            ("items=0-1", 100, RangeRequest::Full),
            ("bytes=a-b", 100, RangeRequest::Full),
            ("bytes=+1-2", 100, RangeRequest::Full),
            ("bytes=99999999999999999999-", 100, RangeRequest::Full),
            ("", 100, RangeRequest::Full),
        ];
        for (header, total, expected) in cases {
            check(header, total, expected);
        }
    }

    #[test]
    fn content_range_table() {
        let ok = |start, end| Ok(ByteRange { start, end });
        let cases: [(&str, Result<ByteRange, ()>); 9] = [
            ("0-9", ok(0, 9)),
            ("10-10", ok(10, 10)),
            ("bytes=0-9", ok(0, 9)),
            ("bytes 5-6", ok(5, 6)),
            ("9-0", Err(())),
            ("0-", Err(())),
            ("-5", Err(())),
            ("a-b", Err(())),
            ("", Err(())),
        ];
        for (header, expected) in cases {
            assert_eq!(
                parse_content_range(header).map_err(|_| ()),
                expected,
                "{header:?}"
            );
        }
    }
}
