//! `truce extract`: run the engine over a text or a JSONL stream (the public record format).

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Deserialize;
use truce_extract::{ExtractInput, Extractor};

use super::Context;

/// Arguments of `truce extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A text file, or `-` for standard input. With --jsonl: a JSONL file (default: standard
    /// input).
    input: Option<PathBuf>,

    /// Read one JSON record a line ({"id", "text", "published"?}) and write one extraction
    /// record a line, in input order.
    #[arg(long)]
    jsonl: bool,

    /// Publication date of a single text (YYYY-MM-DD): relative dates are resolved against it.
    #[arg(long)]
    published: Option<NaiveDate>,

    /// Indent the JSON of a single record.
    #[arg(long)]
    pretty: bool,
}

#[derive(Deserialize)]
struct Record {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    published: Option<String>,
}

/// Builds the engine with the embedded gazetteer and the user's imported places.
pub fn extractor(cx: &Context) -> anyhow::Result<Extractor> {
    let gazetteer = super::gazetteer::load(cx)?;
    Ok(Extractor::with_gazetteer(Arc::new(gazetteer))?)
}

/// Runs the engine.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let extractor = extractor(cx)?;
    if args.jsonl {
        return run_jsonl(&extractor, args.input.as_deref());
    }
    let (id, text) = match args.input.as_deref() {
        None => bail!("name a text file, or `-` for standard input (or use --jsonl)"),
        Some(p) if p.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read standard input as UTF-8 text")?;
            ("-".to_string(), text)
        }
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            (p.display().to_string(), truce_pipeline::decode(&bytes).text)
        }
    };
    let record = extractor.extract(&ExtractInput {
        id,
        text,
        published: args.published,
    });
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.pretty {
        serde_json::to_writer_pretty(&mut out, &record)?;
    } else {
        serde_json::to_writer(&mut out, &record)?;
    }
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

fn run_jsonl(extractor: &Extractor, input: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let reader: Box<dyn BufRead> = match input {
        None => Box::new(std::io::BufReader::new(std::io::stdin())),
        Some(p) if p.as_os_str() == "-" => Box::new(std::io::BufReader::new(std::io::stdin())),
        Some(p) => Box::new(std::io::BufReader::new(
            std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?,
        )),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut lines = reader.lines().enumerate();
    loop {
        // Read a chunk, extract it on every core, write it in input order.
        let mut chunk: Vec<(usize, String)> = Vec::with_capacity(512);
        for (n, line) in lines.by_ref() {
            let line = line.with_context(|| format!("cannot read line {}", n + 1))?;
            if !line.trim().is_empty() {
                chunk.push((n + 1, line));
            }
            if chunk.len() == 512 {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        let results: Vec<Result<String, String>> = chunk
            .par_iter()
            .map(|(n, line)| {
                let record: Record =
                    serde_json::from_str(line).map_err(|e| format!("line {n}: {e}"))?;
                let id = match record.id {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                let published = match record.published.as_deref() {
                    None | Some("") => None,
                    Some(p) => {
                        Some(NaiveDate::parse_from_str(p, "%Y-%m-%d").map_err(|_| {
                            format!("line {n}: \"published\" {p:?} is not YYYY-MM-DD")
                        })?)
                    }
                };
                let extraction = extractor.extract(&ExtractInput {
                    id,
                    text: record.text,
                    published,
                });
                serde_json::to_string(&extraction).map_err(|e| format!("line {n}: {e}"))
            })
            .collect();
        for result in results {
            match result {
                Ok(json) => writeln!(out, "{json}")?,
                Err(e) => {
                    failed += 1;
                    eprintln!("skipped {e}");
                }
            }
        }
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
