//! The extraction stage: stored documents -> the engine -> stored extraction records and events
//! -> the incidents around them.
//!
//! Documents are read from the store a page at a time, extracted on every core (the engine is
//! shared, built once), and written back one transaction per page. Re-running it after a lexicon
//! change replaces each document's derived rows; human decisions are not stored there and are
//! never touched.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use truce_extract::{ExtractInput, Extractor};
use truce_model::{DocumentId, DocumentStatus, Extraction};
use truce_store::{DocumentQuery, Store};

use crate::IngestError;
use crate::resolve::resolve_and_assess;
use truce_monitor::AlertRule;

/// What one run of the stage did.
#[derive(Debug, Clone, Default)]
pub struct ExtractSummary {
    /// Documents read.
    pub documents: usize,
    /// Events found.
    pub events: usize,
    /// Statements found.
    pub statements: usize,
    /// Bytes of text read.
    pub bytes: usize,
    /// Incidents written by re-resolving the documents' neighbourhoods.
    pub incidents: usize,
    /// Documents an earlier run extracted and left unresolved, resolved now
    /// ([`crate::finish_pending`]).
    pub resolved: usize,
    /// What monitoring made of them (assessments, new alerts).
    pub monitor: crate::MonitorSummary,
    /// Wall time.
    pub elapsed: Duration,
}

impl ExtractSummary {
    /// Adds another run's figures to these (the elapsed time is the caller's to set).
    pub fn absorb(&mut self, other: ExtractSummary) {
        self.documents += other.documents;
        self.events += other.events;
        self.statements += other.statements;
        self.bytes += other.bytes;
        self.incidents += other.incidents;
        self.resolved += other.resolved;
        self.monitor.absorb(other.monitor);
    }
}

/// Extracts `ids` (or, when `None`, every parsed document) and stores the results; the incidents
/// they change are resolved, assessed and checked against protected sites (1 km radius).
pub async fn extract_documents(
    store: &dyn Store,
    extractor: Arc<Extractor>,
    ids: Option<&[DocumentId]>,
) -> Result<ExtractSummary, IngestError> {
    extract_documents_with(store, extractor, ids, AlertRule::default()).await
}

/// [`extract_documents`] with its own alert radius.
pub async fn extract_documents_with(
    store: &dyn Store,
    extractor: Arc<Extractor>,
    ids: Option<&[DocumentId]>,
    alert_rule: AlertRule,
) -> Result<ExtractSummary, IngestError> {
    let started = Instant::now();
    let version = extractor.version();
    let mut summary = ExtractSummary::default();
    let mut query = DocumentQuery {
        status: Some(DocumentStatus::Parsed),
        limit: 256,
        ..Default::default()
    };
    let mut pending_ids = ids.map(|ids| ids.to_vec());
    loop {
        let page = match &mut pending_ids {
            Some(list) => {
                if list.is_empty() {
                    break;
                }
                let take: Vec<DocumentId> = list.drain(..list.len().min(256)).collect();
                let mut docs = Vec::with_capacity(take.len());
                for id in take {
                    if let Some(doc) = store.document(id).await?
                        && doc.doc.status == DocumentStatus::Parsed
                    {
                        docs.push(doc);
                    }
                }
                docs
            }
            None => {
                let page = store.list_documents(&query).await?;
                let Some(last) = page.last() else { break };
                query.after = Some(last.id);
                page
            }
        };
        let inputs: Vec<(DocumentId, ExtractInput)> = page
            .into_iter()
            .map(|d| {
                // A parsed document without text is extracted all the same (to no events), so
                // that it leaves the extraction queue.
                let text = d.doc.text.unwrap_or_default();
                summary.bytes += text.len();
                (
                    d.id,
                    ExtractInput {
                        id: d.id.to_string(),
                        text,
                        published: d.doc.published,
                    },
                )
            })
            .collect();
        let engine = extractor.clone();
        let records: Vec<(DocumentId, Extraction)> = tokio::task::spawn_blocking(move || {
            inputs
                .par_iter()
                .map(|(id, input)| (*id, engine.extract(input)))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| IngestError::Client(format!("extraction task failed: {e}")))?;
        for (_, r) in &records {
            summary.documents += 1;
            summary.events += r.events.len();
            summary.statements += r.statements.len();
        }
        store.save_extractions(&version, &records).await?;
        let changed: Vec<DocumentId> = records.iter().map(|(id, _)| *id).collect();
        let (resolved, monitored) = resolve_and_assess(store, &changed, alert_rule).await?;
        summary.incidents += resolved.incidents;
        summary.monitor.absorb(monitored);
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}
