//! Gazetteer errors.

/// Why a gazetteer file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// The file could not be read.
    #[error("cannot read {origin}: {source}")]
    Io {
        /// The file.
        origin: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A line is not in the expected format.
    #[error("{origin} line {line}: {detail}")]
    Format {
        /// The file.
        origin: String,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        detail: String,
    },
}

impl GeoError {
    pub(crate) fn io(origin: &str, source: std::io::Error) -> Self {
        Self::Io {
            origin: origin.to_string(),
            source,
        }
    }
}
