//! The ceasefire health index over days, against the agreement in force on the last day: the
//! one reading of it that `truce health` prints and `GET /api/v1/health` answers.

use chrono::{Duration, NaiveDate};
use truce_monitor::{DayCounts, HealthPoint};
use truce_store::Store;

use crate::AppError;
use crate::datasets::{ImportedInIndex, imported_in_index};

/// Days read when the first is not given: the 60 days before the last.
pub const DEFAULT_DAYS: i64 = 60;
/// The longest span read at once.
pub const MAX_DAYS: i64 = 3660;

/// What is asked of the index.
#[derive(Debug, Clone, Default)]
pub struct HealthAsk {
    /// The first day (default: [`DEFAULT_DAYS`] before the last).
    pub since: Option<NaiveDate>,
    /// The last day (default: the latest day with an incident).
    pub until: Option<NaiveDate>,
    /// One area (admin1 or country code); everywhere without it.
    pub area: Option<String>,
    /// Count too the likely violations that only imported events tell.
    pub imported: bool,
}

/// The index, as it reads.
#[derive(Debug, Clone)]
pub enum HealthReading {
    /// No incident has a date yet: there is no last day to read to.
    NoIncidents,
    /// No agreement on record was in force on the last day.
    NoAgreement {
        /// The last day.
        until: NaiveDate,
    },
    /// The index a day.
    Index(HealthIndex),
}

/// The index a day, and each area's on the last day.
#[derive(Debug, Clone)]
pub struct HealthIndex {
    /// The agreement it is measured against (`Name v2`).
    pub agreement: String,
    /// The area asked for, if one was.
    pub area: Option<String>,
    /// The last day.
    pub until: NaiveDate,
    /// One point a day, with every input.
    pub points: Vec<HealthPoint>,
    /// Each area's point on the last day.
    pub areas: Vec<(String, HealthPoint)>,
    /// What imported events added, when asked.
    pub imported: Option<ImportedInIndex>,
}

/// Reads the index as asked: checks the span, defaults its ends, adds imported events when
/// asked (never twice what truce's record holds).
pub async fn health(store: &dyn Store, ask: &HealthAsk) -> Result<HealthReading, AppError> {
    let Some(until) = day_or_latest(store, ask.until).await? else {
        return Ok(HealthReading::NoIncidents);
    };
    let since = ask.since.unwrap_or(until - Duration::days(DEFAULT_DAYS));
    if since > until {
        return Err(AppError::Invalid("since is after until".into()));
    }
    if (until - since).num_days() > MAX_DAYS {
        return Err(AppError::Invalid("at most ten years at a time".into()));
    }
    let area = ask.area.as_deref().map(str::trim).filter(|a| !a.is_empty());
    let (extra, imported) = imported_in_index(store, ask.imported, until).await?;
    let found = truce_pipeline::monitor::health(store, since, until, area, &extra).await?;
    Ok(match found {
        None => HealthReading::NoAgreement { until },
        Some((series, areas)) => HealthReading::Index(HealthIndex {
            agreement: series.agreement,
            area: series.area,
            until,
            points: series.points,
            areas,
            imported,
        }),
    })
}

/// The day asked for, else the day of the latest dated incident (the default last day of the
/// health index, and the default day of counts and daily reports); `None` when there is none.
pub async fn day_or_latest(
    store: &dyn Store,
    asked: Option<NaiveDate>,
) -> Result<Option<NaiveDate>, AppError> {
    Ok(match asked {
        Some(d) => Some(d),
        None => truce_pipeline::monitor::latest_day(store).await?,
    })
}

/// A day's counts by area, type, alleged perpetrator and target, against the day before and the
/// same weekday a week before.
pub async fn day_counts(store: &dyn Store, date: NaiveDate) -> Result<DayCounts, AppError> {
    Ok(truce_pipeline::monitor::day_counts(store, date).await?)
}
