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
    /// Where the time went, stage by stage.
    pub stages: StageTimes,
    /// Wall time.
    pub elapsed: Duration,
}

/// Time spent in each stage of taking documents in. Extraction runs beside the writing, so the
/// stages may add up to more than the wall time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    /// Reading the documents to extract from the store.
    pub reading: Duration,
    /// The engine, on every core.
    pub extracting: Duration,
    /// Writing extraction records, events and statements.
    pub saving: Duration,
    /// Resolving the changed neighbourhoods into incidents.
    pub resolving: Duration,
    /// Assessing the incidents written and raising alerts.
    pub assessing: Duration,
}

impl StageTimes {
    /// Adds another run's times to these.
    pub fn absorb(&mut self, other: StageTimes) {
        self.reading += other.reading;
        self.extracting += other.extracting;
        self.saving += other.saving;
        self.resolving += other.resolving;
        self.assessing += other.assessing;
    }
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
        self.stages.absorb(other.stages);
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
        let reading = Instant::now();
        let page = match &mut pending_ids {
            Some(list) => {
                if list.is_empty() {
                    break;
                }
                let take: Vec<DocumentId> = list.drain(..list.len().min(256)).collect();
                let mut docs = store.documents(&take).await?;
                docs.retain(|d| d.doc.status == DocumentStatus::Parsed);
                docs
            }
            None => {
                let page = store.list_documents(&query).await?;
                let Some(last) = page.last() else { break };
                query.after = Some(last.id);
                page
            }
        };
        summary.stages.reading += reading.elapsed();
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
        let extracting = Instant::now();
        let records: Vec<(DocumentId, Extraction)> = tokio::task::spawn_blocking(move || {
            inputs
                .par_iter()
                .map(|(id, input)| (*id, engine.extract(input)))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| IngestError::Client(format!("extraction task failed: {e}")))?;
        summary.stages.extracting += extracting.elapsed();
        for (_, r) in &records {
            summary.documents += 1;
            summary.events += r.events.len();
            summary.statements += r.statements.len();
        }
        let saving = Instant::now();
        store.save_extractions(&version, &records).await?;
        summary.stages.saving += saving.elapsed();
        let changed: Vec<DocumentId> = records.iter().map(|(id, _)| *id).collect();
        let resolving = Instant::now();
        let (resolved, monitored) = resolve_and_assess(store, &changed, alert_rule).await?;
        summary.stages.resolving += resolved.elapsed;
        summary.stages.assessing += resolving.elapsed().saturating_sub(resolved.elapsed);
        summary.incidents += resolved.incidents;
        summary.monitor.absorb(monitored);
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}
