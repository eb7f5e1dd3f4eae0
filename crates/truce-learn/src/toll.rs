//! Toll training rows: every count of people the telling of each event holds, labelled by the
//! gold event's fatalities.

use serde_json::Value;
use truce_extract::learn::Proposal;
use truce_extract::{Candidate, Extractor, figure_at, tokenize};

use crate::row::{event_rows, rows_of};
use crate::{Row, TrainingFile};

/// The share of a file's tolls (of two dead or more, one event a record) that must be figures its
/// texts hold for the file to teach the toll.
const TOLD_SHARE: f64 = 0.5;

/// Whether a text holds `n` as a figure, read as the engine reads figures ("12", "1,200",
/// "twelve", "at least 20").
fn holds_figure(text: &str, n: u64) -> bool {
    let tokens = tokenize(text);
    (0..tokens.len()).any(|i| figure_at(&tokens, i).is_some_and(|(f, _)| u64::from(f.value) == n))
}

/// Whether a file's gold tolls are counts its reports tell (ACLED's notes, the atrocity and
/// FA-KES reports: a toll of two or more is a figure of the text in 80-96 % of their records)
/// rather than an estimate made from other sources (UCDP's best estimate is a figure of the
/// article in 14 %): only the first teach which figure of a report is its toll.
pub fn tells_its_tolls(file: &TrainingFile) -> bool {
    let (mut tolls, mut told) = (0usize, 0usize);
    for r in &file.records {
        let Some(gold) = r.get("gold") else { continue };
        let events = gold.get("events").and_then(Value::as_array);
        let split = gold.get("fatalities_split").and_then(Value::as_bool) == Some(true);
        let Some([event]) = events.map(Vec::as_slice) else {
            continue;
        };
        let Some(toll) = event.get("fatalities").and_then(Value::as_u64) else {
            continue;
        };
        if split || toll < 2 {
            continue;
        }
        tolls += 1;
        let text = r.get("text").and_then(Value::as_str).unwrap_or("");
        told += usize::from(holds_figure(text, toll));
    }
    tolls > 0 && told as f64 >= TOLD_SHARE * tolls as f64
}

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
    fn a_file_teaches_the_toll_when_its_texts_hold_its_tolls() {
        let file = |texts: &[(&str, u64)]| {
            TrainingFile {
            name: "t.jsonl".into(),
            sha256: String::new(),
            records: texts
                .iter()
                .map(|(text, toll)| {
                    json!({"text": text, "gold": {"events": [{"fatalities": toll}]}})
                })
                .collect(),
        }
        };
        assert!(holds_figure("Gunmen killed 1,200 people", 1200));
        assert!(holds_figure("Twelve soldiers died.", 12));
        assert!(!holds_figure("Gunmen killed 12 people", 1));
        assert!(tells_its_tolls(&file(&[
            ("Five were shot dead.", 5),
            ("A blast killed 12 people.", 12),
            ("Fighting in the north.", 30),
        ])));
        assert!(!tells_its_tolls(&file(&[
            ("Fighting in the north.", 30),
            ("Clashes killed several.", 7),
        ])));
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
