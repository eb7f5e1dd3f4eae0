//! A training row: one candidate of one decision, described and labelled.

use rayon::prelude::*;
use serde_json::Value;
use truce_eval::pair_events;
use truce_extract::learn::Subject;
use truce_extract::{Candidate, Extractor, Features, Models};

use crate::{TrainingFile, extract_input};

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

/// The rows of one record for a decision made per event: the record read by the engine, each
/// event the scorer pairs with a gold event (`truce_eval::pair_events`), its candidates for
/// `decision` labelled by `labels(gold event, candidates)` (`None`: that gold event teaches
/// nothing about the decision).
pub(crate) fn event_rows(
    extractor: &Extractor,
    record: &Value,
    decision: &str,
    labels: impl Fn(&Value, &[Candidate]) -> Option<Vec<Option<bool>>>,
) -> Vec<Row> {
    let Some(golds) = record
        .get("gold")
        .and_then(|g| g.get("events"))
        .and_then(Value::as_array)
        .filter(|g| !g.is_empty())
    else {
        return Vec::new();
    };
    let split = record
        .get("gold")
        .and_then(|g| g.get("fatalities_split"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let input = extract_input(record);
    let fold = Models::fold_of(&input.id);
    let (extraction, choices) = extractor.extract_explained(&input);
    let preds: Vec<Value> = extraction
        .events
        .iter()
        .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
        .collect();
    let mut rows = Vec::new();
    for (gi, pi) in pair_events(golds, &preds, split) {
        let Some(choice) = choices
            .iter()
            .find(|c| c.decision == decision && c.subject == Subject::Event(pi))
        else {
            continue;
        };
        if let Some(labels) = labels(&golds[gi], &choice.candidates) {
            rows.extend(labelled(fold, &choice.candidates, labels));
        }
    }
    rows
}
