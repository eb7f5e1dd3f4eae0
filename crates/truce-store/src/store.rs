//! The storage interface every backend implements.

use async_trait::async_trait;
use truce_model::{ContentHash, Document, DocumentId, Extraction};

use crate::{
    DocumentCounts, DocumentQuery, EventQuery, IngestBatch, SaveOutcome, StatementQuery,
    StoreError, StoredEvent, StoredExtraction, StoredStatement,
};

/// A truce database. Implementations are cheap to share across tasks (`&self` everywhere).
#[async_trait]
pub trait Store: Send + Sync {
    /// Saves a batch in one transaction and says, for each document in order, what happened.
    ///
    /// A parsed document also supersedes earlier failures recorded for the same source location,
    /// so that fixing a file and ingesting it again clears its failure.
    async fn save_batch(&self, batch: &IngestBatch) -> Result<Vec<SaveOutcome>, StoreError>;

    /// One document by id.
    async fn document(&self, id: DocumentId) -> Result<Option<Document>, StoreError>;

    /// Documents matching a user's key: a numeric id, an external id, or a content-hash prefix of
    /// at least 6 hexadecimal digits.
    async fn find_documents(&self, key: &str) -> Result<Vec<Document>, StoreError>;

    /// A page of documents.
    async fn list_documents(&self, query: &DocumentQuery) -> Result<Vec<Document>, StoreError>;

    /// The raw bytes stored under `hash`.
    async fn raw(&self, hash: &ContentHash) -> Result<Option<Vec<u8>>, StoreError>;

    /// Counts by status.
    async fn document_counts(&self) -> Result<DocumentCounts, StoreError>;

    /// Stores the extraction records of documents in one transaction, replacing what an earlier
    /// run of the engine stored for them (their events included).
    async fn save_extractions(
        &self,
        version: &str,
        records: &[(DocumentId, Extraction)],
    ) -> Result<(), StoreError>;

    /// A document's stored extraction.
    async fn extraction(&self, id: DocumentId) -> Result<Option<StoredExtraction>, StoreError>;

    /// A page of stored events.
    async fn events(&self, query: &EventQuery) -> Result<Vec<StoredEvent>, StoreError>;

    /// A page of stored statements.
    async fn statements(&self, query: &StatementQuery) -> Result<Vec<StoredStatement>, StoreError>;
}
