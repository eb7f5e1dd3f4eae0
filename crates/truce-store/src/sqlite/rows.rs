//! Values read back from the database: what the store wrote, or a `Corrupt` error naming what
//! it could not read.

use chrono::NaiveDate;
use truce_model::Verdict;

use crate::StoreError;

/// A value the store cannot read as what it wrote.
pub(super) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// A day as the store writes it (`YYYY-MM-DD`); `what` names the column in the error.
pub(super) fn day(what: &str, text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| corrupt(what, format!("{text:?}: {e}")))
}

/// A verdict as the store writes it (`likely violation`, ...).
pub(super) fn verdict(text: &str) -> Result<Verdict, StoreError> {
    Verdict::parse(text).ok_or_else(|| corrupt("verdict", format!("{text:?} is not a verdict")))
}
