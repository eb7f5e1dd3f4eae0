//! `truce reextract`: run the current engine again over stored documents.

use std::process::ExitCode;
use std::sync::Arc;

use truce_app::ingest::ExtractSummary;
use truce_model::DocumentId;

use super::Context;
use crate::format::thousands;

/// Arguments of `truce reextract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Document ids; none means every parsed document.
    ids: Vec<i64>,
}

/// Prints what an extraction run did.
pub fn report(s: &ExtractSummary) {
    let secs = s.elapsed.as_secs_f64().max(1e-9);
    println!(
        "extracted {} documents: {} events, {} statements in {:.1} s ({:.1} MB/s)",
        thousands(s.documents),
        thousands(s.events),
        thousands(s.statements),
        secs,
        s.bytes as f64 / 1e6 / secs
    );
    let t = &s.stages;
    println!(
        "  stages: reading {:.1} s, extracting {:.1} s, saving {:.1} s, resolving {:.1} s, assessing {:.1} s",
        t.reading.as_secs_f64(),
        t.extracting.as_secs_f64(),
        t.saving.as_secs_f64(),
        t.resolving.as_secs_f64(),
        t.assessing.as_secs_f64()
    );
    if s.resolved > 0 {
        println!(
            "resolved {} documents an earlier run had left outside every incident",
            thousands(s.resolved)
        );
    }
}

/// Re-extracts and replaces the derived rows.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let extractor = Arc::new(super::extract::extractor(cx)?);
    let ids: Vec<DocumentId> = args.ids.into_iter().map(DocumentId).collect();
    let summary = truce_app::ingest::reextract(
        store.as_ref(),
        extractor,
        (!ids.is_empty()).then_some(ids.as_slice()),
        cx.config.monitor.rule(),
    )
    .await?;
    report(&summary);
    Ok(ExitCode::SUCCESS)
}
