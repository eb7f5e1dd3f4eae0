//! `truce statements`: who said what, from stored documents.

use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;
use truce_store::StatementQuery;

use super::Context;
use crate::format::clip;

/// Arguments of `truce statements`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only statements whose speaker contains this (case-insensitive): "Kerry", "envoy".
    #[arg(long)]
    speaker: Option<String>,

    /// Only statements of reports published on or after this date.
    #[arg(long, value_parser = crate::format::day)]
    since: Option<NaiveDate>,

    /// One JSON object a line: the statement, with its document's id, external id and date.
    #[arg(long)]
    json: bool,

    /// At most this many (default: all with --json, 50 otherwise).
    #[arg(long)]
    limit: Option<u64>,

    /// Only the diplomatic track: statements about the ceasefire or the talks.
    #[arg(long, value_enum)]
    topic: Option<Topic>,
}

/// What a statement on the diplomatic track is about.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Topic {
    /// The ceasefire itself ("the cease-fire is barely alive").
    Ceasefire,
    /// The talks ("a fourth round next month").
    Talks,
    /// Either.
    Any,
}

/// Lists statements a page at a time.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let limit = args.limit.unwrap_or(if args.json { u64::MAX } else { 50 });
    let mut query = StatementQuery {
        speaker: args.speaker.clone(),
        since: args.since.map(|d| d.format("%Y-%m-%d").to_string()),
        after: None,
        limit: Some(1000),
        topic: args.topic.map(|t| match t {
            Topic::Ceasefire => "ceasefire".to_string(),
            Topic::Talks => "talks".to_string(),
            Topic::Any => String::new(),
        }),
        newest_first: false,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut shown = 0u64;
    'pages: loop {
        let page = store.statements(&query).await?;
        let Some(last) = page.last() else { break };
        query.after = Some(last.id);
        for s in &page {
            if shown >= limit {
                break 'pages;
            }
            shown += 1;
            let st = &s.statement;
            if args.json {
                let mut value = serde_json::to_value(st)?;
                value["document_id"] = serde_json::json!(s.document_id);
                value["external_id"] = serde_json::json!(s.external_id);
                value["date"] = serde_json::json!(s.date);
                serde_json::to_writer(&mut out, &value)?;
                writeln!(out)?;
            } else {
                let who = [
                    st.speaker.as_deref(),
                    st.title.as_deref(),
                    st.organization.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                let quote = if st.direct {
                    format!("“{}”", clip(&st.text, 90))
                } else {
                    clip(&st.text, 92)
                };
                writeln!(
                    out,
                    "{}  {} {}{}\n      {}\n      — document {}{}",
                    s.date.as_deref().unwrap_or("----------"),
                    if who.is_empty() {
                        "(unattributed)".to_string()
                    } else {
                        who
                    },
                    st.cue.as_deref().unwrap_or(""),
                    st.stance
                        .as_deref()
                        .map(|s| format!(" [{s}]"))
                        .unwrap_or_default(),
                    quote,
                    s.document_id,
                    s.source_title
                        .as_deref()
                        .map(|t| format!(": {}", clip(t, 60)))
                        .unwrap_or_default()
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
