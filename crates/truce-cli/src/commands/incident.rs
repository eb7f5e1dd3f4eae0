//! `truce incident ID`: one incident, merged, then every source with its sentence.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use truce_model::EventRef;
use truce_model::correction::shown;

use super::Context;
use super::incidents::{incident_json, killed_range, source_documents};

/// Arguments of `truce incident`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The incident's id (as `truce incidents` lists them).
    id: i64,

    /// The merged record as JSON, with its source documents.
    #[arg(long)]
    json: bool,
}

/// Shows an incident.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let Some(stored) = store.incident(args.id).await? else {
        bail!("no incident {} (see `truce incidents`)", args.id);
    };
    if args.json {
        let documents = source_documents(store.as_ref(), std::slice::from_ref(&stored)).await?;
        writeln!(out, "{}", incident_json(&stored, &documents)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let i = &stored.incident;
    writeln!(
        out,
        "incident {}{}  ({})",
        stored.id,
        if stored.retracted { "  RETRACTED" } else { "" },
        stored.status.as_str()
    )?;
    writeln!(
        out,
        "  what      {}{}",
        i.event_type,
        i.sub_event_type
            .as_deref()
            .map_or(String::new(), |s| format!(" / {s}"))
    )?;
    let date = match (&i.date, &i.date_end) {
        (Some(d), Some(e)) => format!("{d} to {e}"),
        (Some(d), None) => d.to_string(),
        _ => "-".into(),
    };
    writeln!(out, "  when      {date} (precision {})", i.time_precision)?;
    if let Some(l) = &i.location {
        writeln!(
            out,
            "  where     {}{}{} (precision {}){}",
            l.name,
            l.admin1
                .as_deref()
                .map_or(String::new(), |a| format!(", {a}")),
            l.country
                .as_deref()
                .map_or(String::new(), |c| format!(", {c}")),
            l.geo_precision.unwrap_or(3),
            match (l.lat, l.lon) {
                (Some(lat), Some(lon)) => format!(" at {lat:.4},{lon:.4}"),
                _ => String::new(),
            }
        )?;
    }
    writeln!(out, "  killed    {}", killed_range(i))?;
    if let Some(inj) = i.injured {
        writeln!(
            out,
            "  injured   {}-{}",
            inj.low.unwrap_or(0),
            inj.high.map_or("?".into(), |h| h.to_string())
        )?;
    }
    if let Some(t) = &i.target {
        writeln!(out, "  target    {t}")?;
    }
    if let Some(from) = &i.fatalities_from {
        let name = |k: Option<truce_model::EventRef>| k.map_or("-".to_string(), |k| k.to_string());
        writeln!(
            out,
            "  toll from lowest {}, best {}, highest {}",
            name(from.low),
            name(from.best),
            name(from.high)
        )?;
    }
    for p in &i.perpetrators {
        let by: Vec<String> = p.named_by.iter().map(ToString::to_string).collect();
        writeln!(
            out,
            "  blamed    {} (by {} source{}{}{})",
            p.name,
            p.sources,
            if p.sources == 1 { "" } else { "s" },
            if by.is_empty() { "" } else { ": " },
            by.join(", ")
        )?;
    }
    writeln!(
        out,
        "  reported  {} to {}",
        crate::format::day_or(i.first_reported, "-"),
        crate::format::day_or(i.last_reported, "-")
    )?;
    let corrections = store.corrections(stored.id).await?;
    if !corrections.is_empty() {
        writeln!(out, "\ncorrections (the record above is as corrected):")?;
    }
    for c in &corrections {
        let at = c.corrected_at.format("%Y-%m-%d %H:%M");
        match &c.field {
            Some(field) => writeln!(
                out,
                "  {at}  {field} from {} to {} by {}: {}",
                shown(c.old_value.as_deref()),
                shown(c.new_value.as_deref()),
                c.corrected_by,
                c.reason
            )?,
            None => writeln!(out, "  {at}  retracted by {}: {}", c.corrected_by, c.reason)?,
        }
    }
    writeln!(
        out,
        "\n{} source event{}:",
        i.sources.len(),
        if i.sources.len() == 1 { "" } else { "s" }
    )?;
    let events = store.events_by_ref(&i.sources).await?;
    for r in &i.sources {
        let Some(e) = events.iter().find(|e| {
            EventRef {
                document: e.document_id.0,
                ordinal: e.ordinal,
            } == *r
        }) else {
            writeln!(out, "\n  {r}  (no longer extracted)")?;
            continue;
        };
        let doc = store.document(e.document_id).await?;
        let title = doc.as_ref().and_then(|d| d.doc.title.clone());
        let killed = e
            .event
            .fatalities
            .and_then(|f| f.low.or(f.best))
            .map_or("-".into(), |k| k.to_string());
        writeln!(
            out,
            "\n  {r}  document {}{}  published {}  killed {killed}  {}",
            e.document_id,
            e.external_id
                .as_deref()
                .map_or(String::new(), |x| format!(" ({x})")),
            e.published.map_or("-".into(), |p| p.to_string()),
            e.event
                .location
                .as_ref()
                .map_or(String::new(), |l| format!("at {}", l.name)),
        )?;
        if let Some(t) = title {
            writeln!(out, "      {t}")?;
        }
        let text = doc.and_then(|d| d.doc.text).unwrap_or_default();
        for ev in &e.event.evidence {
            let sentence: String = text
                .chars()
                .skip(ev.start)
                .take(ev.end.saturating_sub(ev.start))
                .collect();
            writeln!(
                out,
                "      \"{}\"",
                sentence.split_whitespace().collect::<Vec<_>>().join(" ")
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
