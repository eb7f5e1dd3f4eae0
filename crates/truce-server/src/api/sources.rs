//! The register of watched sources: which feeds, pages and JSON endpoints the watcher reads,
//! how often, and how each is doing. For those who keep it (administrators and monitors): which
//! sources a mission reads is itself something the parties should not learn from the API.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use truce_app::sources::SourceRequest;
use truce_model::{SourceHealth, WatchKind, WatchedSource};
use utoipa::ToSchema;

use super::Items;
use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Body, Id};
use crate::state::AppState;

/// A source in the register, with how it is doing now.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceItem {
    /// The source, with what its fetches found and when it is fetched next.
    #[serde(flatten)]
    pub source: WatchedSource,
    /// How it is doing: `healthy`, `waiting`, `paused`, `failing` or `quiet`.
    pub health: SourceHealth,
    /// What a person should know about it (a quiet or failing source), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

impl SourceItem {
    fn of(source: WatchedSource) -> Self {
        let now = Utc::now();
        Self {
            health: source.health(now),
            notice: source.notice(now),
            source,
        }
    }
}

/// A source to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceBody {
    /// What to fetch: an absolute http or https URL.
    pub url: String,
    /// What to call it (the URL's host when none).
    pub name: Option<String>,
    /// How often: `90s`, `15m`, `2h`, `1d` (every 15 minutes when none; at least 10 s, at most
    /// a week).
    pub every: Option<String>,
    /// `feed`, `page` or `json` (guessed from the URL when none).
    pub kind: Option<WatchKind>,
    /// Fetch the article each feed item links to, and keep it beside the item.
    #[serde(default)]
    pub follow_links: bool,
}

/// `GET /api/v1/sources`: the register, with each source's health.
#[utoipa::path(get, path = "/api/v1/sources", tag = "sources",
    responses((status = 200, description = "The register", body = Items<SourceItem>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Items<SourceItem>>, ApiError> {
    caller.require(Permission::ManageSources)?;
    let items = state
        .store
        .sources()
        .await?
        .into_iter()
        .map(SourceItem::of)
        .collect();
    Ok(Json(Items { items }))
}

/// `POST /api/v1/sources`: adds a source, due at once.
#[utoipa::path(post, path = "/api/v1/sources", tag = "sources", request_body = SourceBody,
    responses((status = 201, description = "Added (409 when the URL is watched already)", body = SourceItem)))]
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Body(b): Body<SourceBody>,
) -> Result<(StatusCode, Json<SourceItem>), ApiError> {
    caller.require(Permission::ManageSources)?;
    let request = SourceRequest {
        url: b.url,
        name: b.name,
        every: b.every,
        kind: b.kind,
        follow_links: b.follow_links,
    };
    let added = truce_app::sources::add(state.store.as_ref(), &request, caller.name()).await?;
    Ok((StatusCode::CREATED, Json(SourceItem::of(added))))
}

/// `POST /api/v1/sources/{id}/pause`: stops fetching a source until it is resumed.
#[utoipa::path(post, path = "/api/v1/sources/{id}/pause", tag = "sources",
    params(("id" = i64, Path, description = "The source")),
    responses((status = 200, description = "Paused", body = SourceItem)))]
pub async fn pause(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<Json<SourceItem>, ApiError> {
    set_paused(state, caller, id, true).await
}

/// `POST /api/v1/sources/{id}/resume`: fetches a paused source again, at once.
#[utoipa::path(post, path = "/api/v1/sources/{id}/resume", tag = "sources",
    params(("id" = i64, Path, description = "The source")),
    responses((status = 200, description = "Resumed", body = SourceItem)))]
pub async fn resume(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<Json<SourceItem>, ApiError> {
    set_paused(state, caller, id, false).await
}

async fn set_paused(
    state: AppState,
    caller: Caller,
    id: i64,
    paused: bool,
) -> Result<Json<SourceItem>, ApiError> {
    caller.require(Permission::ManageSources)?;
    let source =
        truce_app::sources::set_paused(state.store.as_ref(), id, paused, caller.name()).await?;
    Ok(Json(SourceItem::of(source)))
}

/// What a removal did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Removed {
    /// The source.
    pub id: i64,
    /// Always true.
    pub removed: bool,
}

/// `DELETE /api/v1/sources/{id}`: takes a source off the register (the reports it brought
/// stay on the record).
#[utoipa::path(delete, path = "/api/v1/sources/{id}", tag = "sources",
    params(("id" = i64, Path, description = "The source")),
    responses((status = 200, description = "Removed", body = Removed)))]
pub async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<Json<Removed>, ApiError> {
    caller.require(Permission::ManageSources)?;
    truce_app::sources::remove(state.store.as_ref(), id, caller.name()).await?;
    Ok(Json(Removed { id, removed: true }))
}
