//! Monitoring: the ceasefire health index and the alerts on protected sites.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use truce_app::datasets::ImportedInIndex;
use truce_monitor::{Agreement, HealthPoint, ProtectedSite};
use utoipa::{IntoParams, ToSchema};

use super::Items;
use super::params::day;
use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Body, Params};
use crate::state::AppState;

/// `since`, `until`, `area`, `imported`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HealthParams {
    /// From this day (`YYYY-MM-DD`; 60 days before `until` by default).
    #[param(format = Date)]
    since: Option<String>,
    /// To this day (`YYYY-MM-DD`; the latest day with an incident by default).
    #[param(format = Date)]
    until: Option<String>,
    /// One area's index (a first-level area's name).
    area: Option<String>,
    /// `true`: count too the likely violations only imported events tell.
    imported: Option<bool>,
}

/// The ceasefire health index a day, against the agreement in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthIndex {
    /// The agreement it is measured against (`Name v2`); none when no agreement is in force.
    pub agreement: Option<String>,
    /// The area asked for, if one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// How the index is computed, in words (with its version).
    pub definition: String,
    /// One point a day, with every input.
    pub points: Vec<HealthPoint>,
    /// Each area's index on the last day.
    pub areas: Vec<AreaIndex>,
    /// What imported events added, when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported: Option<ImportedInIndex>,
}

impl HealthIndex {
    fn empty() -> Self {
        Self {
            agreement: None,
            area: None,
            definition: truce_monitor::HEALTH_DEFINITION.to_string(),
            points: Vec::new(),
            areas: Vec::new(),
            imported: None,
        }
    }
}

/// One area's index on the last day.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaIndex {
    /// The area.
    pub area: String,
    /// Its index (100: as calm as the agreement's first weeks or calmer).
    pub index: f64,
    /// Its change over the week before.
    pub trend: Option<f64>,
}

/// `GET /api/v1/health`: the health index a day (default: the 60 days before the latest
/// incident), with every input, and each area's index on the last day.
#[utoipa::path(get, path = "/api/v1/health", tag = "monitoring", params(HealthParams),
    responses((status = 200, description = "The index a day", body = HealthIndex)))]
pub async fn health(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<HealthParams>,
) -> Result<Json<HealthIndex>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let ask = truce_app::health::HealthAsk {
        since: day(&p.since, "since")?,
        until: day(&p.until, "until")?,
        area: p.area.clone(),
        imported: p.imported == Some(true),
    };
    use truce_app::health::HealthReading;
    Ok(Json(
        match truce_app::health::health(state.store.as_ref(), &ask).await? {
            HealthReading::NoIncidents | HealthReading::NoAgreement { .. } => HealthIndex::empty(),
            HealthReading::Index(i) => HealthIndex {
                agreement: Some(i.agreement),
                area: i.area,
                points: i.points,
                areas: i
                    .areas
                    .into_iter()
                    .map(|(area, p)| AreaIndex {
                        area,
                        index: p.index,
                        trend: p.trend,
                    })
                    .collect(),
                imported: i.imported,
                ..HealthIndex::empty()
            },
        },
    ))
}

/// `since`, `limit`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertParams {
    /// Raised on or after this day (`YYYY-MM-DD`).
    #[param(format = Date)]
    since: Option<String>,
    /// How many: 100 by default, at most 1,000.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// An alert on a protected site.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertItem {
    /// Its id.
    pub id: i64,
    /// The incident that raised it.
    pub incident: i64,
    /// "strike on a known medical facility", ...
    pub label: String,
    /// The kind of site.
    pub kind: String,
    /// The site's name, or the kind of target when no registered site is near.
    pub site: Option<String>,
    /// Why, in words.
    pub reason: Option<String>,
    /// How far the incident is from the site (km).
    pub distance_km: Option<f64>,
    /// When it was raised.
    pub raised_at: String,
    /// When it was cleared (the incident moved, was retracted or merged away).
    pub cleared_at: Option<String>,
}

/// `GET /api/v1/alerts`: alerts raised by incidents near protected sites, newest first.
#[utoipa::path(get, path = "/api/v1/alerts", tag = "monitoring", params(AlertParams),
    responses((status = 200, description = "Alerts, newest first", body = Items<AlertItem>)))]
pub async fn alerts(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<AlertParams>,
) -> Result<Json<Items<AlertItem>>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let since = day(&p.since, "since")?;
    let list = state
        .store
        .alerts(since, super::params::limit(p.limit, 100, 1000)?)
        .await?;
    let items = list
        .into_iter()
        .map(|a| AlertItem {
            id: a.id,
            incident: a.incident_id,
            kind: a.kind().as_str().to_string(),
            label: a.alert.label,
            site: a.alert.site_name,
            reason: Some(a.alert.reason),
            distance_km: a.alert.distance_km,
            raised_at: a.raised_at,
            cleared_at: a.cleared_at,
        })
        .collect();
    Ok(Json(Items { items }))
}

/// An agreement: its TOML text, and the zone files it names by name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementBody {
    /// The agreement's TOML file (`name`, `version`, `start`, `parties`, `zones`, ...).
    toml: String,
    /// The GeoJSON zone files it names, by the name it gives them.
    #[serde(default)]
    zones: BTreeMap<String, String>,
}

/// An agreement on record.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementItem {
    /// Its id.
    pub id: i64,
    /// `Name vN`.
    pub label: String,
    /// Who added it.
    pub added_by: String,
    /// When.
    pub added_at: String,
    /// The agreement, zones read.
    pub agreement: Agreement,
}

/// An agreement added, and every incident assessed again.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementAdded {
    /// Its id.
    pub id: i64,
    /// `Name vN`.
    pub label: String,
    /// Incidents assessed.
    pub assessed: usize,
    /// How many came out as each verdict (`likely violation`, ...).
    pub verdicts: BTreeMap<String, usize>,
    /// Alerts raised for the first time.
    pub new_alerts: usize,
}

/// A protected site, exact place included.
#[derive(Debug, Serialize, ToSchema)]
pub struct SiteItem {
    /// Its id.
    pub id: i64,
    /// The site.
    pub site: ProtectedSite,
}

/// A register imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct SitesImported {
    /// Sites new to the register.
    pub added: u64,
    /// Sites updated (the same name and place).
    pub updated: u64,
    /// Incidents near them assessed again.
    pub assessed: usize,
    /// Alerts raised for the first time.
    pub new_alerts: usize,
}

/// `GET /api/v1/agreements`: every agreement on record, every version, oldest first.
#[utoipa::path(get, path = "/api/v1/agreements", tag = "monitoring",
    responses((status = 200, description = "The agreements", body = Items<AgreementItem>)))]
pub async fn agreements(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Items<AgreementItem>>, ApiError> {
    caller.require(Permission::ReadArchive)?;
    let list = truce_app::monitoring::agreements(state.store.as_ref()).await?;
    let items = list
        .into_iter()
        .map(|a| AgreementItem {
            id: a.id,
            label: a.agreement.label(),
            added_by: a.added_by,
            added_at: a.added_at,
            agreement: a.agreement,
        })
        .collect();
    Ok(Json(Items { items }))
}

/// `POST /api/v1/agreements`: an agreement, or a new version of one; every incident is assessed
/// again (its new alerts posted to the webhook).
#[utoipa::path(post, path = "/api/v1/agreements", tag = "monitoring", request_body = AgreementBody,
    responses((status = 201, description = "Added", body = AgreementAdded)))]
pub async fn add_agreement(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<AgreementBody>,
) -> Result<(StatusCode, Json<AgreementAdded>), ApiError> {
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
        Json(AgreementAdded {
            id: added.id,
            label: added.agreement.label(),
            assessed: monitor.assessed,
            new_alerts: monitor.new_alerts.len(),
            verdicts: monitor
                .verdicts
                .into_iter()
                .map(|(v, n)| (v.as_str().to_string(), n))
                .collect(),
        }),
    ))
}

/// A register of protected sites: CSV or GeoJSON text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SitesBody {
    /// The register's text.
    register: String,
    /// `csv` or `geojson` (default: from the text).
    #[schema(pattern = "^(csv|geojson)$")]
    format: Option<String>,
}

/// Which part of the register.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SitesParams {
    /// Only the sites inside this box of the map: `south,north,west,east` in degrees (the
    /// incident page's map asks for those around the incident).
    #[param(example = "35.4,36.2,36.2,37.0")]
    bbox: Option<String>,
}

/// `GET /api/v1/sites`: the register, exact places included: only for those who keep it (the
/// pages show others a site's name and distance, never its point).
#[utoipa::path(get, path = "/api/v1/sites", tag = "monitoring", params(SitesParams),
    responses((status = 200, description = "The register", body = Items<SiteItem>)))]
pub async fn sites(
    State(state): State<AppState>,
    caller: Caller,
    Params(p): Params<SitesParams>,
) -> Result<Json<Items<SiteItem>>, ApiError> {
    caller.require(Permission::ManageMonitoring)?;
    let list = match p.bbox.as_deref() {
        None => truce_app::monitoring::sites(state.store.as_ref()).await?,
        Some(bbox) => {
            let view = super::params::view(Some(bbox))?;
            truce_app::monitoring::sites_in(state.store.as_ref(), view).await?
        }
    };
    let items = list
        .into_iter()
        .map(|(id, site)| SiteItem { id, site })
        .collect();
    Ok(Json(Items { items }))
}

/// `POST /api/v1/sites`: imports sites (the same name and place updated); the incidents near
/// them are checked again.
#[utoipa::path(post, path = "/api/v1/sites", tag = "monitoring", request_body = SitesBody,
    responses((status = 201, description = "Imported", body = SitesImported)))]
pub async fn import_sites(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<SitesBody>,
) -> Result<(StatusCode, Json<SitesImported>), ApiError> {
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
        Json(SitesImported {
            added: done.added,
            updated: done.updated,
            assessed: done.monitor.assessed,
            new_alerts: done.monitor.new_alerts.len(),
        }),
    ))
}
