//! Correcting an incident's record, or retracting it.
//!
//! A correction is checked against the record (ACLED's spelling of a type, a real day, a count
//! that keeps the toll's range the right way round, a target kind), a corrected place is found in
//! the gazetteer (so that "Ariha" moves the incident to Arīḩā in Idlib, not only renames
//! Jericho), and the store keeps the record as corrected in the same transaction as the
//! correction and its audit entry. The incident is then assessed again against the agreements
//! and the protected sites, so that its verdict and alerts follow its corrected place and day.

use chrono::Utc;
use truce_geo::Gazetteer;
use truce_model::correction::Field;
use truce_model::{Correction, CorrectionKind};
use truce_monitor::AlertRule;
use truce_pipeline::monitor::MonitorSummary;
use truce_store::{Store, StoredIncident};

use crate::AppError;

/// The longest reason a correction may give, in characters.
pub const MAX_REASON_CHARS: usize = 4000;

/// What a person asks to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRequest {
    /// A correction of a field, or a retraction of the incident.
    pub kind: CorrectionKind,
    /// The field ([`Field::name`]: `fatalities.low`, `location.name`), for a correction.
    pub field: Option<String>,
    /// The new value as typed ("12", "Ariha, Idlib", "2024-03-02"), for a correction.
    pub value: Option<String>,
    /// Why (required: it is shown beside the correction).
    pub reason: String,
}

/// What a correction did.
#[derive(Debug, Clone)]
pub struct Corrected {
    /// The correction as stored.
    pub correction: Correction,
    /// The incident as it now reads.
    pub incident: StoredIncident,
    /// The assessment run after it (its new alerts included).
    pub monitor: MonitorSummary,
}

/// Whether a request corrects the place (which is looked up in the gazetteer: callers build it
/// only then).
pub fn needs_gazetteer(request: &CorrectionRequest) -> bool {
    request.kind == CorrectionKind::Correction
        && request
            .field
            .as_deref()
            .is_some_and(|f| Field::parse(f) == Ok(Field::Place))
}

/// Records a correction or retraction of incident `id` by `by`, and assesses the incident again
/// with `rule`. A corrected place is looked up in `gazetteer` (tied to the incident's country
/// unless the value names one: "Ariha, Syria"); only a place needs it ([`needs_gazetteer`]).
pub async fn correct(
    store: &dyn Store,
    gazetteer: Option<&Gazetteer>,
    rule: AlertRule,
    by: &str,
    id: i64,
    request: &CorrectionRequest,
) -> Result<Corrected, AppError> {
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(AppError::Invalid(
            "a reason is needed: it is shown beside the correction".into(),
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::Invalid(format!(
            "the reason is longer than {MAX_REASON_CHARS} characters"
        )));
    }
    let stored = store
        .incident(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no incident {id}")))?;
    let (field, old, new) = match request.kind {
        CorrectionKind::Retraction => {
            if stored.retracted {
                return Err(AppError::Invalid(format!(
                    "incident {id} is already retracted"
                )));
            }
            (None, None, None)
        }
        CorrectionKind::Correction => {
            let field = Field::parse(request.field.as_deref().unwrap_or(""))?;
            let raw = request.value.as_deref().unwrap_or("");
            let mut value = field.value(raw)?;
            if field == Field::Place {
                let country = stored
                    .incident
                    .location
                    .as_ref()
                    .and_then(|l| l.country.as_deref());
                let gazetteer = gazetteer.ok_or_else(|| {
                    AppError::Invalid("location.name: no gazetteer to find the place in".into())
                })?;
                let place =
                    truce_extract::place_named(gazetteer, raw, country).ok_or_else(|| {
                        AppError::Invalid(format!(
                            "location.name: the gazetteer has no place called {:?}{}; tie the \
                             name to its country or province (\"Ariha, Syria\", \"Ariha, Idlib\")",
                            raw.trim(),
                            country.map_or(String::new(), |c| format!(" in {c}"))
                        ))
                    })?;
                value = serde_json::to_value(place)
                    .map_err(|e| AppError::Invalid(format!("location.name: {e}")))?;
            }
            let old = field.current(&stored.incident);
            if old == value {
                return Err(AppError::Invalid(format!(
                    "{}: the record already says {value}",
                    field.name()
                )));
            }
            (
                Some(field.name().to_string()),
                Some(old.to_string()),
                Some(value.to_string()),
            )
        }
    };
    let correction = store
        .add_correction(&Correction {
            id: 0,
            incident_id: id,
            kind: request.kind,
            field,
            old_value: old,
            new_value: new,
            reason: reason.to_string(),
            corrected_by: by.to_string(),
            corrected_at: Utc::now(),
        })
        .await?;
    let monitor = truce_pipeline::monitor::monitor_incidents(store, Some(&[id]), rule).await?;
    let incident = store
        .incident(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no incident {id}")))?;
    Ok(Corrected {
        correction,
        incident,
        monitor,
    })
}
