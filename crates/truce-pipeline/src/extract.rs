//! The extraction stage: stored documents -> the engine -> stored extraction records and events
//! -> the incidents around them.
//!
//! Documents are read from the store a page at a time, extracted on every core (the engine is
//! shared, built once), and written back one transaction per page; the next page is read and
//! extracted while the writer stores the one before and resolves and assesses what it changed,
//! so that both cores work. Re-running it after a lexicon
//! change replaces each document's derived rows; human decisions are not stored there and are
//! never touched.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tracing::Instrument;
use truce_extract::{ExtractInput, Extractor};
use truce_model::{Document, DocumentId, DocumentStatus, Extraction};
use truce_store::{DocumentQuery, PendingStage, Store};

use crate::resolve::resolve_and_assess;
use crate::{IngestError, IngestObserver, Quiet};
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
    let work = match ids {
        Some(ids) => Work::Listed(ids),
        None => Work::Parsed,
    };
    run(store, extractor, work, alert_rule, &Quiet).await
}

/// Which documents a run of the stage reads.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Work<'a> {
    /// These (those still parsed).
    Listed(&'a [DocumentId]),
    /// Every parsed document.
    Parsed,
    /// Every document queued for extraction (each tried once a run).
    Pending,
}

/// Documents a page: a page is one transaction of the writer. Each transaction writes again the
/// index pages every page of documents touches (the tails of the indexes, their inner pages),
/// so fewer, larger ones write fewer pages: 512 took 10,000 reports into a million-incident
/// record in 4.1-4.5 s where 256 took 5.1-5.3 s (`ingest_scale`, BENCHMARKS.md).
const PAGE: usize = 512;

/// One page read and extracted, on its way to the writer.
struct Extracted {
    records: Vec<(DocumentId, Extraction)>,
    bytes: usize,
    reading: Duration,
    extracting: Duration,
}

/// The pages of a run's documents, in id order.
struct Pages<'a> {
    work: Work<'a>,
    /// Where the listed ids have been read up to.
    next: usize,
    /// The last document read (parsed and pending runs).
    after: Option<DocumentId>,
}

impl<'a> Pages<'a> {
    fn new(work: Work<'a>) -> Self {
        Self {
            work,
            next: 0,
            after: None,
        }
    }

    /// How many documents the run will read, at most.
    async fn total(&self, store: &dyn Store) -> Result<u64, IngestError> {
        Ok(match self.work {
            Work::Listed(ids) => ids.len() as u64,
            Work::Parsed => store.document_counts().await?.parsed,
            Work::Pending => store.pending_count(PendingStage::Extract).await?,
        })
    }

    /// The next page's parsed documents; `None` at the end (a page may be empty where none of
    /// its documents is still parsed).
    async fn next(&mut self, store: &dyn Store) -> Result<Option<Vec<Document>>, IngestError> {
        let mut docs = match self.work {
            Work::Listed(ids) => {
                if self.next >= ids.len() {
                    return Ok(None);
                }
                let end = ids.len().min(self.next + PAGE);
                let page = &ids[self.next..end];
                self.next = end;
                store.documents(page).await?
            }
            Work::Parsed => {
                let query = DocumentQuery {
                    status: Some(DocumentStatus::Parsed),
                    limit: PAGE as u32,
                    after: self.after,
                };
                let page = store.list_documents(&query).await?;
                let Some(last) = page.last() else {
                    return Ok(None);
                };
                self.after = Some(last.id);
                page
            }
            Work::Pending => {
                let ids = store
                    .pending_documents(PendingStage::Extract, self.after, PAGE as u32)
                    .await?;
                let Some(last) = ids.last() else {
                    return Ok(None);
                };
                self.after = Some(*last);
                store.documents(&ids).await?
            }
        };
        docs.retain(|d| d.doc.status == DocumentStatus::Parsed);
        Ok(Some(docs))
    }
}

/// Runs the stage over `work`: pages are read and extracted on every core while the writer
/// stores the page before, resolves its neighbourhood and assesses the incidents written. At
/// most one extracted page waits for the writer, so neither side is ever more than a page ahead.
#[tracing::instrument(name = "extraction", skip_all)]
pub(crate) async fn run(
    store: &dyn Store,
    extractor: Arc<Extractor>,
    work: Work<'_>,
    alert_rule: AlertRule,
    observer: &dyn IngestObserver,
) -> Result<ExtractSummary, IngestError> {
    let started = Instant::now();
    let version = extractor.version();
    let mut pages = Pages::new(work);
    observer.extraction_started(pages.total(store).await?);
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Extracted, IngestError>>(1);
    let read_and_extract = async move {
        loop {
            let page = read_and_extract(store, &extractor, &mut pages).await;
            let last = !matches!(page, Ok(Some(_)));
            let sent = match page {
                Ok(Some(page)) => sender.send(Ok(page)).await,
                Ok(None) => Ok(()),
                Err(e) => sender.send(Err(e)).await,
            };
            // A writer that stopped (on an error) takes no more pages.
            if last || sent.is_err() {
                break;
            }
        }
    };
    // The receiver goes with the writer: a writer stopped by an error drops it, and the reader's
    // next send fails instead of waiting for ever.
    let write = async move {
        let mut summary = ExtractSummary::default();
        while let Some(page) = receiver.recv().await {
            let page = page?;
            summary.stages.reading += page.reading;
            summary.stages.extracting += page.extracting;
            summary.bytes += page.bytes;
            for (_, r) in &page.records {
                summary.documents += 1;
                summary.events += r.events.len();
                summary.statements += r.statements.len();
            }
            metrics::histogram!("truce_extraction_seconds").record(page.extracting.as_secs_f64());
            let saving = Instant::now();
            store
                .save_extractions(&version, &page.records)
                .instrument(tracing::debug_span!(
                    "saving",
                    documents = page.records.len()
                ))
                .await?;
            summary.stages.saving += saving.elapsed();
            let changed: Vec<DocumentId> = page.records.iter().map(|(id, _)| *id).collect();
            let resolving = Instant::now();
            let (resolved, monitored) = resolve_and_assess(store, &changed, alert_rule)
                .instrument(tracing::debug_span!("resolving", documents = changed.len()))
                .await?;
            metrics::histogram!("truce_resolution_seconds").record(resolved.elapsed.as_secs_f64());
            metrics::counter!("truce_documents_extracted_total").increment(changed.len() as u64);
            summary.stages.resolving += resolved.elapsed;
            summary.stages.assessing += resolving.elapsed().saturating_sub(resolved.elapsed);
            summary.incidents += resolved.incidents;
            summary.monitor.absorb(monitored);
            observer.documents_extracted(changed.len() as u64);
        }
        Ok::<_, IngestError>(summary)
    };
    let ((), summary) = tokio::join!(read_and_extract, write);
    let mut summary = summary?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Reads the next page and extracts it on every core.
async fn read_and_extract(
    store: &dyn Store,
    extractor: &Arc<Extractor>,
    pages: &mut Pages<'_>,
) -> Result<Option<Extracted>, IngestError> {
    let reading = Instant::now();
    let Some(page) = pages.next(store).await? else {
        return Ok(None);
    };
    let reading = reading.elapsed();
    let mut bytes = 0;
    let inputs: Vec<(DocumentId, ExtractInput)> = page
        .into_iter()
        .map(|d| {
            // A parsed document without text is extracted all the same (to no events), so
            // that it leaves the extraction queue.
            let text = d.doc.text.unwrap_or_default();
            bytes += text.len();
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
    let span = tracing::debug_span!("extracting", documents = inputs.len(), bytes);
    let records = tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        inputs
            .par_iter()
            .map(|(id, input)| (*id, engine.extract(input)))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| IngestError::Task(format!("extraction task failed: {e}")))?;
    Ok(Some(Extracted {
        records,
        bytes,
        reading,
        extracting: extracting.elapsed(),
    }))
}
