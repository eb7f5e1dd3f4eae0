//! `truce events`: list extracted events.

use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;
use truce_store::EventQuery;

use super::Context;
use crate::format::clip;

/// Arguments of `truce events`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only events on or after this date.
    #[arg(long, value_parser = crate::format::day)]
    since: Option<NaiveDate>,

    /// Only events of this ACLED event type or sub-event type ("Battles", "Air/drone strike").
    #[arg(long = "type")]
    event_type: Option<String>,

    /// One JSON object a line: the event record, with its document's id and external id.
    #[arg(long)]
    json: bool,

    /// At most this many (default: all with --json, 50 otherwise).
    #[arg(long)]
    limit: Option<u64>,
}

/// Lists events a page at a time.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let limit = args.limit.unwrap_or(if args.json { u64::MAX } else { 50 });
    let mut query = EventQuery {
        since: args.since.map(|d| d.format("%Y-%m-%d").to_string()),
        event_type: args.event_type.clone(),
        after: None,
        limit: Some(1000),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if !args.json {
        writeln!(
            out,
            "{:>6} {:>5}  {:<10}  {:<34} {:<24} {:>6}  PERPETRATOR",
            "EVENT", "DOC", "DATE", "TYPE", "PLACE", "KILLED"
        )?;
    }
    let mut shown = 0u64;
    'pages: loop {
        let page = store.events(&query).await?;
        let Some(last) = page.last() else { break };
        query.after = Some(last.id);
        for e in &page {
            if shown >= limit {
                break 'pages;
            }
            shown += 1;
            if args.json {
                let mut value = serde_json::to_value(&e.event)?;
                value["document_id"] = serde_json::json!(e.document_id);
                value["external_id"] = serde_json::json!(e.external_id);
                value["extractor_version"] = serde_json::json!(e.extractor_version);
                serde_json::to_writer(&mut out, &value)?;
                writeln!(out)?;
            } else {
                let ev = &e.event;
                let place = ev
                    .location
                    .as_ref()
                    .map(|l| format!("{} ({})", l.name, l.country.as_deref().unwrap_or("?")))
                    .unwrap_or_else(|| "-".into());
                let killed = ev
                    .fatalities
                    .and_then(|f| f.low.or(f.best))
                    .map_or("-".to_string(), |k| k.to_string());
                let perp: Vec<&str> = ev
                    .actors
                    .iter()
                    .filter(|a| a.role == truce_model::ActorRole::Perpetrator)
                    .map(|a| a.name.as_str())
                    .collect();
                writeln!(
                    out,
                    "{:>6} {:>5}  {:<10}  {:<34} {:<24} {:>6}  {}",
                    e.id,
                    e.document_id,
                    crate::format::day_or(ev.date, "-"),
                    clip(ev.sub_event_type.as_deref().unwrap_or(&ev.event_type), 34),
                    clip(&place, 24),
                    killed,
                    clip(&perp.join(", "), 40)
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
