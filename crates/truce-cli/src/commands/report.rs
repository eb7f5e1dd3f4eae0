//! `truce report daily`: the daily situation report, gathered from the store and rendered by
//! `truce-report`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::NaiveDate;
use truce_model::DocumentId;
use truce_report::daily::ReportSource;
use truce_report::svg::MapPoint;
use truce_report::{DailyReport, NotableIncident, ReportStatement};
use truce_store::{IncidentQuery, StatementQuery, Store};

use super::Context;

/// Arguments of `truce report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    kind: Kind,
}

#[derive(Debug, clap::Subcommand)]
enum Kind {
    /// The daily situation report of one day.
    Daily {
        /// The day (YYYY-MM-DD).
        #[arg(long)]
        date: String,
        /// `md` (default), `html` or `pdf`.
        #[arg(long, default_value = "md")]
        format: String,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// How many notable incidents a report tells in full.
const NOTABLE: usize = 10;

/// Gathers the report of `date` from the store.
pub async fn gather(store: &dyn Store, date: NaiveDate) -> anyhow::Result<DailyReport> {
    let day = date.to_string();
    let counts = truce_pipeline::monitor::day_counts(store, date).await?;
    let health =
        truce_pipeline::monitor::health(store, date - chrono::Duration::days(29), date, None)
            .await?;
    let mut incidents = store
        .incidents(&IncidentQuery {
            since: Some(day.clone()),
            until: Some(day.clone()),
            limit: Some(100_000),
            ..Default::default()
        })
        .await?;
    // Retracted and discounted incidents are not reported (nor counted: `day_counts` and
    // `health` leave them out too).
    incidents.retain(|i| !i.retracted && i.status != truce_model::ReviewStatus::Discounted);
    let ids: Vec<i64> = incidents.iter().map(|i| i.id).collect();
    let assessments: BTreeMap<i64, String> = store
        .assessments(Some(&ids))
        .await?
        .into_iter()
        .map(|a| (a.incident_id, a.verdict))
        .collect();
    let mut verdicts: BTreeMap<String, u32> = BTreeMap::new();
    for v in assessments.values() {
        *verdicts.entry(v.clone()).or_default() += 1;
    }
    let day_ids: BTreeSet<i64> = ids.iter().copied().collect();
    let mut alerts_of: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut alert_lines = Vec::new();
    for a in &truce_pipeline::monitor::standing(store.alerts_of(&ids).await?) {
        if !day_ids.contains(&a.incident_id) {
            continue;
        }
        let incident = incidents.iter().find(|i| i.id == a.incident_id);
        alert_lines.push(truce_pipeline::monitor::describe_alert(
            a,
            incident.map(|i| &i.incident),
        ));
        alerts_of
            .entry(a.incident_id)
            .or_default()
            .push(a.label.clone());
    }
    alert_lines.sort();

    let points: Vec<MapPoint> = incidents
        .iter()
        .filter_map(|s| {
            let l = s.incident.location.as_ref()?;
            let killed = s.incident.fatalities.and_then(|f| f.high).unwrap_or(0);
            Some(MapPoint {
                lat: l.lat?,
                lon: l.lon?,
                label: l.name.clone(),
                colour: match assessments.get(&s.id).map(String::as_str) {
                    Some("likely violation") => "#b2182b",
                    Some("unclear") => "#ef8a62",
                    _ => "#999999",
                }
                .into(),
                radius: 4.0 + (f64::from(killed)).sqrt().min(8.0),
            })
        })
        .collect();

    // Most serious first: alerts, likely violations, then deaths, then sources.
    let mut ranked: Vec<_> = incidents.iter().collect();
    ranked.sort_by_key(|s| {
        (
            std::cmp::Reverse(alerts_of.contains_key(&s.id)),
            std::cmp::Reverse(
                assessments.get(&s.id).map(String::as_str) == Some("likely violation"),
            ),
            std::cmp::Reverse(s.incident.fatalities.and_then(|f| f.high).unwrap_or(0)),
            std::cmp::Reverse(s.incident.sources.len()),
            s.id,
        )
    });
    let mut notable = Vec::new();
    let mut talk_docs: BTreeSet<i64> = BTreeSet::new();
    for s in ranked.into_iter().take(NOTABLE) {
        let i = &s.incident;
        let mut sources = Vec::new();
        let events = store.events_by_ref(&i.sources).await?;
        for e in &events {
            talk_docs.insert(e.document_id.0);
            let Some(doc) = store.document(e.document_id).await? else {
                continue;
            };
            let text = doc.doc.text.as_deref().unwrap_or("");
            let sentence = e
                .event
                .evidence
                .first()
                .and_then(|ev| text.get(ev.start..ev.end))
                .map(|t| t.trim().to_string());
            sources.push(ReportSource {
                title: doc
                    .doc
                    .title
                    .clone()
                    .or(doc.doc.external_id.clone())
                    .unwrap_or_else(|| format!("document {}", doc.id.0)),
                url: doc.doc.url.clone(),
                sentence,
            });
        }
        notable.push(NotableIncident {
            id: s.id,
            place: i
                .location
                .as_ref()
                .map_or("an unknown place".into(), |l| l.name.clone()),
            event_type: match &i.sub_event_type {
                Some(sub) => format!("{} ({sub})", i.event_type),
                None => i.event_type.clone(),
            },
            fatalities: match i.fatalities {
                Some(f) if f.low != f.high => {
                    format!("{}-{}", f.low.unwrap_or(0), f.high.unwrap_or(0))
                }
                Some(f) => f.low.unwrap_or(0).to_string(),
                None => "not reported".into(),
            },
            perpetrators: i.perpetrators.iter().map(|p| p.name.clone()).collect(),
            verdict: assessments.get(&s.id).cloned(),
            alerts: alerts_of.get(&s.id).cloned().unwrap_or_default(),
            status: s.status.as_str().to_string(),
            sources,
        });
    }

    let mut statements = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .statements(&StatementQuery {
                since: Some(day.clone()),
                after,
                limit: Some(1000),
                ..Default::default()
            })
            .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        for st in page
            .into_iter()
            .filter(|s| s.date.as_deref() == Some(day.as_str()))
        {
            talk_docs.insert(st.document_id.0);
            let s = &st.statement;
            let mut parts: Vec<String> = Vec::new();
            for p in [&s.speaker, &s.title, &s.organization]
                .into_iter()
                .flatten()
            {
                if !parts.iter().any(|q| q.eq_ignore_ascii_case(p)) {
                    parts.push(p.clone());
                }
            }
            let speaker = parts.join(", ");
            statements.push(ReportStatement {
                speaker: if speaker.is_empty() {
                    "unnamed".into()
                } else {
                    speaker
                },
                text: s.text.clone(),
                source: st
                    .source_title
                    .clone()
                    .unwrap_or_else(|| format!("document {}", st.document_id.0)),
            });
        }
    }
    let mut talks = BTreeSet::new();
    for d in talk_docs {
        if let Some(x) = store.extraction(DocumentId(d)).await? {
            for t in &x.record.talks {
                let mut line = t.name.clone();
                for part in [&t.place, &t.mediator, &t.date, &t.status]
                    .into_iter()
                    .flatten()
                {
                    line.push_str(&format!("; {part}"));
                }
                talks.insert(line);
            }
        }
    }

    let (agreement, health, health_by_area) = match health {
        Some((series, areas)) => (Some(series.agreement), series.points, areas),
        None => (None, Vec::new(), Vec::new()),
    };
    Ok(DailyReport {
        date,
        agreement,
        producer: format!("truce {}", env!("CARGO_PKG_VERSION")),
        counts,
        verdicts,
        health,
        health_by_area,
        points,
        notable,
        alerts: alert_lines,
        statements,
        talks: talks.into_iter().collect(),
        audit_head: None,
    })
}

/// Runs `truce report`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let Kind::Daily {
        date,
        format,
        output,
    } = args.kind;
    let day = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("--date {date:?} is not a date (YYYY-MM-DD)"))?;
    if !matches!(format.as_str(), "md" | "html" | "pdf") {
        anyhow::bail!("--format {format:?}: use md, html or pdf");
    }
    let store = cx.store().await?;
    let mut report = gather(store.as_ref(), day).await?;
    // Each report pins the audit log as it stands: a head anyone can hold it to later.
    if let Some(key) = cx.signing_key()? {
        report.audit_head = Some(
            truce_pipeline::audit::issue_head(store.as_ref(), &key)
                .await?
                .to_string(),
        );
    }
    let bytes: Vec<u8> = match format.as_str() {
        "md" => report.to_markdown().into_bytes(),
        "html" => report.to_html().into_bytes(),
        _ => truce_report::pdf::render(&report),
    };
    match output {
        Some(path) => std::fs::write(&path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
