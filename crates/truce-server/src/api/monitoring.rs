//! Monitoring: the ceasefire health index and the alerts on protected sites.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Body, Params};
use crate::state::AppState;

/// `since`, `until`, `area`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthParams {
    since: Option<String>,
    until: Option<String>,
    area: Option<String>,
    /// `true`: count too the likely violations only imported events tell.
    imported: Option<bool>,
}

/// An optional `YYYY-MM-DD` parameter (empty is none); `what` names it in the error.
pub(super) fn day(s: &Option<String>, what: &str) -> Result<Option<NaiveDate>, ApiError> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                ApiError::bad_request(format!("{what}: {d:?} is not a date (YYYY-MM-DD)"))
            }),
    }
}

/// `GET /api/v1/health`: the health index a day (default: the 60 days before the latest
/// incident), with every input, and each area's index on the last day.
pub async fn health(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<HealthParams>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let until = match day(&p.until, "until")? {
        Some(d) => d,
        None => match truce_pipeline::monitor::latest_day(state.store.as_ref())
            .await
            .map_err(ApiError::internal)?
        {
            Some(d) => d,
            None => return Ok(Json(json!({"agreement": null, "points": [], "areas": []}))),
        },
    };
    let since = day(&p.since, "since")?.unwrap_or(until - chrono::Duration::days(60));
    if since > until {
        return Err(ApiError::bad_request("since is after until"));
    }
    if (until - since).num_days() > 3660 {
        return Err(ApiError::bad_request("at most ten years at a time"));
    }
    let area = p.area.as_deref().map(str::trim).filter(|a| !a.is_empty());
    let (extra, imported) = truce_app::datasets::imported_in_index(
        state.store.as_ref(),
        p.imported == Some(true),
        until,
    )
    .await?;
    let found = truce_pipeline::monitor::health(state.store.as_ref(), since, until, area, &extra)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(match found {
        None => {
            json!({"agreement": null, "definition": truce_monitor::HEALTH_DEFINITION, "points": [], "areas": []})
        }
        Some((series, areas)) => json!({
            "agreement": series.agreement,
            "area": series.area,
            "definition": truce_monitor::HEALTH_DEFINITION,
            "points": series.points,
            "areas": areas.iter().map(|(a, p)| json!({"area": a, "index": p.index, "trend": p.trend})).collect::<Vec<_>>(),
            "imported": imported,
        }),
    }))
}

/// `since`, `limit`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertParams {
    since: Option<String>,
    limit: Option<u32>,
}

/// `GET /api/v1/alerts`: alerts raised by incidents near protected sites, newest first.
pub async fn alerts(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<AlertParams>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let since = day(&p.since, "since")?.map(|d| d.to_string());
    let list = state
        .store
        .alerts(since.as_deref(), p.limit.unwrap_or(100).clamp(1, 1000))
        .await?;
    let items: Vec<Value> = list
        .iter()
        .map(|a| {
            let record: Value = serde_json::from_str(&a.record).unwrap_or(Value::Null);
            json!({"id": a.id, "incident": a.incident_id, "label": a.label, "kind": a.kind,
                   "site": record.get("site_name"), "reason": record.get("reason"),
                   "distance_km": record.get("distance_km"), "raised_at": a.raised_at,
                   "cleared_at": a.cleared_at})
        })
        .collect();
    Ok(Json(json!({"items": items})))
}

/// An agreement: its TOML text, and the zone files it names by name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementBody {
    toml: String,
    #[serde(default)]
    zones: std::collections::BTreeMap<String, String>,
}

/// `GET /api/v1/agreements`: every agreement on record, every version, oldest first.
pub async fn agreements(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let list = truce_app::monitoring::agreements(state.store.as_ref()).await?;
    let items: Vec<Value> = list
        .iter()
        .map(|a| {
            json!({"id": a.id, "label": a.agreement.label(), "added_by": a.added_by,
                   "added_at": a.added_at, "agreement": a.agreement})
        })
        .collect();
    Ok(Json(json!({"items": items})))
}

/// `POST /api/v1/agreements`: an agreement, or a new version of one; every incident is assessed
/// again (its new alerts posted to the webhook).
pub async fn add_agreement(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<AgreementBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(Permission::ManageMonitoring)?;
    let zones = b.zones;
    let read = move |name: &str| {
        zones
            .get(name)
            .cloned()
            .ok_or_else(|| format!("no zone file {name:?} in the request's `zones`"))
    };
    let (added, monitor) = truce_app::monitoring::add_agreement(
        state.store.as_ref(),
        &b.toml,
        &read,
        caller.name(),
        state.alert_rule,
    )
    .await?;
    state.post_alerts(monitor.new_alerts.clone());
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": added.id, "label": added.agreement.label(),
                    "assessed": monitor.assessed, "verdicts": monitor.verdicts,
                    "new_alerts": monitor.new_alerts.len()})),
    ))
}

/// A register of protected sites: CSV or GeoJSON text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitesBody {
    register: String,
    /// `csv` or `geojson` (default: from the text).
    format: Option<String>,
}

/// `GET /api/v1/sites`: the register, exact places included: only for those who keep it (the
/// pages show a site's name and distance, never its point).
pub async fn sites(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::ManageMonitoring)?;
    let list = truce_app::monitoring::sites(state.store.as_ref()).await?;
    let items: Vec<Value> = list
        .iter()
        .map(|(id, s)| json!({"id": id, "site": s}))
        .collect();
    Ok(Json(json!({"items": items})))
}

/// `POST /api/v1/sites`: imports sites (the same name and place updated); the incidents near
/// them are checked again.
pub async fn import_sites(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<SitesBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    use truce_app::monitoring::RegisterFormat;
    caller.require(Permission::ManageMonitoring)?;
    let format = match b.format.as_deref() {
        None => RegisterFormat::of(&b.register),
        Some("csv") => RegisterFormat::Csv,
        Some("geojson") => RegisterFormat::GeoJson,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "format: {other:?} is not csv or geojson"
            )));
        }
    };
    let done = truce_app::monitoring::import_sites(
        state.store.as_ref(),
        &b.register,
        format,
        caller.name(),
        state.alert_rule,
    )
    .await?;
    state.post_alerts(done.monitor.new_alerts.clone());
    Ok((
        StatusCode::CREATED,
        Json(json!({"added": done.added, "updated": done.updated,
                    "assessed": done.monitor.assessed,
                    "new_alerts": done.monitor.new_alerts.len()})),
    ))
}
