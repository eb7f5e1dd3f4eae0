//! The base map's names: the towns, provinces and districts of a view, from the gazetteer the
//! reports are geocoded against. Public data, for every map of the workspace and the public
//! view; each request reads at most one pass over the gazetteer's ordered places.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Items;
use super::params::count;
use crate::error::{ApiError, Params};
use crate::state::AppState;
use truce_app::map::{MAX_AREAS, MAX_TOWNS};

/// The view, and how many names of each kind.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LabelParams {
    /// The view: `south,north,west,east` in degrees, as every route reads a box (a view across
    /// the antimeridian has its west greater than its east).
    #[param(required = true, example = "35.4,36.2,36.2,37.0")]
    bbox: Option<String>,
    /// How many towns, the largest first: 100 by default, at most 300.
    #[param(minimum = 1, maximum = 300)]
    towns: Option<u32>,
    /// How many provinces and districts (provinces first): 40 by default, at most 100; 0 for
    /// none.
    #[param(minimum = 0, maximum = 100)]
    areas: Option<u32>,
}

/// A name on the map.
#[derive(Debug, Serialize, ToSchema)]
pub struct MapLabel {
    /// The place's name.
    pub name: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// What it names: `capital`, `town`, `village`, `province` or `district`.
    #[schema(pattern = "^(capital|town|village|province|district)$")]
    pub kind: String,
    /// Inhabitants, when known (0 otherwise).
    pub population: u64,
}

/// `GET /api/v1/map/places`: the names a view of the map shows.
#[utoipa::path(get, path = "/api/v1/map/places", tag = "map", params(LabelParams),
    responses((status = 200, description = "Towns, the largest first, then provinces and districts", body = Items<MapLabel>)))]
pub async fn places(
    State(state): State<AppState>,
    Params(p): Params<LabelParams>,
) -> Result<Json<Items<MapLabel>>, ApiError> {
    let view = super::params::view(p.bbox.as_deref())?;
    let towns = count(p.towns, 100, 1, MAX_TOWNS as u32, "towns")? as usize;
    let areas = count(p.areas, 40, 0, MAX_AREAS as u32, "areas")? as usize;
    // The gazetteer is the engine's: built once, on the first need of either.
    let engine = state.extractor().await.map_err(ApiError::internal)?;
    let labels = tokio::task::spawn_blocking(move || {
        truce_app::map::labels(engine.gazetteer(), view, towns, areas)
    })
    .await
    .map_err(ApiError::internal)?;
    let items = labels
        .into_iter()
        .map(|l| MapLabel {
            name: l.name,
            lat: l.lat,
            lon: l.lon,
            kind: l.kind.as_str().to_string(),
            population: l.population,
        })
        .collect();
    Ok(Json(Items { items }))
}
