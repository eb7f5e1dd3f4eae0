//! `truce ingest`: read files, folders, URLs or standard input into the store.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use truce_app::ingest::{IngestSummary, Sources};
use truce_ingest::source::{is_http_url, read_stdin};

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
    let mut sources = Sources {
        paths,
        urls,
        ..Sources::default()
    };
    if !sources.paths.is_empty() {
        // Never ingest the database being written (a user may ingest the current folder).
        let db = PathBuf::from(cx.db.strip_prefix("sqlite://").unwrap_or(&cx.db));
        sources.exclude = ["", "-wal", "-shm", "-journal"]
            .iter()
            .map(|suffix| PathBuf::from(format!("{}{suffix}", db.display())))
            .collect();
    }
    if stdin {
        sources.stdin = Some(read_stdin(std::io::stdin().lock(), config.max_bytes));
    }
    let store = cx.store().await?;
    let progress = Progress::new(cx.quiet);
    let summary = truce_app::ingest::read(store.as_ref(), &config, &sources, &progress).await?;
    progress.finish();
    report(&summary, cx.quiet);
    if !args.no_extract {
        let started = std::time::Instant::now();
        let extractor = std::sync::Arc::new(super::extract::extractor(cx)?);
        let progress = Progress::new(cx.quiet);
        let mut done = truce_app::ingest::extract_waiting(
            store.as_ref(),
            extractor,
            cx.config.monitor.rule(),
            &summary.outcomes,
            &progress,
        )
        .await?;
        progress.finish();
        done.elapsed = started.elapsed();
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
