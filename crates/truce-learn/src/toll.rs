//! Toll training rows: every count of people the telling of each event holds, labelled by the
//! gold event's fatalities.

use serde_json::Value;
use truce_extract::learn::Proposal;
use truce_extract::{Candidate, Extractor};

use crate::row::{event_rows, rows_of};
use crate::{Row, TrainingFile};

/// At most this many candidates are searched for groups that add up to the gold's toll.
const MAX_SEARCHED: usize = 40;

/// Each candidate's label under a gold event whose toll is known. None killed: every candidate
/// is wrong. Otherwise the candidates whose figure is the gold's toll are right and the others
/// wrong; where none is, the two or three figures that add up to it ("7 soldiers and 19
/// militants" for 26) are right; where none add up, the event teaches nothing (its toll was
/// counted from words the engine does not propose, or from another source).
fn labels(gold: &Value, candidates: &[Candidate]) -> Option<Vec<Option<bool>>> {
    let toll = gold
        .get("fatalities")
        .and_then(|v| v.as_u64().or_else(|| v.as_f64().map(|f| f as u64)))?;
    let values: Vec<u64> = candidates
        .iter()
        .map(|c| match c.proposal {
            Proposal::Toll { value } => u64::from(value),
            _ => u64::MAX,
        })
        .collect();
    if toll == 0 {
        return Some(vec![Some(false); candidates.len()]);
    }
    let right = |chosen: &[usize]| {
        Some(
            (0..candidates.len())
                .map(|i| Some(chosen.contains(&i)))
                .collect(),
        )
    };
    let exact: Vec<usize> = (0..values.len()).filter(|&i| values[i] == toll).collect();
    if !exact.is_empty() {
        return right(&exact);
    }
    let n = values.len().min(MAX_SEARCHED);
    let sum = |idx: &[usize]| {
        idx.iter()
            .map(|&i| values[i])
            .try_fold(0u64, u64::checked_add)
    };
    for i in 0..n {
        for j in i + 1..n {
            if sum(&[i, j]) == Some(toll) {
                return right(&[i, j]);
            }
        }
    }
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                if sum(&[i, j, k]) == Some(toll) {
                    return right(&[i, j, k]);
                }
            }
        }
    }
    None
}

/// The labelled candidates of every record of the files whose toll is not split among its
/// events (as the scorer leaves those out), read in parallel (row order is the files' and
/// records' order, whatever the threads do).
pub fn toll_rows(extractor: &Extractor, files: &[TrainingFile]) -> Vec<Row> {
    rows_of(files, |r| {
        let split = r
            .get("gold")
            .and_then(|g| g.get("fatalities_split"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if split {
            Vec::new()
        } else {
            event_rows(extractor, r, "toll", labels)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use truce_extract::Features;

    fn candidates(values: &[u32]) -> Vec<Candidate> {
        values
            .iter()
            .map(|&value| Candidate {
                name: value.to_string(),
                proposal: Proposal::Toll { value },
                features: Features::default(),
                probability: None,
                chosen: false,
            })
            .collect()
    }

    #[test]
    fn the_figure_that_is_the_toll_is_right() {
        let got = labels(&json!({"fatalities": 3}), &candidates(&[3, 20, 3]));
        assert_eq!(got, Some(vec![Some(true), Some(false), Some(true)]));
    }

    #[test]
    fn groups_that_add_up_to_the_toll_are_right() {
        let got = labels(&json!({"fatalities": 26}), &candidates(&[7, 19, 4]));
        assert_eq!(got, Some(vec![Some(true), Some(true), Some(false)]));
        let got = labels(&json!({"fatalities": 6}), &candidates(&[1, 2, 3, 40]));
        assert_eq!(
            got,
            Some(vec![Some(true), Some(true), Some(true), Some(false)])
        );
    }

    #[test]
    fn no_dead_makes_every_count_wrong_and_an_unknown_toll_teaches_nothing() {
        let got = labels(&json!({"fatalities": 0}), &candidates(&[5]));
        assert_eq!(got, Some(vec![Some(false)]));
        assert_eq!(
            labels(&json!({"fatalities": 50}), &candidates(&[5, 1])),
            None
        );
        assert_eq!(
            labels(&json!({"fatalities": null}), &candidates(&[5])),
            None
        );
    }
}
