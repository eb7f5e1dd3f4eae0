//! `truce documents`: list stored documents.

use std::io::Write;
use std::process::ExitCode;

use truce_model::{Document, DocumentStatus};
use truce_store::DocumentQuery;

use super::Context;
use crate::format::clip;

/// Arguments of `truce documents`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only documents that failed (and were not superseded by a later success).
    #[arg(long)]
    failed: bool,

    /// One JSON object a line, every matching document.
    #[arg(long)]
    json: bool,

    /// At most this many documents (default: all with --json, 50 otherwise).
    #[arg(long)]
    limit: Option<u64>,
}

/// The JSON shape of a document in listings.
pub fn document_json(doc: &Document) -> serde_json::Value {
    serde_json::json!({
        "id": doc.id,
        "external_id": doc.doc.external_id,
        "status": doc.doc.status.as_str(),
        "format": doc.doc.format.map(|f| f.as_str()),
        "source": doc.doc.source,
        "title": doc.doc.title,
        "url": doc.doc.url,
        "published": doc.doc.published,
        "language": doc.doc.language,
        "ingested_at": doc.ingested_at,
        "attempts": doc.attempts,
        "content_hash": doc.doc.content_hash,
        "raw_hash": doc.doc.raw_hash,
        "error": doc.doc.error,
        "text": doc.doc.text,
    })
}

/// Lists documents, a page at a time from the store.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let limit = args.limit.unwrap_or(if args.json { u64::MAX } else { 50 });
    let mut query = DocumentQuery {
        status: args.failed.then_some(DocumentStatus::Failed),
        ..Default::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut shown = 0u64;
    if !args.json {
        writeln!(
            out,
            "{:>6}  {:<10} {:<8} {:<4} {:<10}  TITLE / ERROR — SOURCE",
            "ID", "STATUS", "FORMAT", "LANG", "PUBLISHED"
        )?;
    }
    'pages: loop {
        let page = store.list_documents(&query).await?;
        let Some(last) = page.last() else { break };
        query.after = Some(last.id);
        for doc in &page {
            if shown >= limit {
                break 'pages;
            }
            shown += 1;
            if args.json {
                serde_json::to_writer(&mut out, &document_json(doc))?;
                writeln!(out)?;
            } else {
                let d = &doc.doc;
                let label = match (&d.error, &d.title) {
                    (Some(error), _) => error.clone(),
                    (None, Some(title)) => title.clone(),
                    (None, None) => d.text.as_deref().map(|t| clip(t, 60)).unwrap_or_default(),
                };
                writeln!(
                    out,
                    "{:>6}  {:<10} {:<8} {:<4} {:<10}  {} — {}",
                    doc.id,
                    d.status.as_str(),
                    d.format.map_or("-", |f| f.as_str()),
                    d.language.as_deref().unwrap_or("-"),
                    d.published.map_or("-".to_string(), |p| p.to_string()),
                    clip(&label, 70),
                    d.source
                )?;
            }
        }
    }
    out.flush()?;
    if !args.json && !cx.quiet {
        let counts = store.document_counts().await?;
        eprintln!(
            "{} shown; {} parsed, {} failed, {} superseded in all",
            shown, counts.parsed, counts.failed, counts.superseded
        );
    }
    Ok(ExitCode::SUCCESS)
}
