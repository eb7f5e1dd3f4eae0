//! Perpetrator training rows: the engine's candidates for each event it found, labelled by the
//! gold event the scorer pairs it with.

use serde_json::Value;
use truce_eval::names::dice;
use truce_eval::{gold_perpetrator_unknown, gold_perpetrators};
use truce_extract::learn::Side;
use truce_extract::{Candidate, Extractor};

use crate::row::{event_rows, rows_of};
use crate::{Row, TrainingFile};

/// Whether a gold event's perpetrators are the two sides of a dyad (UCDP's `side_a` and
/// `side_b`, both marked perpetrator whoever acted): a label of who fought, not of who did it,
/// so it teaches nothing about the doer and is left out of training.
fn dyad_sides(gold: &Value) -> bool {
    let roles: Vec<&str> = gold
        .get("actors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|a| a.get("perpetrator").and_then(Value::as_bool) == Some(true))
        .filter_map(|a| a.get("role").and_then(Value::as_str))
        .collect();
    !roles.is_empty() && roles.iter().all(|r| r.starts_with("side_"))
}

/// Each candidate's label under a gold event: right when its name matches a perpetrator of the
/// gold (as the scorer matches names), or it is ACLED's unidentified armed group where the gold's
/// side is unknown; `None` for a gold event that names no doer (a dyad's sides, no perpetrator).
fn labels(gold: &Value, candidates: &[Candidate]) -> Option<Vec<Option<bool>>> {
    if dyad_sides(gold) {
        return None;
    }
    let named: Vec<String> = gold_perpetrators(gold).into_iter().flatten().collect();
    let unknown = gold_perpetrator_unknown(gold);
    if named.is_empty() && !unknown {
        return None;
    }
    Some(
        candidates
            .iter()
            .map(|c| {
                let conventional_unknown = unknown && c.side() == Some(Side::Unidentified);
                Some(conventional_unknown || named.iter().any(|g| dice(g, &c.name) >= 0.5))
            })
            .collect(),
    )
}

/// The labelled candidates of every record of the files (a candidate is right when its name
/// matches a perpetrator of the gold event, as the scorer matches names, or it is ACLED's
/// unidentified armed group where the gold's side is unknown), read in parallel (row order is the
/// files' and records' order, whatever the threads do).
pub fn perpetrator_rows(extractor: &Extractor, files: &[TrainingFile]) -> Vec<Row> {
    rows_of(files, |r| event_rows(extractor, r, "perpetrator", labels))
}
