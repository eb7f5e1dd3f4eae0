//! A training row: one candidate of one decision, described and labelled.

use truce_extract::Features;

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
