//! `truce retry`: try failed documents again.

use std::process::ExitCode;

use truce_model::DocumentId;

use super::Context;
use crate::progress::Progress;

/// Arguments of `truce retry`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Ids of failed documents; none means every failed document.
    ids: Vec<i64>,

    /// Refuse inputs larger than this many bytes (default from truce.toml).
    #[arg(long)]
    max_bytes: Option<u64>,
}

/// Retries and prints the summary; exit status 1 when anything still fails.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let mut config = cx.config.ingest.clone();
    if let Some(max) = args.max_bytes {
        config.max_bytes = max;
    }
    let store = cx.store().await?;
    let progress = Progress::new(cx.quiet);
    let ids: Vec<DocumentId> = args.ids.into_iter().map(DocumentId).collect();
    let summary = truce_app::ingest::retry(store.as_ref(), &config, &ids, &progress).await?;
    progress.finish();
    super::ingest::report(&summary, cx.quiet);
    Ok(if summary.failed() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
