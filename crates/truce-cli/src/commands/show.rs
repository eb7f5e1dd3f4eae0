//! `truce show`: one document.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use super::Context;
use super::documents::document_json;

/// Arguments of `truce show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A document id, external id, or content-hash prefix (6+ hex digits).
    id: String,

    /// Write the raw bytes exactly as they were read (the whole file or feed).
    #[arg(long, conflicts_with = "json")]
    raw: bool,

    /// The document as one JSON object.
    #[arg(long)]
    json: bool,
}

/// Prints the document.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let found = store.find_documents(&args.id).await?;
    let doc = match found.as_slice() {
        [] => bail!("no document matches {:?} (try `truce documents`)", args.id),
        [one] => one,
        many => {
            let ids: Vec<String> = many.iter().map(|d| d.id.to_string()).collect();
            bail!(
                "{:?} matches several documents ({}); give the numeric id",
                args.id,
                ids.join(", ")
            )
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.raw {
        let hash = doc
            .doc
            .raw_hash
            .context("no raw bytes were kept: the input could not be read")?;
        let bytes = store
            .raw(&hash)
            .await?
            .context("raw bytes missing from the store")?;
        if doc.doc.source.part.is_some() && !cx.quiet {
            eprintln!(
                "(the whole input holding {}; this document is {})",
                doc.doc.source.location, doc.doc.source
            );
        }
        out.write_all(&bytes)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.json {
        serde_json::to_writer_pretty(&mut out, &document_json(doc))?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let d = &doc.doc;
    let field = |name: &str, value: Option<String>| {
        format!("{name:<12} {}\n", value.unwrap_or_else(|| "-".into()))
    };
    let mut head = String::new();
    head += &field("id", Some(doc.id.to_string()));
    head += &field("external id", d.external_id.clone());
    head += &field("status", Some(d.status.as_str().to_string()));
    head += &field("error", d.error.clone());
    head += &field("source", Some(d.source.to_string()));
    head += &field("format", d.format.map(|f| f.to_string()));
    head += &field("title", d.title.clone());
    head += &field("url", d.url.clone());
    head += &field("published", d.published.map(|p| p.to_string()));
    head += &field("language", d.language.clone());
    head += &field("ingested", Some(doc.ingested_at.to_rfc3339()));
    head += &field("attempts", Some(doc.attempts.to_string()));
    head += &field("hash", Some(d.content_hash.to_hex()));
    write!(out, "{head}")?;
    if let Some(text) = &d.text {
        writeln!(out, "\n{text}")?;
    }
    Ok(ExitCode::SUCCESS)
}
