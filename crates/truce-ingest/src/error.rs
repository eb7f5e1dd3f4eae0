//! Why a report could not be read: the messages users see in `truce documents --failed`.

/// Why one input could not become a document. These are faults of the input, never of truce:
/// the input is stored as a failed document with this message, and the rest goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The path does not exist.
    #[error("no such file or folder")]
    NotFound,
    /// The file or folder cannot be read by this user.
    #[error("permission denied")]
    PermissionDenied,
    /// Following symbolic links led back to where they started.
    #[error("symbolic link loop: {0}")]
    SymlinkLoop(String),
    /// Any other error of the operating system while reading.
    #[error("cannot read: {0}")]
    Io(String),
    /// The input is larger than the configured limit.
    #[error(
        "{size} bytes is above the size limit of {limit} bytes (raise ingest.max_bytes in truce.toml or pass --max-bytes)"
    )]
    TooLarge {
        /// The input's size, or how much was read before giving up.
        size: u64,
        /// The configured limit.
        limit: u64,
    },
    /// The input holds no bytes, or only whitespace.
    #[error("empty input: nothing to read")]
    Empty,
    /// The input is a binary file, not a report.
    #[error("binary content ({0}), not a report")]
    Binary(&'static str),
    /// The input was recognised as a format but is broken.
    #[error("malformed {format}: {detail}")]
    Malformed {
        /// The format it was recognised as.
        format: &'static str,
        /// What is wrong, and where.
        detail: String,
    },
    /// The input parsed, but no text could be found in it.
    #[error("no text found in this {0}")]
    NoText(&'static str),
    /// The server could not be reached.
    #[error("cannot connect: {0}")]
    Connect(String),
    /// The server did not answer in time.
    #[error("timed out after {0} s")]
    Timeout(u64),
    /// The server answered with an error status.
    #[error("HTTP {status} from the server")]
    HttpStatus {
        /// The status code.
        status: u16,
    },
    /// The URL is not an http(s) URL.
    #[error("not an http(s) URL: {0}")]
    BadUrl(String),
    /// Any other HTTP failure.
    #[error("HTTP error: {0}")]
    Http(String),
}

impl ReadError {
    /// An error of the operating system, classified.
    pub fn from_io(err: &std::io::Error) -> Self {
        match err.kind() {
            std::io::ErrorKind::NotFound => Self::NotFound,
            std::io::ErrorKind::PermissionDenied => Self::PermissionDenied,
            _ => Self::Io(err.to_string()),
        }
    }
}

/// The HTTP client could not be built (a TLS or configuration problem).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot build the HTTP client: {0}")]
pub struct ClientError(pub String);
