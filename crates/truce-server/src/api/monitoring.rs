//! Monitoring: the ceasefire health index and the alerts on protected sites.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Params};
use crate::state::AppState;

/// `since`, `until`, `area`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthParams {
    since: Option<String>,
    until: Option<String>,
    area: Option<String>,
}

fn day(s: &Option<String>, what: &str) -> Result<Option<NaiveDate>, ApiError> {
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
    let found = truce_pipeline::monitor::health(state.store.as_ref(), since, until, area)
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
