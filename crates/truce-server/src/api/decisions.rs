//! People's decisions about which reports tell the same incident: merging two incidents, and
//! splitting an event out of one. The resolver keeps them over every later run.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use truce_app::decisions::{DecisionOutcome, IncidentShape};
use truce_model::EventRef;
use utoipa::ToSchema;

use super::incidents::visible;
use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Body, Id};
use crate::state::AppState;

/// A merge: the other incident, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The incident merged into this one.
    with: i64,
    /// Why (up to 4,000 characters).
    note: Option<String>,
}

/// A split: the event (`DOCUMENT:ORDINAL`), and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitBody {
    /// The event moved out, `DOCUMENT:ORDINAL` (`12:0`).
    #[schema(pattern = "^[0-9]+:[0-9]+$")]
    event: String,
    /// Why (up to 4,000 characters).
    note: Option<String>,
}

/// What a merge or split changed: the incidents before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct Decided {
    /// The incidents as they were.
    pub before: Vec<Shape>,
    /// The incidents as they are now.
    pub after: Vec<Shape>,
}

/// An incident by what it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct Shape {
    /// Its id.
    pub id: i64,
    /// Its events, `DOCUMENT:ORDINAL`.
    pub events: Vec<String>,
    /// Its documents.
    pub documents: usize,
    /// People killed: its lowest, best and highest figures.
    pub fatalities: Option<truce_model::Count>,
}

fn shape(s: &IncidentShape) -> Shape {
    Shape {
        id: s.id,
        events: s.events.iter().map(ToString::to_string).collect(),
        documents: s.documents,
        fatalities: s.fatalities,
    }
}

fn outcome(o: &DecisionOutcome) -> Json<Decided> {
    Json(Decided {
        before: o.before.iter().map(shape).collect(),
        after: o.after.iter().map(shape).collect(),
    })
}

/// `POST /api/v1/incidents/{id}/merge`: the two incidents are one; the resolver keeps the
/// decision over every later run, and the incident is assessed again.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/merge", tag = "incidents",
    params(("id" = i64, Path, description = "The incident that stays")), request_body = MergeBody,
    responses((status = 200, description = "Merged", body = Decided)))]
pub async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(b): Body<MergeBody>,
) -> Result<(StatusCode, Json<Decided>), ApiError> {
    caller.require(Permission::Decide)?;
    visible(&state, &caller, id).await?;
    visible(&state, &caller, b.with).await?;
    let done = truce_app::decisions::merge(
        state.store.as_ref(),
        id,
        b.with,
        caller.name(),
        b.note.as_deref(),
        state.alert_rule,
    )
    .await?;
    Ok((StatusCode::OK, outcome(&done)))
}

/// `POST /api/v1/incidents/{id}/split`: the event is not the same occurrence as the others of
/// the incident; it moves out alone, and the resolver keeps the decision.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/split", tag = "incidents",
    params(("id" = i64, Path, description = "The incident")), request_body = SplitBody,
    responses((status = 200, description = "Split", body = Decided)))]
pub async fn split(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(b): Body<SplitBody>,
) -> Result<(StatusCode, Json<Decided>), ApiError> {
    caller.require(Permission::Decide)?;
    visible(&state, &caller, id).await?;
    let event: EventRef = b
        .event
        .parse()
        .map_err(|e: String| ApiError::bad_request(format!("event: {e}")))?;
    let done = truce_app::decisions::split(
        state.store.as_ref(),
        id,
        event,
        caller.name(),
        b.note.as_deref(),
        state.alert_rule,
    )
    .await?;
    Ok((StatusCode::OK, outcome(&done)))
}
