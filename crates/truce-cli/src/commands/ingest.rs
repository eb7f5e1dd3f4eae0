//! `truce ingest`: read files, folders, URLs or standard input into the store.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use truce_ingest::source::is_http_url;
use truce_model::{SourceKind, SourceRef};
use truce_pipeline::{IngestSummary, Ingestor, OutcomeKind, RawInput};

use super::Context;
use crate::format::thousands;
use crate::progress::Progress;

/// Arguments of `truce ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders (read recursively); `-` reads standard input. An http(s) URL here is
    /// fetched as with --url.
    paths: Vec<String>,

    /// A page or feed to fetch over HTTP(S); repeat for several.
    #[arg(long = "url", value_name = "URL")]
    urls: Vec<String>,

    /// Refuse inputs larger than this many bytes (default from truce.toml: 20 MiB).
    #[arg(long)]
    max_bytes: Option<u64>,

    /// Only store the documents; do not run the extractor on them.
    #[arg(long)]
    no_extract: bool,
}

/// Ingests everything named and prints one summary line; exit status 1 when anything failed.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let mut config = cx.config.ingest.clone();
    config.queue_extraction = !args.no_extract;
    if let Some(max) = args.max_bytes {
        config.max_bytes = max;
    }
    let mut paths = Vec::new();
    let mut urls = args.urls.clone();
    let mut stdin = false;
    for p in &args.paths {
        if p == "-" {
            stdin = true;
        } else if is_http_url(p) {
            urls.push(p.clone());
        } else {
            paths.push(PathBuf::from(p));
        }
    }
    if paths.is_empty() && urls.is_empty() && !stdin {
        bail!("nothing to ingest: name files, folders, `-` for standard input, or --url URL");
    }
    let store = cx.store().await?;
    let progress = Progress::new(cx.quiet);
    let ingestor = Ingestor::new(store.as_ref(), config.clone(), &progress);
    let mut summary = IngestSummary::default();
    let started = std::time::Instant::now();
    if !paths.is_empty() {
        // Never ingest the database being written (a user may ingest the current folder).
        let db = PathBuf::from(cx.db.strip_prefix("sqlite://").unwrap_or(&cx.db));
        let exclude: Vec<PathBuf> = ["", "-wal", "-shm", "-journal"]
            .iter()
            .map(|suffix| PathBuf::from(format!("{}{suffix}", db.display())))
            .collect();
        summary = ingestor.ingest_paths(&paths, &exclude).await?;
    }
    if !urls.is_empty() {
        let more = ingestor.ingest_urls(&urls).await?;
        summary.inputs += more.inputs;
        summary.outcomes.extend(more.outcomes);
    }
    if stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(config.max_bytes + 1)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        let input = RawInput {
            source: SourceRef {
                kind: SourceKind::Stdin,
                location: "-".into(),
                part: None,
            },
            extension: None,
            url: None,
            bytes: if bytes.len() as u64 > config.max_bytes {
                Err(truce_ingest::source::ReadFailure::new(
                    truce_ingest::ReadError::TooLarge {
                        size: bytes.len() as u64,
                        limit: config.max_bytes,
                    },
                ))
            } else {
                Ok(bytes.into())
            },
        };
        let more = ingestor.ingest_input(input).await?;
        summary.inputs += more.inputs;
        summary.outcomes.extend(more.outcomes);
    }
    summary.elapsed = started.elapsed();
    progress.finish();
    report(&summary, cx.quiet);
    if !args.no_extract {
        // Documents already stored but never extracted (stored with --no-extract) are read now.
        let mut unread = Vec::new();
        for o in &summary.outcomes {
            if o.kind == OutcomeKind::Duplicate && store.extraction(o.id).await?.is_none() {
                unread.push(o.id);
            }
        }
        let extractor = std::sync::Arc::new(super::extract::extractor(cx)?);
        let rule = cx.config.monitor.rule();
        let mut done = if unread.is_empty() {
            truce_pipeline::ExtractSummary::default()
        } else {
            truce_pipeline::extract_documents_with(
                store.as_ref(),
                extractor.clone(),
                Some(&unread),
                rule,
            )
            .await?
        };
        // The new documents, and whatever an earlier run left half done, are on the queue.
        let progress = Progress::new(cx.quiet);
        done.absorb(
            truce_pipeline::finish_pending_observed(store.as_ref(), extractor, rule, &progress)
                .await?,
        );
        progress.finish();
        done.elapsed = started.elapsed() - summary.elapsed;
        if done.documents > 0 || done.resolved > 0 {
            super::reextract::report(&done);
        }
        super::assess::announce(cx, store.as_ref(), &done.monitor).await;
    }
    Ok(if summary.failed() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints each failure, then the summary line.
pub fn report(summary: &IngestSummary, quiet: bool) {
    if !quiet {
        for failure in summary.failures() {
            eprintln!(
                "failed: {} [document {}]: {}",
                failure.source,
                failure.id,
                failure.error.as_deref().unwrap_or("unknown error")
            );
        }
    }
    println!(
        "ingested {} documents ({} duplicates, {} failed) in {:.1} s",
        thousands(summary.outcomes.len()),
        thousands(summary.duplicates()),
        thousands(summary.failed()),
        summary.elapsed.as_secs_f64()
    );
}
