//! Incidents: the filtered list (cursor-paged), map points, the timeline, one incident with its
//! sources, and its history.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use truce_model::{ReviewStatus, Role};
use truce_store::{IncidentQuery, StoredIncident};
use utoipa::{IntoParams, ToSchema};

use super::params::{day_text, switch};
use super::{Items, Page};
use crate::access::{Permission, concerns};
use crate::caller::Caller;
use crate::error::{ApiError, Id, Params};
use crate::state::AppState;
use crate::view::{self, IncidentSummary, IncidentView};

/// Filters shared by the list, the map and the timeline.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Filters {
    /// From this day (`YYYY-MM-DD`).
    #[param(format = Date)]
    since: Option<String>,
    /// To this day (`YYYY-MM-DD`).
    #[param(format = Date)]
    until: Option<String>,
    /// ACLED event type (`Battles`, `Explosions/Remote violence`, ...).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    event_type: Option<String>,
    /// A place, first-order area or country, in any spelling ("ariha", "Idleb", "SY"): its forms
    /// are found in the gazetteer.
    area: Option<String>,
    /// An alleged perpetrator's name, or part of it.
    perpetrator: Option<String>,
    /// What was hit (`medical`, `education`, ...).
    target: Option<String>,
    /// Review status.
    #[param(value_type = Option<ReviewStatus>)]
    status: Option<String>,
    /// Words the incident names (place, area, country, types, target, perpetrators) or, for
    /// readers of its reports, its reports say: every word, any case, diacritics folded; among
    /// the 2,000 newest matches of each.
    q: Option<String>,
    /// A box: `south,north,west,east` in degrees.
    #[param(pattern = r"^\s*-?[0-9.]+\s*(,\s*-?[0-9.]+\s*){3}$")]
    bbox: Option<String>,
    /// Page size: 50 by default, at most 500 (the map: 20,000 by default, at most 50,000); more
    /// is refused.
    #[param(minimum = 1, maximum = 50000)]
    limit: Option<u32>,
    /// The previous page's `next` cursor.
    #[param(pattern = "^[0-9-]*~[0-9]+$")]
    cursor: Option<String>,
    /// `1`: see what the public sees.
    #[param(minimum = 0, maximum = 1)]
    public: Option<u8>,
}

fn text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(200).collect())
}

/// Who is asking, as the query sees it: the public view on request.
pub fn effective(caller: &Caller, f: &Filters) -> Caller {
    if f.public == Some(1) {
        caller.as_public()
    } else {
        caller.clone()
    }
}

/// The store query for filters and a caller (no page size: each route reads its own): the public
/// sees confirmed incidents only, a party those that concern it.
pub async fn query(
    state: &AppState,
    f: &Filters,
    caller: &Caller,
) -> Result<IncidentQuery, ApiError> {
    switch(f.public, "public")?;
    let bbox = match f.bbox.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(b) => {
            let v = super::params::view(Some(b))?;
            if v.west > v.east {
                return Err(ApiError::bad_request(
                    "bbox: west must not be east of east here (split a box across the \
                     antimeridian in two)",
                ));
            }
            Some([v.south, v.north, v.west, v.east])
        }
    };
    let mut status = text(&f.status);
    if let Some(s) = &status {
        s.parse::<ReviewStatus>()
            .map_err(|e| ApiError::bad_request(format!("status: {e}")))?;
    }
    let mut concerning = None;
    match caller.user.as_ref() {
        None => status = Some(ReviewStatus::Confirmed.as_str().to_string()),
        Some(u) if u.role == Role::Party => {
            concerning = Some(u.party.clone().unwrap_or_else(|| "\u{0}no party".into()))
        }
        Some(_) => {}
    }
    let before = match f.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => {
            let (d, id) = c
                .rsplit_once('~')
                .ok_or_else(|| ApiError::bad_request("cursor: not one of ours"))?;
            Some((
                d.to_string(),
                id.parse::<i64>()
                    .map_err(|_| ApiError::bad_request("cursor: not one of ours"))?,
            ))
        }
    };
    Ok(IncidentQuery {
        since: day_text(&f.since, "since")?,
        until: day_text(&f.until, "until")?,
        event_type: text(&f.event_type),
        bbox,
        area: match text(&f.area) {
            // In any spelling, by the gazetteer the record is geocoded with; the words as typed
            // where the engine cannot be built (a read never fails for it).
            Some(a) => Some(match state.extractor().await {
                Ok(engine) => truce_app::area::filter(engine.gazetteer(), &a),
                Err(e) => {
                    tracing::warn!("the area filter reads {a:?} as typed: {e}");
                    truce_app::area::as_typed(&a)
                }
            }),
            None => None,
        },
        perpetrator_names: match text(&f.perpetrator) {
            // The names the actor lexicon gives what was typed ("SAA", "Russian jets"); only
            // the words as typed where the engine cannot be built.
            Some(p) => match state.extractor().await {
                Ok(engine) => engine.actor_names(&p),
                Err(e) => {
                    tracing::warn!("the perpetrator filter reads {p:?} as typed: {e}");
                    Vec::new()
                }
            },
            None => Vec::new(),
        },
        perpetrator: text(&f.perpetrator),
        concerning,
        target: text(&f.target),
        status,
        text: text(&f.q),
        // The reports' words only for those who may read the reports.
        text_in_reports: caller.user.is_some() && caller.may(Permission::ReadSources),
        published_only: caller.user.is_none(),
        newest_first: true,
        before,
        offset: None,
        limit: None,
    })
}

/// `GET /api/v1/incidents`: a page of incidents, newest first, with the next page's cursor.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", params(Filters),
    responses((status = 200, description = "A page of incidents", body = Page<IncidentSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Params(f): Params<Filters>,
) -> Result<Json<Page<IncidentSummary>>, ApiError> {
    let caller = effective(&caller, &f);
    caller.require(Permission::ReadIncidents)?;
    let limit = super::params::limit(f.limit, 50, 500)?;
    let q = IncidentQuery {
        limit: Some(limit),
        ..query(&state, &f, &caller).await?
    };
    let page = state.store.incidents(&q).await?;
    let next = (page.len() == limit as usize)
        .then(|| {
            page.last().map(|i| {
                let (date, id) = i.page_key();
                format!("{date}~{id}")
            })
        })
        .flatten();
    let items = page.iter().map(|i| view::summary(i, &caller)).collect();
    Ok(Json(Page { items, next }))
}

/// Map points: one row of `fields` a point, written by the database itself (tens of
/// thousands a page).
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)] // Describes a body the database writes (see `points`).
pub struct MapPoints {
    /// The names of each row's values, in order: `id`, `lat_e5`, `lon_e5`, `event_type`,
    /// `fatalities`, `date`, `status`.
    fields: Vec<String>,
    /// One row a point, its values in the order of `fields`.
    #[schema(value_type = Vec<Vec<Value>>)]
    points: Vec<Vec<Value>>,
}

/// Incidents and deaths on one day.
#[derive(Debug, Serialize, ToSchema)]
pub struct Day {
    /// The day.
    pub date: String,
    /// Incidents that day.
    pub incidents: u64,
    /// People killed (each incident's lowest figure).
    pub fatalities: u64,
}

/// Incidents and deaths a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct Timeline {
    /// Each day with incidents, in order.
    pub days: Vec<Day>,
}

/// One entry of an incident's history in the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// Its place in the log.
    pub seq: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What (`review.add`, `correction.add`, ...).
    pub action: String,
    /// What changed, as logged.
    #[schema(value_type = Object)]
    pub detail: Value,
}

/// `GET /api/v1/incidents/points`: map points (up to 20,000, newest first), coordinates in
/// hundred-thousandths of a degree (`lat_e5`, `lon_e5`).
#[utoipa::path(get, path = "/api/v1/incidents/points", tag = "incidents", params(Filters),
    responses((status = 200, description = "Map points", body = MapPoints)))]
pub async fn points(
    State(state): State<AppState>,
    caller: Caller,
    Params(f): Params<Filters>,
) -> Result<Response, ApiError> {
    let caller = effective(&caller, &f);
    caller.require(Permission::ReadIncidents)?;
    let mut q = query(&state, &f, &caller).await?;
    q.limit = Some(super::params::limit(f.limit, 20_000, 50_000)?);
    let public = caller.user.is_none();
    // Tens of thousands of points: the database writes the array itself.
    let points = state.store.incident_map(&q, public).await?;
    let body = format!(
        r#"{{"fields":["id","lat_e5","lon_e5","event_type","fatalities","date","status"],"points":{points}}}"#
    );
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `GET /api/v1/incidents/timeline`: incidents and deaths per day.
#[utoipa::path(get, path = "/api/v1/incidents/timeline", tag = "incidents", params(Filters),
    responses((status = 200, description = "Incidents and deaths a day", body = Timeline)))]
pub async fn timeline(
    State(state): State<AppState>,
    caller: Caller,
    Params(f): Params<Filters>,
) -> Result<Json<Timeline>, ApiError> {
    let caller = effective(&caller, &f);
    caller.require(Permission::ReadIncidents)?;
    let q = query(&state, &f, &caller).await?;
    let days = state
        .store
        .incident_days(&q)
        .await?
        .into_iter()
        .map(|d| Day {
            date: d.date,
            incidents: d.incidents,
            fatalities: d.fatalities,
        })
        .collect();
    Ok(Json(Timeline { days }))
}

/// Loads an incident the caller may see (404 otherwise, so that existence does not leak).
pub async fn visible(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<StoredIncident, ApiError> {
    let missing = || ApiError::not_found(format!("no incident {id}"));
    let stored = state.store.incident(id).await?.ok_or_else(missing)?;
    let ok = match &caller.user {
        None => stored.status == ReviewStatus::Confirmed,
        Some(u) => {
            let asked = if u.role == Role::Party {
                state.store.case_parties(id).await?
            } else {
                Vec::new()
            };
            concerns(u, &stored.incident, &asked)
        }
    };
    if !ok {
        return Err(missing());
    }
    Ok(stored)
}

/// `public`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DetailQuery {
    /// `1`: see what the public sees.
    #[param(minimum = 0, maximum = 1)]
    public: Option<u8>,
}

/// `GET /api/v1/incidents/{id}`: the merged record (corrections applied and listed), its review
/// state, and, for those who may see them, its sources with their sentences and related
/// statements.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(("id" = i64, Path, description = "The incident"), DetailQuery),
    responses((status = 200, description = "The incident as the caller may see it", body = IncidentView)))]
pub async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
    Params(dq): Params<DetailQuery>,
) -> Result<Json<IncidentView>, ApiError> {
    let caller = if switch(dq.public, "public")? {
        caller.as_public()
    } else {
        caller
    };
    caller.require(Permission::ReadIncidents)?;
    let stored = visible(&state, &caller, id).await?;
    Ok(Json(view::incident_view(&state, &caller, &stored).await?))
}

/// `GET /api/v1/incidents/{id}/history`: the incident's audit-log entries.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/history", tag = "incidents",
    params(("id" = i64, Path, description = "The incident")),
    responses((status = 200, description = "Its audit-log entries, oldest first", body = Items<HistoryEntry>)))]
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<Json<Items<HistoryEntry>>, ApiError> {
    caller.require(Permission::ReadSources)?;
    visible(&state, &caller, id).await?;
    let entries = state
        .store
        .history(&format!("incident:{id}"), &caller.reader(), 0, 1000)
        .await?;
    let items = entries
        .into_iter()
        .map(|e| HistoryEntry {
            detail: serde_json::from_str::<Value>(&e.detail).unwrap_or(Value::Null),
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
        })
        .collect();
    Ok(Json(Items { items }))
}
