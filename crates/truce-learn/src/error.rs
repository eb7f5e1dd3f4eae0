//! Why training failed.

/// Why training failed.
#[derive(Debug, thiserror::Error)]
pub enum LearnError {
    /// A training file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// No training file with gold events was found.
    #[error("no training data: {0}")]
    NoData(String),
    /// The optimiser failed.
    #[error("fitting the {decision} model failed: {detail}")]
    Fit {
        /// The decision.
        decision: String,
        /// What went wrong.
        detail: String,
    },
}
