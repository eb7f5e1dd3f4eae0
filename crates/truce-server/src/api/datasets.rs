//! Other datasets: ACLED and UCDP GED files imported beside the record (`POST`), and their events
//! read back as a map layer of their own (`GET`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use truce_model::{Dataset, ExternalRecord};
use truce_store::ExternalQuery;
use utoipa::{IntoParams, ToSchema};

use super::params::day;
use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Body, Params};
use crate::state::AppState;

/// Events a page by default, and at most.
const PAGE: u32 = 5000;
const MAX_PAGE: u32 = 10_000;

/// `dataset`, `since`, `until`, `after` (the `next` of the page before), `limit`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExternalParams {
    /// `acled` or `ucdp` (`ged`, `ucdp-ged`; any case); both by default.
    #[param(
        pattern = "^\\s*([Aa][Cc][Ll][Ee][Dd]|[Uu][Cc][Dd][Pp]|[Gg][Ee][Dd]|[Uu][Cc][Dd][Pp]-[Gg][Ee][Dd])?\\s*$"
    )]
    dataset: Option<String>,
    /// From this day (`YYYY-MM-DD`).
    #[param(format = Date)]
    since: Option<String>,
    /// To this day (`YYYY-MM-DD`).
    #[param(format = Date)]
    until: Option<String>,
    /// The previous page's `next` (`DATE:ID`).
    #[param(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}:[0-9]+$")]
    after: Option<String>,
    /// Page size (1 to 10,000; 5,000 by default).
    #[param(minimum = 1, maximum = 10000)]
    limit: Option<u32>,
}

/// A page of imported events, as GeoJSON.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExternalPage {
    /// `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// One point an event (no geometry when the dataset gives no place).
    pub features: Vec<ExternalFeature>,
    /// The `after` of the next page.
    pub next: Option<String>,
}

/// An imported event as a GeoJSON feature.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExternalFeature {
    /// `Feature`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its id in truce.
    pub id: i64,
    /// Its point.
    pub geometry: Option<Point>,
    /// What its dataset says of it.
    pub properties: ExternalProperties,
}

/// A GeoJSON point.
#[derive(Debug, Serialize, ToSchema)]
pub struct Point {
    /// `Point`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `[longitude, latitude]`.
    pub coordinates: [f64; 2],
}

/// What a dataset says of an event.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExternalProperties {
    /// The dataset.
    pub dataset: Dataset,
    /// The event as read.
    pub record: ExternalRecord,
    /// The file it was imported from.
    pub source: String,
    /// When (RFC 3339).
    pub imported_at: String,
}

/// A file imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileImported {
    /// Its dataset.
    pub dataset: Dataset,
    /// Events read.
    pub events: u64,
    /// New to truce.
    pub added: u64,
    /// Imported before, updated.
    pub updated: u64,
    /// Its first day.
    pub first: Option<String>,
    /// Its last day.
    pub last: Option<String>,
    /// The file's SHA-256.
    pub sha256: String,
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
#[utoipa::path(get, path = "/api/v1/external", tag = "datasets", params(ExternalParams),
    responses((status = 200, description = "A page of imported events", body = ExternalPage)))]
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<ExternalParams>,
) -> Result<Json<ExternalPage>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let limit = super::params::limit(p.limit, PAGE, MAX_PAGE)?;
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
    let features = page
        .into_iter()
        .map(|e| ExternalFeature {
            kind: "Feature".into(),
            id: e.id,
            geometry: match (e.record.lat, e.record.lon) {
                (Some(lat), Some(lon)) => Some(Point {
                    kind: "Point".into(),
                    coordinates: [lon, lat],
                }),
                _ => None,
            },
            properties: ExternalProperties {
                dataset: e.dataset,
                record: e.record,
                source: e.source,
                imported_at: e.imported_at,
            },
        })
        .collect();
    Ok(Json(ExternalPage {
        kind: "FeatureCollection".into(),
        features,
        next,
    }))
}

/// An ACLED or UCDP GED file as text.
#[derive(Debug, Deserialize, ToSchema)]
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
#[utoipa::path(post, path = "/api/v1/external", tag = "datasets", request_body = ImportBody,
    responses((status = 201, description = "Imported", body = FileImported)))]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<ImportBody>,
) -> Result<(StatusCode, Json<FileImported>), ApiError> {
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
        Json(FileImported {
            dataset: done.dataset,
            events: done.events,
            added: done.added,
            updated: done.updated,
            first,
            last,
            sha256: done.hash.to_hex(),
        }),
    ))
}
