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
    #[arg(long, value_parser = crate::format::day)]
    published: Option<NaiveDate>,

    /// Indent the JSON of a single record.
    #[arg(long)]
    pretty: bool,

    /// Say how each learned choice of a single text was made instead of printing the record:
    /// per event, the candidates the rules proposed, the model's probability for each and the
    /// features that weighed most.
    #[arg(long, conflicts_with = "jsonl")]
    explain: bool,

    /// Decide with the rules alone, without the learned models.
    #[arg(long)]
    rules_only: bool,
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
    let mut extractor = extractor(cx)?;
    if args.rules_only {
        extractor = extractor.with_models(truce_extract::Models::none());
    }
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
            (p.display().to_string(), truce_ingest::decode(&bytes).text)
        }
    };
    let input = ExtractInput {
        id,
        text,
        published: args.published,
    };
    let (record, choices) = extractor.extract_explained(&input);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.explain {
        write!(
            out,
            "{}",
            explain(&extractor, &record, &input.text, &choices)
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.pretty {
        serde_json::to_writer_pretty(&mut out, &record)?;
    } else {
        serde_json::to_writer(&mut out, &record)?;
    }
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// One decision's candidates: the chosen marked, each with its probability and the features
/// that weighed most.
fn write_candidates(out: &mut String, extractor: &Extractor, choice: &truce_extract::Choice) {
    use std::fmt::Write as _;
    // Every sub-event type is a candidate: the five most probable say enough.
    let shown = match choice.decision {
        "sub_event" => 5,
        _ => choice.candidates.len(),
    };
    for c in choice.candidates.iter().take(shown) {
        let p = c
            .probability
            .map_or("rules".to_string(), |p| format!("{p:.3}"));
        let _ = writeln!(
            out,
            "  {} {:<48} p={p}",
            if c.chosen { "*" } else { " " },
            c.name
        );
        let model = extractor.models().get(choice.decision);
        let contributions = match (&c.probability, model) {
            (Some(_), Some(m)) => m.contributions(&c.features),
            _ => Vec::new(),
        };
        let strongest: Vec<String> = contributions
            .iter()
            .take(5)
            .map(|(n, w)| format!("{n} {w:+.2}"))
            .collect();
        if !strongest.is_empty() {
            let _ = writeln!(out, "      {}", strongest.join(", "));
        }
    }
}

/// The explanation of a record's learned choices, as text: each event's sub-event type,
/// perpetrator and toll, then each place name's place.
fn explain(
    extractor: &Extractor,
    record: &truce_model::Extraction,
    record_text: &str,
    choices: &[truce_extract::Choice],
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if record.events.is_empty() {
        out.push_str("no event: nothing was decided\n");
    }
    for (i, e) in record.events.iter().enumerate() {
        let place = e.location.as_ref().map_or("no place", |l| l.name.as_str());
        let _ = writeln!(
            out,
            "event {}: {} ({}), {}",
            i + 1,
            e.sub_event_type.as_deref().unwrap_or(&e.event_type),
            place,
            crate::format::day_or(e.date, "no date")
        );
        let event_choices: Vec<&truce_extract::Choice> = choices
            .iter()
            .filter(|c| c.subject == truce_extract::Subject::Event(i))
            .collect();
        for choice in &event_choices {
            let _ = writeln!(out, "  {}:", choice.decision);
            write_candidates(&mut out, extractor, choice);
        }
        if !event_choices.iter().any(|c| c.decision == "perpetrator") {
            let _ = writeln!(
                out,
                "  perpetrator: not decided (ACLED names none for a {})",
                e.event_type
            );
        }
    }
    for choice in choices.iter().filter(|c| c.decision == "place") {
        let truce_extract::Subject::Mention { start, end } = choice.subject else {
            continue;
        };
        let name: String = record_text
            .chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect();
        let _ = writeln!(out, "place {name:?} (chars {start}-{end}):");
        write_candidates(&mut out, extractor, choice);
    }
    out
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
