//! The monitoring stage: incidents written by the resolver are assessed against the agreements
//! on record and checked against the register of protected sites; new alerts are returned so
//! that the caller can log them and post them to a webhook.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::NaiveDate;
use truce_model::Incident;
use truce_model::Verdict;
use truce_monitor::{Agreement, AlertRule, ProtectedSite, assess};
use truce_store::{
    IncidentQuery, NewAlert, Store, StoreError, StoredAlert, StoredAssessment, StoredIncident,
};

use crate::IngestError;

/// What a monitoring pass did.
#[derive(Debug, Clone, Default)]
pub struct MonitorSummary {
    /// Incidents assessed.
    pub assessed: usize,
    /// How many of them came out as each verdict.
    pub verdicts: BTreeMap<Verdict, usize>,
    /// Alerts raised for the first time.
    pub new_alerts: Vec<StoredAlert>,
}

impl MonitorSummary {
    /// Adds another run's figures to these.
    pub fn absorb(&mut self, other: MonitorSummary) {
        self.assessed += other.assessed;
        for (verdict, n) in other.verdicts {
            *self.verdicts.entry(verdict).or_default() += n;
        }
        self.new_alerts.extend(other.new_alerts);
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> IngestError {
    IngestError::Store(StoreError::Corrupt(format!("{what}: {e}")))
}

/// The agreements on record, read back.
pub async fn agreements(store: &dyn Store) -> Result<Vec<Agreement>, IngestError> {
    store
        .agreements()
        .await?
        .iter()
        .map(|a| serde_json::from_str(&a.definition).map_err(|e| corrupt("agreement", e)))
        .collect()
}

/// Assesses and checks these incidents (every incident with `None`).
pub async fn monitor_incidents(
    store: &dyn Store,
    ids: Option<&[i64]>,
    rule: AlertRule,
) -> Result<MonitorSummary, IngestError> {
    let agreements = agreements(store).await?;
    let mut summary = MonitorSummary::default();
    match ids {
        Some(ids) => {
            for ids in ids.chunks(2000) {
                let page = store.incidents_by_id(ids).await?;
                monitor_page(store, &page, &agreements, rule, &mut summary).await?;
            }
        }
        None => {
            let mut before = None;
            loop {
                let q = IncidentQuery {
                    newest_first: true,
                    before: before.clone(),
                    limit: Some(2000),
                    ..Default::default()
                };
                let page = store.incidents(&q).await?;
                let Some(last) = page.last() else { break };
                before = Some(last.page_key());
                monitor_page(store, &page, &agreements, rule, &mut summary).await?;
            }
        }
    }
    Ok(summary)
}

/// The boxes a search for protected sites near these points (or for incidents near these sites)
/// reads: a little wider than the alert radius, which is measured on the sphere afterwards.
pub fn boxes_around(points: &[(f64, f64)], rule: AlertRule) -> Vec<[f64; 4]> {
    let km = rule.radius_km.max(0.0) + 0.5;
    points
        .iter()
        .map(|&(lat, lon)| truce_geo::distance::box_around(lat, lon, km))
        .collect()
}

/// Assesses a page of incidents and checks them against the protected sites near them (looked up
/// by place for the page, never the whole register).
async fn monitor_page(
    store: &dyn Store,
    page: &[StoredIncident],
    agreements: &[Agreement],
    rule: AlertRule,
    summary: &mut MonitorSummary,
) -> Result<(), IngestError> {
    let points: Vec<(f64, f64)> = page
        .iter()
        .filter_map(|s| s.incident.location.as_ref())
        .filter_map(|l| Some((l.lat?, l.lon?)))
        .collect();
    let stored_sites = store.sites_within(&boxes_around(&points, rule)).await?;
    let sites: Vec<ProtectedSite> = stored_sites.iter().map(|s| s.site.clone()).collect();
    let mut assessments = Vec::with_capacity(page.len());
    let mut alerts = Vec::new();
    for s in page {
        let a = assess(&s.incident, agreements);
        *summary.verdicts.entry(a.verdict).or_default() += 1;
        assessments.push(StoredAssessment {
            incident_id: s.id,
            verdict: a.verdict,
            agreement: a.agreement,
            agreement_version: a.agreement_version.map(i64::from),
            reasons: a.reasons,
        });
        for alert in truce_monitor::alerts_for(&s.incident, &sites, rule) {
            alerts.push(NewAlert {
                incident_id: s.id,
                site_id: alert.site.map(|i| stored_sites[i].id),
                alert,
            });
        }
    }
    summary.assessed += assessments.len();
    store.save_assessments(&assessments).await?;
    // Every alert of these incidents was computed here: what they raised before and no longer
    // raise is cleared.
    let ids: Vec<i64> = page.iter().map(|s| s.id).collect();
    let raised = store.raise_alerts(&ids, &alerts).await?;
    metrics::counter!("truce_alerts_raised_total").increment(raised.len() as u64);
    summary.new_alerts.extend(raised);
    Ok(())
}

/// One line naming an alert, for logs and terminals.
pub fn describe_alert(alert: &StoredAlert, incident: Option<&Incident>) -> String {
    let reason = &alert.alert.reason;
    let (date, place) = incident.map_or((String::new(), String::new()), |i| {
        (
            i.date.map(|d| d.to_string()).unwrap_or_default(),
            i.location
                .as_ref()
                .map(|l| l.name.clone())
                .unwrap_or_default(),
        )
    });
    format!(
        "ALERT incident {} ({date} {place}): {}: {reason}",
        alert.incident_id,
        alert.label()
    )
}

/// Posts new alerts to a webhook as one JSON array of
/// `{incident, label, kind, site, reason, raised_at}`; the webhook must answer 2xx within ten
/// seconds.
pub async fn post_alerts(url: &str, alerts: &[StoredAlert]) -> Result<(), IngestError> {
    if alerts.is_empty() {
        return Ok(());
    }
    let body: Vec<serde_json::Value> = alerts
        .iter()
        .map(|a| {
            serde_json::json!({
                "incident": a.incident_id,
                "label": a.alert.label,
                "kind": a.alert.kind.as_str(),
                "site": a.alert.site_name,
                "reason": a.alert.reason,
                "raised_at": a.raised_at,
            })
        })
        .collect();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| IngestError::Client(e.to_string()))?;
    let reply = client
        .post(url)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&body).map_err(|e| corrupt("alerts", e))?)
        .send()
        .await
        .map_err(|e| IngestError::Webhook(format!("the alert webhook {url} failed: {e}")))?;
    if !reply.status().is_success() {
        return Err(IngestError::Webhook(format!(
            "the alert webhook {url} answered HTTP {}",
            reply.status().as_u16()
        )));
    }
    Ok(())
}

/// The day of the latest dated incident (the default end of the health index's range).
pub async fn latest_day(store: &dyn Store) -> Result<Option<NaiveDate>, IngestError> {
    let latest = store
        .incidents(&IncidentQuery {
            newest_first: true,
            limit: Some(1),
            ..Default::default()
        })
        .await?;
    Ok(latest.first().and_then(|i| i.incident.date))
}

/// The health index of one area (or everywhere) over a range of days.
#[derive(Debug, Clone)]
pub struct HealthSeries {
    /// The agreement it is measured against (`Name v2`).
    pub agreement: String,
    /// The area, or `None` for everywhere it covers.
    pub area: Option<String>,
    /// One point a day.
    pub points: Vec<truce_monitor::HealthPoint>,
}

fn area_of(f: &truce_store::IncidentFact) -> String {
    f.admin1
        .clone()
        .or_else(|| f.country.clone())
        .unwrap_or_else(|| "unknown".into())
}

/// The agreement the health index of `to` is measured against: of those in force on `to`, the
/// latest to start (the highest version of it).
pub fn in_force(agreements: &[Agreement], to: NaiveDate) -> Option<&Agreement> {
    agreements
        .iter()
        .filter(|a| a.in_force_on(to))
        .max_by_key(|a| (a.start, a.version))
}

/// The health index from `from` to `to` against the agreement in force on `to` ([`in_force`]),
/// in one area (a province or a country code) or everywhere; `None` when no agreement was in
/// force on `to`. The second value is the index on `to` in each area, worst first. `extra`
/// tallies are counted beside the record's own (the likely violations among imported events,
/// when the user asks for them).
pub async fn health(
    store: &dyn Store,
    from: NaiveDate,
    to: NaiveDate,
    area: Option<&str>,
    extra: &[truce_store::ViolationTally],
) -> Result<Option<(HealthSeries, Vec<(String, truce_monitor::HealthPoint)>)>, IngestError> {
    let agreements = agreements(store).await?;
    let Some(a) = in_force(&agreements, to) else {
        return Ok(None);
    };
    // The index of a day reads the baseline (the agreement's first two weeks) and the window
    // before it (and a week more for the trend): only those days are read, summed by the store.
    let baseline_end = a.start + chrono::Duration::days(truce_monitor::health::BASELINE_DAYS - 1);
    let window_start =
        (from - chrono::Duration::days(2 * truce_monitor::health::WINDOW_DAYS)).max(a.start);
    let rest_start = window_start.max(baseline_end + chrono::Duration::days(1));
    // The days read: the baseline, and the window (when it is not inside the baseline).
    let mut spans = vec![(a.start, baseline_end.min(to))];
    if rest_start <= to {
        spans.push((rest_start, to));
    }
    let mut tallies = Vec::new();
    for &(first, last) in &spans {
        tallies.extend(store.violation_tallies(first, last).await?);
    }
    // The extra tallies of the same days as the record's.
    tallies.extend(
        extra
            .iter()
            .filter(|t| {
                spans
                    .iter()
                    .any(|&(first, last)| (first..=last).contains(&t.date))
            })
            .cloned(),
    );
    let mut all: BTreeMap<NaiveDate, truce_monitor::DayTally> = BTreeMap::new();
    let mut by_area: BTreeMap<String, BTreeMap<NaiveDate, truce_monitor::DayTally>> =
        BTreeMap::new();
    for t in &tallies {
        let d = t.date;
        let in_area = area.is_none_or(|x| {
            x.eq_ignore_ascii_case(&t.area)
                || t.country
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(x))
        });
        if in_area {
            let s = all.entry(d).or_default();
            s.violations += t.violations;
            s.fatalities += t.fatalities;
        }
        let s = by_area
            .entry(t.area.clone())
            .or_default()
            .entry(d)
            .or_default();
        s.violations += t.violations;
        s.fatalities += t.fatalities;
    }
    let points = truce_monitor::health_index(&all, a.start, from, to);
    let mut areas: Vec<(String, truce_monitor::HealthPoint)> = by_area
        .iter()
        .filter_map(|(name, t)| {
            truce_monitor::health_index(t, a.start, to, to)
                .pop()
                .map(|p| (name.clone(), p))
        })
        .collect();
    areas.sort_by(|x, y| x.1.index.total_cmp(&y.1.index).then(x.0.cmp(&y.0)));
    Ok(Some((
        HealthSeries {
            agreement: a.label(),
            area: area.map(str::to_string),
            points,
        },
        areas,
    )))
}

/// The day's counts (against the day before and a week before).
pub async fn day_counts(
    store: &dyn Store,
    date: NaiveDate,
) -> Result<truce_monitor::DayCounts, IngestError> {
    let facts = store
        .incident_facts(date - chrono::Duration::days(7), date)
        .await?;
    let facts: Vec<truce_monitor::IncidentFacts> = facts
        .iter()
        .map(|f| truce_monitor::IncidentFacts {
            date: f.date,
            area: area_of(f),
            district: f.admin2.clone(),
            event_type: f.event_type.clone(),
            perpetrators: f.perpetrators.clone(),
            target: f.target.clone(),
            fatalities: f.fatalities,
        })
        .collect();
    Ok(truce_monitor::daily_counts(&facts, date))
}

/// The alerts that stand on an incident's record: all of them but the cleared, except a "hospital reported hit"
/// raised by the kind of target alone when the same incident has an alert on a registered site
/// of that kind (raised when the site was registered later). The alert log keeps both.
pub fn standing(mut alerts: Vec<StoredAlert>) -> Vec<StoredAlert> {
    alerts.retain(|a| a.cleared_at.is_none());
    let with_site: Vec<(i64, truce_model::SiteKind)> = alerts
        .iter()
        .filter(|a| a.site_id.is_some())
        .map(|a| (a.incident_id, a.kind()))
        .collect();
    alerts
        .into_iter()
        .filter(|a| {
            a.site_id.is_some()
                || !with_site
                    .iter()
                    .any(|&(i, k)| i == a.incident_id && k == a.kind())
        })
        .collect()
}
