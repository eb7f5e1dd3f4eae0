//! A report submitted over the API: stored as sent, extracted, resolved into incidents and
//! assessed at once, as `truce ingest` does with a file; the answer says what became of it.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;
use truce_extract::Extractor;
use truce_model::{DocumentId, EventRef, SourceKind, SourceRef};
use truce_monitor::AlertRule;
pub use truce_pipeline::{ExtractSummary, OutcomeKind};
use truce_pipeline::{IngestConfig, Ingestor, Quiet, RawInput};
use truce_store::{Store, StoredIncident};

use crate::AppError;

/// A report as submitted: its text, and what the submitter knows of it.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The text.
    pub text: String,
    /// The id its source gives it (a resubmission with the same id and text is a duplicate).
    pub id: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// When it was published (`YYYY-MM-DD`): relative dates are read against it.
    pub published: Option<String>,
}

/// What became of one document of a submission.
#[derive(Debug, Clone)]
pub struct SubmittedDocument {
    /// The document.
    pub id: DocumentId,
    /// Stored, duplicate, failed or recovered.
    pub outcome: OutcomeKind,
    /// Why it failed.
    pub error: Option<String>,
    /// Its events, each with the incident that holds it.
    pub events: Vec<FiledEvent>,
}

/// An event of a submitted document, and where it is filed.
#[derive(Debug, Clone)]
pub struct FiledEvent {
    /// The event.
    pub event: EventRef,
    /// ACLED event type.
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: Option<String>,
    /// The incident that holds it.
    pub incident: Option<i64>,
}

/// What a submission did.
#[derive(Debug, Clone)]
pub struct Submission {
    /// Each document stored (or found stored already).
    pub documents: Vec<SubmittedDocument>,
    /// What extraction, resolution and assessment did (none when nothing new was stored).
    pub extracted: Option<ExtractSummary>,
    /// The incidents that hold the documents' events now, as they read after it.
    pub touched: Vec<StoredIncident>,
}

impl Submission {
    /// Whether anything new was stored.
    pub fn stored_new(&self) -> bool {
        self.extracted.is_some()
    }
}

impl Report {
    /// Checks what a submitter sent: a text, and a publication date that is a date.
    pub fn check(&self) -> Result<(), AppError> {
        if self.text.trim().is_empty() {
            return Err(AppError::Invalid("text is empty".into()));
        }
        if let Some(p) = self.published.as_deref() {
            NaiveDate::parse_from_str(p, "%Y-%m-%d")
                .map_err(|_| AppError::Invalid("published: expected YYYY-MM-DD".into()))?;
        }
        Ok(())
    }
}

/// Submits a report by `submitter` (stored with the source `api:SUBMITTER`); `engine` is asked
/// for the extractor only when something new was stored. Reports over `max_bytes` are refused.
pub async fn submit<E>(
    store: &dyn Store,
    report: &Report,
    submitter: &str,
    max_bytes: usize,
    engine: E,
    rule: AlertRule,
) -> Result<Submission, AppError>
where
    E: AsyncFnOnce() -> Result<Arc<Extractor>, String>,
{
    report.check()?;
    let record = serde_json::json!({"id": report.id, "title": report.title, "url": report.url,
                                    "published": report.published, "text": report.text});
    let bytes: Arc<[u8]> = serde_json::to_vec(&record)
        .map_err(|e| AppError::Invalid(e.to_string()))?
        .into();
    let input = RawInput {
        source: SourceRef {
            kind: SourceKind::Api,
            location: format!("api:{submitter}"),
            part: None,
        },
        extension: Some("json".into()),
        url: None,
        bytes: Ok(bytes),
    };
    let config = IngestConfig {
        max_bytes: max_bytes as u64,
        ..IngestConfig::default()
    };
    let summary = Ingestor::new(store, config, &Quiet)
        .ingest_input(input)
        .await?;
    let new = summary.new_documents();
    let extracted = if new.is_empty() {
        None
    } else {
        let engine = engine().await.map_err(AppError::Engine)?;
        Some(truce_pipeline::extract_documents_with(store, engine, Some(&new), rule).await?)
    };
    // What the submission made: each document's events, and the incidents that hold them now
    // (created, or joined), as the record reads after it.
    let ids: Vec<DocumentId> = summary.outcomes.iter().map(|o| o.id).collect();
    let events = store.events_of_documents(&ids).await?;
    let filed = store.incidents_of(&[], &ids).await?;
    let mut incident_ids: Vec<i64> = filed.iter().map(|(_, id)| *id).collect();
    incident_ids.sort_unstable();
    incident_ids.dedup();
    let touched = store.incidents_by_id(&incident_ids).await?;
    let documents = summary
        .outcomes
        .iter()
        .map(|o| SubmittedDocument {
            id: o.id,
            outcome: o.kind,
            error: o.error.clone(),
            events: events
                .iter()
                .filter(|e| e.document_id == o.id)
                .map(|e| {
                    let key = EventRef {
                        document: e.document_id.0,
                        ordinal: e.ordinal,
                    };
                    FiledEvent {
                        event: key,
                        event_type: e.event.event_type.clone(),
                        sub_event_type: e.event.sub_event_type.clone(),
                        incident: filed.iter().find(|(k, _)| *k == key).map(|(_, i)| *i),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(Submission {
        documents,
        extracted,
        touched,
    })
}
