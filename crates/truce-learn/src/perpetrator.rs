//! Perpetrator training rows: the engine's candidates for each event it found, labelled by the
//! gold event the scorer pairs it with.

use serde_json::Value;
use truce_eval::names::dice;
use truce_eval::{gold_perpetrator_unknown, gold_perpetrators, pair_events};
use truce_extract::learn::{Side, Subject};
use truce_extract::{Extractor, Models};

use crate::row::rows_of;
use crate::{Row, TrainingFile, extract_input};

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

fn record_rows(extractor: &Extractor, record: &Value) -> Vec<Row> {
    let Some(golds) = record
        .get("gold")
        .and_then(|g| g.get("events"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    if golds.is_empty() {
        return Vec::new();
    }
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
        let gold = &golds[gi];
        if dyad_sides(gold) {
            continue;
        }
        let named: Vec<String> = gold_perpetrators(gold).into_iter().flatten().collect();
        let unknown = gold_perpetrator_unknown(gold);
        if named.is_empty() && !unknown {
            continue;
        }
        let Some(choice) = choices
            .iter()
            .find(|c| c.decision == "perpetrator" && c.subject == Subject::Event(pi))
        else {
            continue;
        };
        for c in &choice.candidates {
            let conventional_unknown = unknown && c.side() == Some(Side::Unidentified);
            let label = conventional_unknown || named.iter().any(|g| dice(g, &c.name) >= 0.5);
            rows.push(Row {
                fold,
                features: c.features.clone(),
                label,
            });
        }
    }
    rows
}

/// The labelled candidates of every record of the files (a candidate is right when its name
/// matches a perpetrator of the gold event, as the scorer matches names, or it is ACLED's
/// unidentified armed group where the gold's side is unknown), read in parallel (row order is the
/// files' and records' order, whatever the threads do).
pub fn perpetrator_rows(extractor: &Extractor, files: &[TrainingFile]) -> Vec<Row> {
    rows_of(files, |r| record_rows(extractor, r))
}
