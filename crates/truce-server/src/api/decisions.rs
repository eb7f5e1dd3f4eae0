//! People's decisions about which reports tell the same incident: merging two incidents, and
//! splitting an event out of one. The resolver keeps them over every later run.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use truce_model::EventRef;
use truce_pipeline::{DecisionError, DecisionOutcome, IncidentShape};

use super::incidents::visible;
use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Body, Id};
use crate::state::AppState;

/// The longest note a decision may carry, in characters.
const MAX_NOTE: usize = 4000;

/// A merge: the other incident, and why.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The incident merged into this one.
    with: i64,
    note: Option<String>,
}

/// A split: the event (`DOCUMENT:ORDINAL`), and why.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitBody {
    event: String,
    note: Option<String>,
}

fn note(n: Option<String>) -> Result<Option<String>, ApiError> {
    let n = n.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if n.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(ApiError::bad_request(format!(
            "note: longer than {MAX_NOTE} characters"
        )));
    }
    Ok(n)
}

fn shape(s: &IncidentShape) -> Value {
    json!({"id": s.id, "events": s.events.iter().map(ToString::to_string).collect::<Vec<_>>(),
           "documents": s.documents, "fatalities": s.fatalities})
}

fn outcome(o: &DecisionOutcome) -> Json<Value> {
    Json(
        json!({"before": o.before.iter().map(shape).collect::<Vec<_>>(),
                "after": o.after.iter().map(shape).collect::<Vec<_>>()}),
    )
}

fn refused(e: DecisionError) -> ApiError {
    match e {
        DecisionError::NoIncident(id) => ApiError::not_found(format!("no incident {id}")),
        DecisionError::Pipeline(e) => ApiError::internal(e),
        other => ApiError::bad_request(other.to_string()),
    }
}

/// `POST /api/v1/incidents/{id}/merge`: the two incidents are one; the resolver keeps the
/// decision over every later run, and the incident is assessed again.
pub async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(b): Body<MergeBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(Permission::Decide)?;
    visible(&state, &caller, id).await?;
    visible(&state, &caller, b.with).await?;
    let done = truce_pipeline::merge_incidents(
        state.store.as_ref(),
        id,
        b.with,
        caller.name(),
        note(b.note)?,
        state.alert_rule,
    )
    .await
    .map_err(refused)?;
    Ok((StatusCode::OK, outcome(&done)))
}

/// `POST /api/v1/incidents/{id}/split`: the event is not the same occurrence as the others of
/// the incident; it moves out alone, and the resolver keeps the decision.
pub async fn split(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(b): Body<SplitBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(Permission::Decide)?;
    visible(&state, &caller, id).await?;
    let event: EventRef = b
        .event
        .parse()
        .map_err(|e: String| ApiError::bad_request(format!("event: {e}")))?;
    let done = truce_pipeline::split_event(
        state.store.as_ref(),
        id,
        event,
        caller.name(),
        note(b.note)?,
        state.alert_rule,
    )
    .await
    .map_err(refused)?;
    Ok((StatusCode::OK, outcome(&done)))
}
