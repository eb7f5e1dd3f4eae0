//! The daily situation report: what one day brought, gathered from the corrected record
//! (retracted and discounted incidents left out, as the counts and the health index leave them).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use truce_model::{DocumentId, Verdict};
use truce_report::daily::ReportSource;
use truce_report::svg::MapPoint;
use truce_report::{DailyReport, NotableIncident, ReportStatement};
use truce_store::{IncidentQuery, StatementQuery, Store, StoredIncident};

use crate::AppError;

/// How many notable incidents a report tells in full.
const NOTABLE: usize = 10;

/// Each incident's verdict, by id.
type Verdicts = BTreeMap<i64, Verdict>;

/// The labels of the alerts that stand on each incident, by id.
type AlertLabels = BTreeMap<i64, Vec<String>>;

/// Gathers the report of `date` from the store.
pub async fn gather(store: &dyn Store, date: NaiveDate) -> Result<DailyReport, AppError> {
    let day = date.to_string();
    let counts = truce_pipeline::monitor::day_counts(store, date).await?;
    let health =
        truce_pipeline::monitor::health(store, date - chrono::Duration::days(29), date, None, &[])
            .await?;
    let incidents = standing_incidents(store, &day).await?;
    let ids: Vec<i64> = incidents.iter().map(|i| i.id).collect();
    let assessments: Verdicts = store
        .assessments(Some(&ids))
        .await?
        .into_iter()
        .map(|a| (a.incident_id, a.verdict))
        .collect();
    let mut verdicts: BTreeMap<Verdict, u32> = BTreeMap::new();
    for &v in assessments.values() {
        *verdicts.entry(v).or_default() += 1;
    }
    let (alerts_of, alert_lines) = alerts(store, &incidents).await?;
    let points = map_points(&incidents, &assessments);
    let mut documents: BTreeSet<i64> = BTreeSet::new();
    let notable = notable(store, &incidents, &assessments, &alerts_of, &mut documents).await?;
    let statements = statements(store, &day, &mut documents).await?;
    let talks = talks(store, &documents).await?;
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
        talks,
        audit_head: None,
    })
}

/// The day's incidents that stand on the record: retracted and discounted ones are not reported
/// (nor counted: `day_counts` and `health` leave them out too).
async fn standing_incidents(store: &dyn Store, day: &str) -> Result<Vec<StoredIncident>, AppError> {
    let mut incidents = store
        .incidents(&IncidentQuery {
            since: Some(day.to_string()),
            until: Some(day.to_string()),
            limit: Some(100_000),
            ..Default::default()
        })
        .await?;
    incidents.retain(StoredIncident::stands);
    Ok(incidents)
}

/// The alerts that stand on the day's incidents: their labels by incident, and one line each.
async fn alerts(
    store: &dyn Store,
    incidents: &[StoredIncident],
) -> Result<(AlertLabels, Vec<String>), AppError> {
    let ids: Vec<i64> = incidents.iter().map(|i| i.id).collect();
    let day_ids: BTreeSet<i64> = ids.iter().copied().collect();
    let mut labels: AlertLabels = BTreeMap::new();
    let mut lines = Vec::new();
    for a in &truce_pipeline::monitor::standing(store.alerts_of(&ids).await?) {
        if !day_ids.contains(&a.incident_id) {
            continue;
        }
        let incident = incidents.iter().find(|i| i.id == a.incident_id);
        lines.push(truce_pipeline::monitor::describe_alert(
            a,
            incident.map(|i| &i.incident),
        ));
        labels
            .entry(a.incident_id)
            .or_default()
            .push(a.label().to_string());
    }
    lines.sort();
    Ok((labels, lines))
}

/// The day's incidents as points of the map, coloured by verdict, sized by deaths.
fn map_points(incidents: &[StoredIncident], assessments: &Verdicts) -> Vec<MapPoint> {
    incidents
        .iter()
        .filter_map(|s| {
            let l = s.incident.location.as_ref()?;
            let killed = s.incident.fatalities.and_then(|f| f.high).unwrap_or(0);
            Some(MapPoint {
                lat: l.lat?,
                lon: l.lon?,
                label: l.name.clone(),
                colour: match assessments.get(&s.id).copied() {
                    Some(Verdict::LikelyViolation) => "#b2182b",
                    Some(Verdict::Unclear) => "#ef8a62",
                    _ => "#999999",
                }
                .into(),
                radius: 4.0 + (f64::from(killed)).sqrt().min(8.0),
            })
        })
        .collect()
}

/// The most serious incidents, told in full with a sentence of each source: alerts first, then
/// likely violations, then deaths, then sources. The documents read are added to `documents`.
async fn notable(
    store: &dyn Store,
    incidents: &[StoredIncident],
    assessments: &Verdicts,
    alerts_of: &AlertLabels,
    documents: &mut BTreeSet<i64>,
) -> Result<Vec<NotableIncident>, AppError> {
    let mut ranked: Vec<&StoredIncident> = incidents.iter().collect();
    ranked.sort_by_key(|s| {
        (
            std::cmp::Reverse(alerts_of.contains_key(&s.id)),
            std::cmp::Reverse(assessments.get(&s.id) == Some(&Verdict::LikelyViolation)),
            std::cmp::Reverse(s.incident.fatalities.and_then(|f| f.high).unwrap_or(0)),
            std::cmp::Reverse(s.incident.sources.len()),
            s.id,
        )
    });
    let mut notable = Vec::new();
    for s in ranked.into_iter().take(NOTABLE) {
        let i = &s.incident;
        let mut sources = Vec::new();
        for e in &store.events_by_ref(&i.sources).await? {
            documents.insert(e.document_id.0);
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
            verdict: assessments.get(&s.id).copied(),
            alerts: alerts_of.get(&s.id).cloned().unwrap_or_default(),
            status: s.status.as_str().to_string(),
            sources,
        });
    }
    Ok(notable)
}

/// The statements dated that day: who (name, title and organisation, each once), what, and in
/// which source. Their documents are added to `documents`.
async fn statements(
    store: &dyn Store,
    day: &str,
    documents: &mut BTreeSet<i64>,
) -> Result<Vec<ReportStatement>, AppError> {
    let mut statements = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .statements(&StatementQuery {
                since: Some(day.to_string()),
                after,
                limit: Some(1000),
                ..Default::default()
            })
            .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        for st in page.into_iter().filter(|s| s.date.as_deref() == Some(day)) {
            documents.insert(st.document_id.0);
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
    Ok(statements)
}

/// The rounds of talks the documents mention, one line each (name; place; mediator; date;
/// status), each once.
async fn talks(store: &dyn Store, documents: &BTreeSet<i64>) -> Result<Vec<String>, AppError> {
    let mut talks = BTreeSet::new();
    for d in documents {
        if let Some(x) = store.extraction(DocumentId(*d)).await? {
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
    Ok(talks.into_iter().collect())
}
