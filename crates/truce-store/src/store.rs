//! The storage interface every backend implements.

use async_trait::async_trait;
use truce_model::{ContentHash, Document, DocumentId, EventRef, Extraction};

use crate::{
    Decision, DocumentCounts, DocumentQuery, EventQuery, IncidentDay, IncidentPoint, IncidentQuery,
    IncidentRecord, IngestBatch, NearQuery, NewIncident, PendingStage, SaveOutcome, StatementQuery,
    StoreError, StoredEvent, StoredExtraction, StoredIncident, StoredStatement, StoredTalk,
};

/// A truce database. Implementations are cheap to share across tasks (`&self` everywhere).
#[async_trait]
pub trait Store:
    crate::Workspace + crate::Monitoring + crate::Datasets + crate::SourceRegister + Send + Sync
{
    /// Saves a batch in one transaction and says, for each document in order, what happened.
    ///
    /// A parsed document also supersedes earlier failures recorded for the same source location,
    /// so that fixing a file and ingesting it again clears its failure.
    async fn save_batch(&self, batch: &IngestBatch) -> Result<Vec<SaveOutcome>, StoreError>;

    /// One document by id.
    async fn document(&self, id: DocumentId) -> Result<Option<Document>, StoreError>;

    /// Documents by id, in id order; ids of no document are skipped.
    async fn documents(&self, ids: &[DocumentId]) -> Result<Vec<Document>, StoreError>;

    /// Documents matching a user's key: a numeric id, an external id, or a content-hash prefix of
    /// at least 6 hexadecimal digits.
    async fn find_documents(&self, key: &str) -> Result<Vec<Document>, StoreError>;

    /// A page of documents.
    async fn list_documents(&self, query: &DocumentQuery) -> Result<Vec<Document>, StoreError>;

    /// The raw bytes stored under `hash`.
    async fn raw(&self, hash: &ContentHash) -> Result<Option<Vec<u8>>, StoreError>;

    /// Counts by status.
    async fn document_counts(&self) -> Result<DocumentCounts, StoreError>;

    /// The reports whose title or text says every word of `words` (diacritics and case folded;
    /// words are words, never query syntax): the best of the newest 500 that say them, best
    /// first, at most `limit`, each with the passage around the words and its incidents. Served
    /// by the full-text index; its cost does not grow with how many reports say the words.
    async fn search_reports(
        &self,
        words: &str,
        limit: u32,
    ) -> Result<Vec<crate::ReportHit>, StoreError>;

    /// The statements whose words, speaker, title or organisation say every word of `words`
    /// (folded as [`Store::search_reports`] folds them): the best of the newest 500, best first,
    /// at most `limit`, each with the passage around the words and its report's incidents.
    /// Served by the full-text index.
    async fn search_statements(
        &self,
        words: &str,
        limit: u32,
    ) -> Result<Vec<crate::StatementHit>, StoreError>;

    /// The workspace's notes that say every word of `words`, of the kinds asked for: the
    /// messages `reader` may read (the audience rule applied in the query) and the reviews'
    /// notes; of each kind the best of the newest 500, at most `limit`. Served by the full-text
    /// indexes.
    async fn search_notes(
        &self,
        words: &str,
        reader: &truce_model::Reader,
        kinds: crate::NoteKinds,
        limit: u32,
    ) -> Result<Vec<crate::NoteHit>, StoreError>;

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

    /// Rounds of talks and meetings read from reports, newest first: at most `limit`, older than
    /// row id `before` when given (the diplomatic track).
    async fn talks(&self, before: Option<i64>, limit: u32) -> Result<Vec<StoredTalk>, StoreError>;

    /// For each query, the keys of the events that may tell the same occurrence as the one being
    /// placed (a superset; the resolver's rules narrow it), in (document, ordinal) order; all
    /// read from one snapshot of the record.
    async fn event_refs_near(
        &self,
        queries: &[NearQuery],
    ) -> Result<Vec<Vec<EventRef>>, StoreError>;

    /// Events by key; keys of events that no longer exist are skipped.
    async fn events_by_ref(&self, refs: &[EventRef]) -> Result<Vec<StoredEvent>, StoreError>;

    /// Every event of these documents.
    async fn events_of_documents(
        &self,
        documents: &[DocumentId],
    ) -> Result<Vec<StoredEvent>, StoreError>;

    /// A page of all events in key order (document, ordinal), after `after`.
    async fn events_in_order(
        &self,
        after: Option<EventRef>,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, StoreError>;

    /// The incident each event is filed under, for these keys and for every key of these
    /// documents (whether or not the event still exists: re-extraction replaces events).
    async fn incidents_of(
        &self,
        refs: &[EventRef],
        documents: &[DocumentId],
    ) -> Result<Vec<(EventRef, i64)>, StoreError>;

    /// The members of these incidents (of every incident when `None`), as (incident, event)
    /// pairs.
    async fn incident_members(
        &self,
        ids: Option<&[i64]>,
    ) -> Result<Vec<(i64, EventRef)>, StoreError>;

    /// In one transaction: removes the incidents `retire` names (every incident when `None`),
    /// writes `new` (keeping the ids they ask for; the others get ids never given before),
    /// files each source event under its new incident, drops incidents left without members,
    /// and takes the `resolved` documents (every document when `retire` is `None`) off the
    /// resolution queue ([`Store::pending_documents`]). Returns the new incidents' ids.
    ///
    /// A kept id must be one of those retired: asking for an id still in use is
    /// [`StoreError::Conflict`], and nothing is written.
    async fn replace_incidents(
        &self,
        retire: Option<&[i64]>,
        new: &[NewIncident],
        resolved: &[DocumentId],
    ) -> Result<Vec<i64>, StoreError>;

    /// Up to `limit` documents, after `after`, whose work at `stage` was queued and not yet done:
    /// documents stored for extraction and not extracted, documents extracted and not resolved
    /// into incidents (a run that stopped half way, by a crash or an error). Served by the queue,
    /// never by a scan of the record.
    async fn pending_documents(
        &self,
        stage: PendingStage,
        after: Option<DocumentId>,
        limit: u32,
    ) -> Result<Vec<DocumentId>, StoreError>;

    /// How many documents wait at `stage` (the length of a progress bar).
    async fn pending_count(&self, stage: PendingStage) -> Result<u64, StoreError>;

    /// A page of incidents.
    async fn incidents(&self, query: &IncidentQuery) -> Result<Vec<StoredIncident>, StoreError>;

    /// Up to `limit` incidents after the id `after`, in id order (the order they were first
    /// recorded, which is the order of the table: the fastest way to read them all), only those
    /// dated on or after `since` when it is given; their records left as JSON text.
    async fn incident_records(
        &self,
        since: Option<&str>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<IncidentRecord>, StoreError>;

    /// One incident.
    async fn incident(&self, id: i64) -> Result<Option<StoredIncident>, StoreError>;

    /// Incidents by id, in id order; ids of no incident are skipped.
    async fn incidents_by_id(&self, ids: &[i64]) -> Result<Vec<StoredIncident>, StoreError>;

    /// Incidents matching a query as map points, newest first (`limit` defaults to 20,000).
    async fn incident_points(
        &self,
        query: &IncidentQuery,
    ) -> Result<Vec<IncidentPoint>, StoreError>;

    /// The same points as one JSON array, built by the database for the map's tens of
    /// thousands of points: `[[id, lat_e5, lon_e5, event_type, fatalities, date, status], ...]`,
    /// coordinates in hundred-thousandths of a degree (about a metre), or rounded to 0.1 degree
    /// with `coarse` (the public view).
    async fn incident_map(&self, query: &IncidentQuery, coarse: bool)
    -> Result<String, StoreError>;

    /// How many incidents a query matches (its page and order ignored): the "of N" of a page.
    async fn incident_count(&self, query: &IncidentQuery) -> Result<u64, StoreError>;

    /// Incidents and deaths per day for a query (its page and order ignored).
    async fn incident_days(&self, query: &IncidentQuery) -> Result<Vec<IncidentDay>, StoreError>;

    /// Records people's decisions; a decision about a pair replaces an earlier one. One audit-log
    /// entry about `subject` (`incident:12`) records them, in the same transaction.
    async fn record_decisions(
        &self,
        decisions: &[Decision],
        subject: &str,
    ) -> Result<(), StoreError>;

    /// Decisions involving any of these events (every decision when `None`), oldest first.
    async fn decisions(&self, refs: Option<&[EventRef]>) -> Result<Vec<Decision>, StoreError>;
}
