//! Standard input (or any stream) as one raw input.

use std::io::Read;

use truce_model::{SourceKind, SourceRef};

use super::{RawInput, ReadFailure};
use crate::ReadError;

/// Reads a stream (standard input: `truce ingest -`) as one input, taking at most one byte more
/// than `max_bytes`: a longer stream is stored as failed (`TooLarge`), never cut.
pub fn read_stdin(stream: impl Read, max_bytes: u64) -> RawInput {
    let mut bytes = Vec::new();
    let read = stream
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes);
    RawInput {
        source: SourceRef {
            kind: SourceKind::Stdin,
            location: "-".into(),
            part: None,
        },
        extension: None,
        url: None,
        bytes: match read {
            Err(e) => Err(ReadFailure::new(ReadError::from_io(&e))),
            Ok(_) if bytes.len() as u64 > max_bytes => Err(ReadFailure::new(ReadError::TooLarge {
                size: bytes.len() as u64,
                limit: max_bytes,
            })),
            Ok(_) => Ok(bytes.into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_read_whole_or_refused_as_too_large() {
        let ok = read_stdin(&b"Shelling in Homs."[..], 100);
        assert_eq!(ok.source.location, "-");
        assert_eq!(&*ok.bytes.unwrap(), b"Shelling in Homs.");
        let big = read_stdin(&[b'x'; 11][..], 10);
        assert!(matches!(
            big.bytes.unwrap_err().error,
            ReadError::TooLarge { limit: 10, .. }
        ));
    }
}
