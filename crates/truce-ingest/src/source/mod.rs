//! Sources: where raw inputs come from. Each yields [`RawInput`]s; parsing happens elsewhere.

mod file;
mod http;
mod stdin;

use std::sync::Arc;

use truce_model::SourceRef;

use crate::ReadError;

pub use file::{Discovered, discover, read_file};
pub use http::{Conditional, HttpFetcher, Validators, is_http_url};
pub use stdin::read_stdin;

/// One raw input, as read: its bytes, or why they could not be read.
#[derive(Debug, Clone)]
pub struct RawInput {
    /// Where it came from.
    pub source: SourceRef,
    /// The lower-case file extension, a hint for the format sniffer.
    pub extension: Option<String>,
    /// The URL it was fetched from, when it came over HTTP.
    pub url: Option<String>,
    /// The bytes, or the failure (with whatever bytes could be read before it).
    pub bytes: Result<Arc<[u8]>, ReadFailure>,
}

/// An input that could not be read.
#[derive(Debug, Clone)]
pub struct ReadFailure {
    /// Why.
    pub error: ReadError,
    /// Bytes that were read anyway (the body of a 404 page), kept with the failure.
    pub partial: Option<Arc<[u8]>>,
}

impl ReadFailure {
    /// A failure with no bytes.
    pub fn new(error: ReadError) -> Self {
        Self {
            error,
            partial: None,
        }
    }
}
