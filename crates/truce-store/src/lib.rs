//! Storage for truce.
//!
//! Callers talk to the [`Store`] trait; [`SqliteStore`] is the embedded default (one file, WAL
//! journal, nothing to install). Raw inputs are content-addressed and never changed; documents
//! are keyed by their content hash, so the same report stored twice is one document.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use truce_store::{open, Store, DocumentQuery};
//!
//! let store = open(":memory:").await.unwrap();
//! let documents = store.list_documents(&DocumentQuery::default()).await.unwrap();
//! assert!(documents.is_empty());
//! # });
//! ```

mod batch;
mod datasets;
mod error;
mod extraction;
mod incident;
mod monitoring;
mod query;
mod search;
mod sources;
mod sqlite;
mod store;
mod workspace;

pub use batch::{IngestBatch, PendingStage, RawBlob, SaveOutcome};
pub use datasets::{Datasets, ExternalHolding, ExternalImport, ExternalQuery, StoredExternal};
pub use error::StoreError;
pub use extraction::{
    EventQuery, StatementQuery, StoredEvent, StoredExtraction, StoredStatement, StoredTalk,
};
pub use incident::{
    AreaFilter, Decision, DecisionKind, IncidentDay, IncidentPoint, IncidentQuery, IncidentRecord,
    NearQuery, NewIncident, StoredIncident,
};
pub use monitoring::{
    IncidentFact, Monitoring, NewAgreement, NewAlert, StoredAgreement, StoredAlert,
    StoredAssessment, StoredSite, ViolationTally,
};
pub use query::{DocumentCounts, DocumentQuery};
pub use search::{NoteHit, NoteKind, NoteKinds, ReportHit, StatementHit};
pub use sources::{NewSource, SourceRegister};
pub use sqlite::{SQL_TARGET, SqliteStore};
pub use store::Store;
pub use truce_model::{Correction, CorrectionKind};
pub use workspace::{
    ApiToken, CaseFile, IncidentState, LockoutPolicy, Message, NewAudit, NewUser, Review, Rfi,
    Submission, User, Workspace,
};

/// Opens the store named by `location` and brings its schema up to date.
///
/// `location` is a SQLite file path (created when missing), `sqlite://PATH`, or `:memory:` for a
/// throw-away in-memory database.
pub async fn open(location: &str) -> Result<Box<dyn Store>, StoreError> {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        return Err(StoreError::Unsupported(
            "PostgreSQL is not available in this build yet; use a SQLite file path".into(),
        ));
    }
    Ok(Box::new(SqliteStore::open(location).await?))
}
