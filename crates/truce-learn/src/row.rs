//! A training row: one candidate of one decision, described and labelled.

use rayon::prelude::*;
use serde_json::Value;
use truce_extract::{Candidate, Features};

use crate::TrainingFile;

/// One candidate of one decision, labelled against the gold.
#[derive(Debug, Clone)]
pub struct Row {
    /// The fold of the record it comes from (`0..FOLDS`, [`truce_extract::learn::FOLDS`]).
    pub fold: usize,
    /// The candidate's features.
    pub features: Features,
    /// Whether it is the right answer.
    pub label: bool,
}

/// The rows of a decision's candidates, each with its label (`None`: the gold does not say).
pub(crate) fn labelled(
    fold: usize,
    candidates: &[Candidate],
    labels: Vec<Option<bool>>,
) -> impl Iterator<Item = Row> + '_ {
    candidates.iter().zip(labels).filter_map(move |(c, label)| {
        label.map(|label| Row {
            fold,
            features: c.features.clone(),
            label,
        })
    })
}

/// The rows of every record of the files, each record read by `record_rows`, in parallel (row
/// order is the files' and records' order, whatever the threads do).
pub(crate) fn rows_of(
    files: &[TrainingFile],
    record_rows: impl Fn(&Value) -> Vec<Row> + Sync,
) -> Vec<Row> {
    files
        .iter()
        .flat_map(|f| f.records.par_iter().map(&record_rows).collect::<Vec<_>>())
        .flatten()
        .collect()
}
