//! Finishing what a stopped run left: documents stored and not extracted, documents extracted and
//! not resolved into incidents.
//!
//! The store queues a document for the next stage in the transaction that makes the stage
//! necessary (storing it, saving its extraction) and takes it off the queue in the transaction
//! that completes the stage. Whatever stopped a run (a crash, `kill -9`, an error), the queue
//! says what is left, and [`finish_pending`] does it: the cost is that of what is left, not of the
//! record.

use std::sync::Arc;
use std::time::Instant;

use truce_extract::Extractor;
use truce_model::DocumentId;
use truce_monitor::AlertRule;
use truce_store::{PendingStage, Store};

use crate::extract::{ExtractSummary, Work, run};
use crate::resolve::resolve_and_assess;
use crate::{IngestError, IngestObserver, Quiet};

/// How many queued documents are taken at a time.
const PAGE: u32 = 256;

/// Extracts every document queued for extraction, then resolves every document queued for
/// resolution (assessing the incidents written), and says what it did. Documents that cannot be
/// extracted (no longer parsed) are tried once a run and stay queued.
pub async fn finish_pending(
    store: &dyn Store,
    extractor: Arc<Extractor>,
    alert_rule: AlertRule,
) -> Result<ExtractSummary, IngestError> {
    finish_pending_observed(store, extractor, alert_rule, &Quiet).await
}

/// [`finish_pending`], telling `observer` how far the extraction is.
pub async fn finish_pending_observed(
    store: &dyn Store,
    extractor: Arc<Extractor>,
    alert_rule: AlertRule,
    observer: &dyn IngestObserver,
) -> Result<ExtractSummary, IngestError> {
    let started = Instant::now();
    let mut summary = run(store, extractor, Work::Pending, alert_rule, observer).await?;
    let mut after: Option<DocumentId> = None;
    loop {
        let page = next_page(store, PendingStage::Resolve, &mut after).await?;
        if page.is_empty() {
            break;
        }
        let resolving = Instant::now();
        let (resolved, monitored) = resolve_and_assess(store, &page, alert_rule).await?;
        summary.stages.resolving += resolved.elapsed;
        summary.stages.assessing += resolving.elapsed().saturating_sub(resolved.elapsed);
        summary.resolved += page.len();
        summary.incidents += resolved.incidents;
        summary.monitor.absorb(monitored);
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The next page of documents waiting at `stage` after `after`, moving `after` past it (each is
/// tried once a run, so that one that cannot be done never holds the run up).
async fn next_page(
    store: &dyn Store,
    stage: PendingStage,
    after: &mut Option<DocumentId>,
) -> Result<Vec<DocumentId>, IngestError> {
    let page = store.pending_documents(stage, *after, PAGE).await?;
    if let Some(last) = page.last() {
        *after = Some(*last);
    }
    Ok(page)
}
