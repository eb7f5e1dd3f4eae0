//! Stored extraction results.

use chrono::{DateTime, Utc};
use truce_model::{DocumentId, Event, Extraction};

/// One stored event, with the document it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// The event's row id.
    pub id: i64,
    /// The document it was read from.
    pub document_id: DocumentId,
    /// The document's external id, when it has one.
    pub external_id: Option<String>,
    /// Its position among the document's events.
    pub ordinal: u32,
    /// The event, as extracted.
    pub event: Event,
    /// The version of the engine that extracted it.
    pub extractor_version: String,
    /// The document's publication date.
    pub published: Option<chrono::NaiveDate>,
}

/// A document's stored extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredExtraction {
    /// The document.
    pub document_id: DocumentId,
    /// Engine version.
    pub extractor_version: String,
    /// When.
    pub extracted_at: DateTime<Utc>,
    /// The record.
    pub record: Extraction,
}

/// Which events to list (ascending by date, then id).
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// Only events on or after this date (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// Only events of this ACLED event type (or sub-event type).
    pub event_type: Option<String>,
    /// Only events with a row id greater than this (the previous page's cursor).
    pub after: Option<i64>,
    /// At most this many (default 1000).
    pub limit: Option<u32>,
}

/// One stored statement, with the document it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredStatement {
    /// The statement's row id.
    pub id: i64,
    /// The document it was read from.
    pub document_id: DocumentId,
    /// The document's external id.
    pub external_id: Option<String>,
    /// The document's publication date.
    pub date: Option<String>,
    /// The document's title.
    pub source_title: Option<String>,
    /// The statement, as extracted.
    pub statement: truce_model::Statement,
}

/// One stored round of talks or meeting, with the document it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTalk {
    /// Its row id.
    pub id: i64,
    /// The document it was read from.
    pub document_id: DocumentId,
    /// The document's publication date.
    pub date: Option<String>,
    /// The document's title.
    pub source_title: Option<String>,
    /// The talk, as extracted.
    pub talk: truce_model::Talk,
}

/// Which statements to list (ascending by id).
#[derive(Debug, Clone, Default)]
pub struct StatementQuery {
    /// Only statements whose speaker contains this text (case-insensitive).
    pub speaker: Option<String>,
    /// Only statements of documents published on or after this date.
    pub since: Option<String>,
    /// Only statements with a row id greater than this.
    pub after: Option<i64>,
    /// At most this many (default 1000).
    pub limit: Option<u32>,
    /// Only the diplomatic track: statements about `ceasefire` or `talks`, or either for an
    /// empty string.
    pub topic: Option<String>,
    /// With `topic`: the newest first (`after` then means "older than this id").
    pub newest_first: bool,
}
