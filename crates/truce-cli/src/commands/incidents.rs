//! `truce incidents`: list incidents, and correct the resolver (merge, split).

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;
use truce_app::decisions::DecisionOutcome;
use truce_model::EventRef;
use truce_store::{IncidentQuery, Store, StoredIncident};

use super::Context;
use crate::format::clip;

/// Arguments of `truce incidents`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,

    /// Only incidents on or after this date.
    #[arg(long, value_parser = crate::format::day)]
    since: Option<NaiveDate>,

    /// Only incidents on or before this date.
    #[arg(long, value_parser = crate::format::day)]
    until: Option<NaiveDate>,

    /// Only incidents within KM kilometres of a point: LAT,LON,KM (e.g. 36.2,37.15,10).
    #[arg(long, value_name = "LAT,LON,KM", value_parser = parse_near)]
    near: Option<Near>,

    /// Only incidents of this ACLED event type or sub-event type.
    #[arg(long = "type")]
    event_type: Option<String>,

    /// Only incidents in this place, first-order area or country, in any spelling the
    /// gazetteer knows ("ariha", "Idleb", "SY", "أريحا").
    #[arg(long)]
    area: Option<String>,

    /// Only incidents that name every one of these words (place, area, country, types,
    /// target, perpetrators) or whose reports say them, in any case and without diacritics;
    /// among the 2,000 newest matches of each.
    #[arg(long)]
    text: Option<String>,

    /// One JSON object a line: the incident with its id and its source documents.
    #[arg(long)]
    json: bool,

    /// At most this many (default: all with --json, 50 otherwise); the line under the table
    /// says how many match ("50 of 191 incidents shown").
    #[arg(long)]
    limit: Option<u64>,
}

/// Corrections.
#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Merge incident B into incident A: their events are one occurrence, whatever the rules
    /// later say.
    Merge {
        /// The incident to keep.
        a: i64,
        /// The incident merged into it.
        b: i64,
        /// Who decides (default: $USER).
        #[arg(long)]
        by: Option<String>,
        /// Why.
        #[arg(long)]
        note: Option<String>,
    },
    /// Take an event out of an incident: it is a different occurrence from every other event
    /// there, whatever the rules later say.
    Split {
        /// The incident.
        id: i64,
        /// The event to take out, as DOCUMENT:ORDINAL (as `truce incident ID` lists them).
        #[arg(long, value_name = "DOCUMENT:ORDINAL")]
        event: EventRef,
        /// Who decides (default: $USER).
        #[arg(long)]
        by: Option<String>,
        /// Why.
        #[arg(long)]
        note: Option<String>,
    },
}

/// A point and a radius.
#[derive(Debug, Clone, Copy)]
pub struct Near {
    lat: f64,
    lon: f64,
    km: f64,
}

fn parse_near(s: &str) -> Result<Near, String> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    let [lat, lon, km] = parts.as_slice() else {
        return Err(format!("{s:?}: expected LAT,LON,KM (e.g. 36.2,37.15,10)"));
    };
    let num = |v: &str, what: &str| {
        v.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("{v:?} is not a {what}"))
    };
    let (lat, lon, km) = (
        num(lat, "latitude")?,
        num(lon, "longitude")?,
        num(km, "distance")?,
    );
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("{lat},{lon} is not a point on Earth"));
    }
    if !(0.0..=20_000.0).contains(&km) {
        return Err(format!("{km} km is not a usable radius"));
    }
    Ok(Near { lat, lon, km })
}

/// Runs `truce incidents`.
pub async fn run(cx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = cx.store().await?;
    match args.action {
        Some(Action::Merge { a, b, by, note }) => {
            merge(cx, store.as_ref(), a, b, who(by), note).await
        }
        Some(Action::Split {
            id,
            event,
            by,
            note,
        }) => split(cx, store.as_ref(), id, event, who(by), note).await,
        None => list(cx, store.as_ref(), &args).await,
    }
}

fn who(by: Option<String>) -> String {
    by.or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// Prints what a decision changed: the incidents before, then after.
fn show(outcome: &DecisionOutcome) {
    println!("before:");
    for shape in &outcome.before {
        println!("  {shape}");
    }
    println!("after:");
    for shape in &outcome.after {
        println!("  {shape}");
    }
}

async fn merge(
    cx: &Context,
    store: &dyn Store,
    a: i64,
    b: i64,
    by: String,
    note: Option<String>,
) -> anyhow::Result<ExitCode> {
    let outcome =
        truce_app::decisions::merge(store, a, b, &by, note.as_deref(), cx.config.monitor.rule())
            .await?;
    let events: usize = outcome.before.iter().map(|s| s.events.len()).sum();
    let now: Vec<String> = outcome.after.iter().map(|s| s.id.to_string()).collect();
    println!(
        "merged incidents {a} and {b}: their {events} events are now incident {} (decided by {by})",
        now.join(" and ")
    );
    show(&outcome);
    Ok(ExitCode::SUCCESS)
}

async fn split(
    cx: &Context,
    store: &dyn Store,
    id: i64,
    event: EventRef,
    by: String,
    note: Option<String>,
) -> anyhow::Result<ExitCode> {
    let outcome = truce_app::decisions::split(
        store,
        id,
        event,
        &by,
        note.as_deref(),
        cx.config.monitor.rule(),
    )
    .await?;
    let now = outcome
        .after
        .iter()
        .find(|s| s.events.contains(&event))
        .map_or("-".to_string(), |s| s.id.to_string());
    println!(
        "split event {event} from incident {id}: it alone moved, to incident {now}; the other events stay together (decided by {by})"
    );
    show(&outcome);
    Ok(ExitCode::SUCCESS)
}

async fn list(cx: &Context, store: &dyn Store, args: &Args) -> anyhow::Result<ExitCode> {
    let limit = args.limit.unwrap_or(if args.json { u64::MAX } else { 50 });
    let bbox = args
        .near
        .map(|n| truce_geo::distance::box_around(n.lat, n.lon, n.km));
    // ACLED's spelling, whatever the case typed ("battles"); an unknown type is an error, not an
    // empty list.
    let event_type = match args.event_type.as_deref() {
        None => None,
        Some(t) => Some(
            truce_model::EventType::parse(t)
                .map(|t| t.name())
                .or_else(|| truce_model::SubEvent::parse(t).map(|s| s.name()))
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "--type {t:?} is not an ACLED event or sub-event type ({}, or a \
                         sub-event type such as \"Air/drone strike\")",
                        truce_model::EventType::ALL.map(|t| t.name()).join(", ")
                    )
                })?
                .to_string(),
        ),
    };
    // The area's forms in the gazetteer the record is geocoded with (embedded and imported).
    let area = match args
        .area
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        Some(a) => Some(truce_app::area::filter(&super::gazetteer::load(cx)?, a)),
        None => None,
    };
    let mut query = IncidentQuery {
        since: args.since.map(|d| d.to_string()),
        until: args.until.map(|d| d.to_string()),
        event_type,
        bbox,
        area,
        text: args.text.clone().filter(|t| !t.trim().is_empty()),
        // Whoever runs the command reads the database file, the reports included.
        text_in_reports: true,
        offset: Some(0),
        limit: Some(500),
        ..IncidentQuery::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if !args.json {
        writeln!(
            out,
            "{:>6}  {:<10}  {:<30} {:<24} {:>9} {:>7}  PERPETRATORS",
            "ID", "DATE", "TYPE", "PLACE", "KILLED", "SOURCES"
        )?;
    }
    let mut shown = 0u64;
    let mut more = false;
    'pages: loop {
        let page = store.incidents(&query).await?;
        if page.is_empty() {
            break;
        }
        query.offset = Some(query.offset.unwrap_or(0) + page.len() as u32);
        let page: Vec<StoredIncident> = page
            .into_iter()
            .filter(|i| {
                let Some(n) = args.near else { return true };
                let point = i
                    .incident
                    .location
                    .as_ref()
                    .and_then(|l| Some((l.lat?, l.lon?)));
                point.is_some_and(|p| truce_geo::distance::distance_km(p, (n.lat, n.lon)) <= n.km)
            })
            .collect();
        let documents = if args.json {
            source_documents(store, &page).await?
        } else {
            BTreeMap::new()
        };
        for i in &page {
            if shown >= limit {
                more = true;
                break 'pages;
            }
            shown += 1;
            if args.json {
                writeln!(out, "{}", incident_json(i, &documents)?)?;
            } else {
                writeln!(out, "{}", incident_line(i))?;
            }
        }
    }
    if !args.json {
        // The count under the table: all of them, or how many of how many.
        let noun = |n: u64| if n == 1 { "incident" } else { "incidents" };
        if !more {
            writeln!(out, "{shown} {}", noun(shown))?;
        } else if args.near.is_none() {
            let total = store.incident_count(&query).await?;
            writeln!(
                out,
                "{shown} of {total} {} shown (--limit N for more, --json for all)",
                noun(total)
            )?;
        } else {
            writeln!(
                out,
                "{shown} {} shown; more match (--limit N for more, --json for all)",
                noun(shown)
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Document id -> external id, for every source of these incidents.
pub async fn source_documents(
    store: &dyn Store,
    incidents: &[StoredIncident],
) -> anyhow::Result<BTreeMap<i64, Option<String>>> {
    let refs: Vec<EventRef> = incidents
        .iter()
        .flat_map(|i| i.incident.sources.iter().copied())
        .collect();
    let mut map = BTreeMap::new();
    for chunk in refs.chunks(2000) {
        for e in store.events_by_ref(chunk).await? {
            map.insert(e.document_id.0, e.external_id);
        }
    }
    Ok(map)
}

/// The JSON form: the merged record, its id, and its source documents by id and external id.
pub fn incident_json(
    i: &StoredIncident,
    documents: &BTreeMap<i64, Option<String>>,
) -> anyhow::Result<String> {
    let mut value = serde_json::to_value(&i.incident)?;
    value["id"] = serde_json::json!(i.id);
    value["sources"] = serde_json::Value::Array(
        i.incident
            .sources
            .iter()
            .map(|s| {
                serde_json::json!({
                    "event": s.to_string(),
                    "document_id": s.document,
                    "ordinal": s.ordinal,
                    "external_id": documents.get(&s.document).cloned().flatten(),
                })
            })
            .collect(),
    );
    let ids = i.incident.documents();
    value["documents"] = serde_json::Value::Array(
        ids.iter()
            .map(|d| serde_json::json!({"id": d, "external_id": documents.get(d).cloned().flatten()}))
            .collect(),
    );
    value["updated_at"] = serde_json::json!(i.updated_at.to_rfc3339());
    value["status"] = serde_json::json!(i.status.as_str());
    value["retracted"] = serde_json::json!(i.retracted);
    Ok(serde_json::to_string(&value)?)
}

fn killed(i: &truce_model::Incident) -> String {
    match i.fatalities {
        Some(f) if f.low != f.high => format!(
            "{}-{}",
            f.low.unwrap_or(0),
            f.high.map_or("?".into(), |h| h.to_string())
        ),
        Some(f) => f.low.map_or("-".into(), |l| l.to_string()),
        None => "-".into(),
    }
}

fn incident_line(s: &StoredIncident) -> String {
    let i = &s.incident;
    let place = i
        .location
        .as_ref()
        .map(|l| format!("{} ({})", l.name, l.country.as_deref().unwrap_or("?")))
        .unwrap_or_else(|| "-".into());
    let mut documents: Vec<i64> = i.sources.iter().map(|r| r.document).collect();
    documents.dedup();
    let perps: Vec<String> = i
        .perpetrators
        .iter()
        .map(|p| format!("{} ({})", p.name, p.sources))
        .collect();
    let mark = if s.retracted {
        "R"
    } else if s.status == truce_model::ReviewStatus::Discounted {
        "D"
    } else {
        " "
    };
    format!(
        "{:>6}{mark} {:<10}  {:<30} {:<24} {:>9} {:>7}  {}",
        s.id,
        crate::format::day_or(i.date, "-"),
        clip(i.sub_event_type.as_deref().unwrap_or(&i.event_type), 30),
        clip(&place, 24),
        killed(i),
        documents.len(),
        clip(&perps.join(", "), 50)
    )
}

/// The one-line killed figure (used by `truce incident`).
pub fn killed_range(i: &truce_model::Incident) -> String {
    killed(i)
}
