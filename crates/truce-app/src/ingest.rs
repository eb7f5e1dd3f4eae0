//! Reports taken in from files, folders, pages and feeds, and standard input: each kept as read,
//! then extracted, resolved into incidents and assessed; reports that failed tried again; the
//! whole store read again by a new engine; and the work a stopped run left half done finished.
//!
//! The CLI's `truce ingest`, `truce retry`, `truce reextract`, `truce serve` and `truce demo`
//! call these; the server's submissions go through [`crate::submit`].

use std::path::PathBuf;
use std::sync::Arc;

use truce_extract::Extractor;
use truce_model::DocumentId;
use truce_monitor::AlertRule;
pub use truce_pipeline::{
    DocumentOutcome, ExtractSummary, IngestConfig, IngestObserver, IngestSummary, MonitorSummary,
    OutcomeKind, Quiet, StageTimes,
};
use truce_pipeline::{Ingestor, RawInput};
use truce_store::Store;

use crate::AppError;

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Files and folders (read recursively).
    pub paths: Vec<PathBuf>,
    /// Files never to read among them (the database being written, when a user ingests the
    /// folder it is in).
    pub exclude: Vec<PathBuf>,
    /// Pages and feeds to fetch over HTTP(S).
    pub urls: Vec<String>,
    /// Standard input, as read (`truce_ingest::source::read_stdin`).
    pub stdin: Option<RawInput>,
}

/// Reads every source and keeps each report as read (nothing is lost: what fails to read or
/// parse is stored as failed, with why). Extraction is queued when `config` says so; run
/// [`extract_waiting`] after.
pub async fn read(
    store: &dyn Store,
    config: &IngestConfig,
    sources: &Sources,
    observer: &dyn IngestObserver,
) -> Result<IngestSummary, AppError> {
    let ingestor = Ingestor::new(store, config.clone(), observer);
    let started = std::time::Instant::now();
    let mut summary = IngestSummary::default();
    if !sources.paths.is_empty() {
        summary = ingestor
            .ingest_paths(&sources.paths, &sources.exclude)
            .await?;
    }
    if !sources.urls.is_empty() {
        summary.absorb(ingestor.ingest_urls(&sources.urls).await?);
    }
    if let Some(input) = &sources.stdin {
        summary.absorb(ingestor.ingest_input(input.clone()).await?);
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Extracts, resolves and assesses what waits: the reports `outcomes` found already stored but
/// never extracted (stored before with extraction off), then everything on the queue (the new
/// reports, and whatever an earlier run left half done).
pub async fn extract_waiting(
    store: &dyn Store,
    engine: Arc<Extractor>,
    rule: AlertRule,
    outcomes: &[DocumentOutcome],
    observer: &dyn IngestObserver,
) -> Result<ExtractSummary, AppError> {
    let mut unread = Vec::new();
    for o in outcomes {
        if o.kind == OutcomeKind::Duplicate && store.extraction(o.id).await?.is_none() {
            unread.push(o.id);
        }
    }
    let mut done = if unread.is_empty() {
        ExtractSummary::default()
    } else {
        truce_pipeline::extract_documents_with(store, engine.clone(), Some(&unread), rule).await?
    };
    done.absorb(truce_pipeline::finish_pending_observed(store, engine, rule, observer).await?);
    Ok(done)
}

/// Tries failed documents again (every failed one with `ids` empty).
pub async fn retry(
    store: &dyn Store,
    config: &IngestConfig,
    ids: &[DocumentId],
    observer: &dyn IngestObserver,
) -> Result<IngestSummary, AppError> {
    Ok(Ingestor::new(store, config.clone(), observer)
        .retry(ids)
        .await?)
}

/// Runs the engine again over stored documents (every parsed one with `None`), replacing what
/// was derived from them; incidents are resolved and assessed again.
pub async fn reextract(
    store: &dyn Store,
    engine: Arc<Extractor>,
    ids: Option<&[DocumentId]>,
    rule: AlertRule,
) -> Result<ExtractSummary, AppError> {
    Ok(truce_pipeline::extract_documents_with(store, engine, ids, rule).await?)
}

/// Finishes what an earlier run stored and did not finish (a crash, a kill), so that no
/// record is read with a hole in it.
pub async fn finish_pending(
    store: &dyn Store,
    engine: Arc<Extractor>,
    rule: AlertRule,
) -> Result<ExtractSummary, AppError> {
    Ok(truce_pipeline::finish_pending(store, engine, rule).await?)
}
