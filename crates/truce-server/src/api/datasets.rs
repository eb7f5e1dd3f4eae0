//! Other datasets: ACLED and UCDP GED files imported beside the record (`POST`), and their events
//! read back as a map layer of their own (`GET`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use truce_model::Dataset;
use truce_store::ExternalQuery;

use super::monitoring::day;
use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Body, Params};
use crate::state::AppState;

/// Events a page by default, and at most.
const PAGE: u32 = 5000;
const MAX_PAGE: u32 = 10_000;

/// `dataset`, `since`, `until`, `after` (the `next` of the page before), `limit`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalParams {
    dataset: Option<String>,
    since: Option<String>,
    until: Option<String>,
    after: Option<String>,
    limit: Option<u32>,
}

fn dataset(text: Option<&str>) -> Result<Option<Dataset>, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => Dataset::parse(t)
            .map(Some)
            .ok_or_else(|| ApiError::bad_request(format!("dataset: {t:?} is not acled or ucdp"))),
    }
}

/// `DATE:ID`, the cursor a page's `next` gives.
fn cursor(text: &str) -> Result<(String, i64), ApiError> {
    let bad = || ApiError::bad_request(format!("after: {text:?} is not a page cursor"));
    let (date, id) = text.rsplit_once(':').ok_or_else(bad)?;
    let date = day(&Some(date.to_string()), "after")?.ok_or_else(bad)?;
    Ok((date.to_string(), id.parse().map_err(|_| bad())?))
}

/// `GET /api/v1/external`: imported events as GeoJSON points in date order, a page at a time
/// (`next`: the cursor of the page after), each with what its dataset says of it.
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<ExternalParams>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let limit = p.limit.unwrap_or(PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit: {limit} is not between 1 and {MAX_PAGE}"
        )));
    }
    let query = ExternalQuery {
        dataset: dataset(p.dataset.as_deref())?,
        since: day(&p.since, "since")?.map(|d| d.to_string()),
        until: day(&p.until, "until")?.map(|d| d.to_string()),
        after: p.after.as_deref().map(cursor).transpose()?,
        limit,
    };
    let page = state.store.external_events(&query).await?;
    let next = (page.len() as u32 == limit)
        .then(|| page.last().map(|e| format!("{}:{}", e.record.date, e.id)))
        .flatten();
    let features: Vec<Value> = page
        .iter()
        .map(|e| {
            let r = &e.record;
            json!({
                "type": "Feature",
                "id": e.id,
                "geometry": match (r.lat, r.lon) {
                    (Some(lat), Some(lon)) => json!({"type": "Point", "coordinates": [lon, lat]}),
                    _ => Value::Null,
                },
                "properties": {"dataset": e.dataset, "record": r, "source": e.source,
                               "imported_at": e.imported_at},
            })
        })
        .collect();
    Ok(Json(json!({
        "type": "FeatureCollection",
        "features": features,
        "next": next,
    })))
}

/// An ACLED or UCDP GED file as text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportBody {
    /// The CSV text, as the dataset ships it.
    file: String,
    /// Its name, for the audit log.
    name: Option<String>,
    /// `acled` or `ucdp` (default: from its header).
    dataset: Option<String>,
}

/// `POST /api/v1/external`: imports a file of another dataset beside the record; nothing is
/// stored when any row is refused.
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<ImportBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(Permission::ManageMonitoring)?;
    let name = b.name.as_deref().unwrap_or("uploaded file");
    let done = truce_app::datasets::import(
        state.store.as_ref(),
        b.file.as_bytes(),
        dataset(b.dataset.as_deref())?,
        name,
        caller.name(),
    )
    .await?;
    let (first, last) = done.span.unzip();
    Ok((
        StatusCode::CREATED,
        Json(
            json!({"dataset": done.dataset, "events": done.events, "added": done.added,
                    "updated": done.updated, "first": first, "last": last,
                    "sha256": done.hash.to_hex()}),
        ),
    ))
}
