//! People's decisions about which reports tell the same incident: two incidents merged into
//! one, or an event split out of its incident. The resolver keeps each decision over every
//! later run, and what changed is assessed again.

use truce_model::EventRef;
use truce_monitor::AlertRule;
use truce_pipeline::DecisionError;
pub use truce_pipeline::{DecisionOutcome, IncidentShape};
use truce_store::Store;

use crate::AppError;

/// The longest note a decision may carry, in characters.
pub const MAX_NOTE: usize = 4000;

/// A decision's note, trimmed (none when empty); refused when longer than [`MAX_NOTE`].
pub fn note(text: Option<&str>) -> Result<Option<String>, AppError> {
    let note = text.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(AppError::Invalid(format!(
            "note: longer than {MAX_NOTE} characters"
        )));
    }
    Ok(note.map(str::to_string))
}

fn refused(e: DecisionError) -> AppError {
    match e {
        DecisionError::NoIncident(_) => AppError::NotFound(e.to_string()),
        DecisionError::Pipeline(e) => AppError::Pipeline(e),
        other => AppError::Invalid(other.to_string()),
    }
}

/// Merges incident `b` into `a`, by `by`, with an optional note.
pub async fn merge(
    store: &dyn Store,
    a: i64,
    b: i64,
    by: &str,
    note_text: Option<&str>,
    rule: AlertRule,
) -> Result<DecisionOutcome, AppError> {
    let note = note(note_text)?;
    truce_pipeline::merge_incidents(store, a, b, by, note, rule)
        .await
        .map_err(refused)
}

/// Splits `event` out of incident `id`, by `by`, with an optional note.
pub async fn split(
    store: &dyn Store,
    id: i64,
    event: EventRef,
    by: &str,
    note_text: Option<&str>,
    rule: AlertRule,
) -> Result<DecisionOutcome, AppError> {
    let note = note(note_text)?;
    truce_pipeline::split_event(store, id, event, by, note, rule)
        .await
        .map_err(refused)
}
