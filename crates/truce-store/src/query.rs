//! Queries over stored documents.

use truce_model::{DocumentId, DocumentStatus};

/// Which documents to list: a filter and a page (documents come in ascending id order).
#[derive(Debug, Clone)]
pub struct DocumentQuery {
    /// Only documents with this status.
    pub status: Option<DocumentStatus>,
    /// Only documents with an id greater than this (the cursor of the previous page).
    pub after: Option<DocumentId>,
    /// At most this many documents.
    pub limit: u32,
}

impl Default for DocumentQuery {
    fn default() -> Self {
        Self {
            status: None,
            after: None,
            limit: 1000,
        }
    }
}

/// How many documents the store holds, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocumentCounts {
    /// Parsed documents.
    pub parsed: u64,
    /// Failed inputs still waiting for a retry.
    pub failed: u64,
    /// Failed inputs that a later retry or ingest replaced.
    pub superseded: u64,
}
