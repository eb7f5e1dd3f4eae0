//! Ingestion settings, read from the `[ingest]` table of `truce.toml`.

use serde::{Deserialize, Serialize};

/// How inputs are read. Every field has a default, so an empty table is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// Inputs larger than this many bytes are refused (stored as failed, with the reason).
    pub max_bytes: u64,
    /// Seconds to wait for an HTTP server before giving up.
    pub http_timeout_secs: u64,
    /// The `User-Agent` header sent with HTTP requests.
    pub user_agent: String,
    /// How many documents are written to the store in one transaction.
    pub batch_size: usize,
    /// Whether stored documents are queued for extraction in the transaction that stores them
    /// (`truce ingest --no-extract` stores them only). Not a setting of `truce.toml`.
    #[serde(skip)]
    pub queue_extraction: bool,
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            http_timeout_secs: 30,
            user_agent: concat!(
                "truce/",
                env!("CARGO_PKG_VERSION"),
                " (ceasefire monitoring)"
            )
            .to_string(),
            batch_size: 500,
            queue_extraction: true,
        }
    }
}
