//! What stops an ingestion run: the store failing, not an input being bad (that is a
//! [`truce_ingest::ReadError`], stored with the input).

/// Errors that stop an ingestion run: the store failing, not an input being bad.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] truce_store::StoreError),
    /// The HTTP client could not be built (a TLS or configuration problem).
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// A worker thread (parsing, extraction) stopped before finishing its work.
    #[error("{0}")]
    Task(String),
    /// The alert webhook could not be reached, or refused the alerts.
    #[error("{0}")]
    Webhook(String),
}

impl From<truce_ingest::ClientError> for IngestError {
    fn from(e: truce_ingest::ClientError) -> Self {
        Self::Client(e.0)
    }
}
