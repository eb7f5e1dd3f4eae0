//! What the store keeps of other datasets: ACLED and UCDP GED events imported beside truce's own
//! record (never mixed with it), each keyed by its dataset and its id there.

use async_trait::async_trait;
use truce_model::{Dataset, ExternalRecord};

use crate::StoreError;

/// An imported event as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredExternal {
    /// Row id.
    pub id: i64,
    /// Its dataset.
    pub dataset: Dataset,
    /// The event as the file told it (its `line` the line of the import that last wrote it).
    pub record: ExternalRecord,
    /// What it was imported from (the file's name and content hash).
    pub source: String,
    /// When it was last imported (RFC 3339).
    pub imported_at: String,
}

/// Which imported events to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExternalQuery {
    /// Only this dataset's.
    pub dataset: Option<Dataset>,
    /// Only dated on or after this day (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// Only dated on or before this day.
    pub until: Option<String>,
    /// Only those after this row id in the order read (date, then id): paging.
    pub after: Option<(String, i64)>,
    /// At most this many (the store caps it at 10,000).
    pub limit: u32,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExternalImport {
    /// Events new to the store.
    pub added: u64,
    /// Events already stored (same dataset and id), written again as the file tells them.
    pub updated: u64,
}

/// How much of a dataset the store holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalHolding {
    /// The dataset.
    pub dataset: Dataset,
    /// Its events.
    pub events: u64,
    /// The first day they cover.
    pub first: String,
    /// The last.
    pub last: String,
}

/// Storage of other datasets' events.
#[async_trait]
pub trait Datasets: Send + Sync {
    /// Stores the events of one file in one transaction (an event already stored under the
    /// same dataset and id is replaced); audited as `external.import` with `source`.
    async fn import_external(
        &self,
        dataset: Dataset,
        records: &[ExternalRecord],
        source: &str,
        actor: &str,
    ) -> Result<ExternalImport, StoreError>;

    /// Imported events in date order (then id), as the query asks.
    async fn external_events(
        &self,
        query: &ExternalQuery,
    ) -> Result<Vec<StoredExternal>, StoreError>;

    /// What each dataset holds.
    async fn external_holdings(&self) -> Result<Vec<ExternalHolding>, StoreError>;
}
