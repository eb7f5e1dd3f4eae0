//! A unit of ingestion: raw inputs and the documents read from them, saved in one transaction.

use std::sync::Arc;

use truce_model::{ContentHash, DocumentId, NewDocument};

/// The bytes of one raw input, exactly as read.
#[derive(Debug, Clone)]
pub struct RawBlob {
    /// SHA-256 of `bytes`.
    pub hash: ContentHash,
    /// The bytes, shared with the parser that read them.
    pub bytes: Arc<[u8]>,
}

impl RawBlob {
    /// Wraps bytes, hashing them.
    pub fn new(bytes: impl Into<Arc<[u8]>>) -> Self {
        let bytes = bytes.into();
        Self {
            hash: ContentHash::of(&bytes),
            bytes,
        }
    }
}

/// Raw inputs and documents to save together: either all of them are stored or none is.
#[derive(Debug, Clone, Default)]
pub struct IngestBatch {
    /// Raw inputs referenced by the documents' `raw_hash`.
    pub raws: Vec<RawBlob>,
    /// The documents, in input order.
    pub documents: Vec<NewDocument>,
    /// Whether the parsed documents stored are queued for extraction in the same transaction
    /// ([`PendingStage::Extract`]), so that a run stopped before extracting them leaves them
    /// for the next one.
    pub queue_extraction: bool,
}

/// The stage a stored document waits for (see [`crate::Store::pending_documents`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PendingStage {
    /// Stored, not yet extracted.
    Extract,
    /// Extracted, its events not yet resolved into incidents.
    Resolve,
}

impl PendingStage {
    /// The stage's name in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Extract => "extract",
            Self::Resolve => "resolve",
        }
    }
}

impl IngestBatch {
    /// Whether the batch holds nothing.
    pub fn is_empty(&self) -> bool {
        self.raws.is_empty() && self.documents.is_empty()
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.documents.len()
    }
}

/// What happened to one document of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    /// A new document was stored.
    Stored(DocumentId),
    /// A document with the same content hash was already stored; nothing changed.
    Duplicate(DocumentId),
    /// A failure with the same content hash was already stored; its error and attempt count
    /// were updated.
    FailedAgain(DocumentId),
    /// A stored failure with the same content hash now parsed: the row became a parsed document.
    Recovered(DocumentId),
}

impl SaveOutcome {
    /// The document concerned.
    pub fn id(self) -> DocumentId {
        match self {
            Self::Stored(id)
            | Self::Duplicate(id)
            | Self::FailedAgain(id)
            | Self::Recovered(id) => id,
        }
    }
}
