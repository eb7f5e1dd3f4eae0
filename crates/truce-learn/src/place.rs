//! Place training rows: each name the geoparser resolved, its candidate places and "no place",
//! labelled by the gold toponym its span overlaps.

use serde_json::Value;
use truce_eval::geo::{KM_THRESHOLD, coords, haversine};
use truce_extract::learn::{Proposal, Subject};
use truce_extract::{Candidate, Extractor, Models};

use crate::row::{labelled, rows_of};
use crate::{Row, TrainingFile, extract_input};

/// A gold toponym: its char span and, when the gold gives one, its point.
struct GoldPlace {
    start: usize,
    end: usize,
    point: Option<(f64, f64)>,
}

fn gold_places(record: &Value) -> Option<Vec<GoldPlace>> {
    let places = record.get("gold")?.get("places")?.as_array()?;
    Some(
        places
            .iter()
            .filter_map(|p| {
                let start = p.get("start")?.as_u64()? as usize;
                let end = p.get("end")?.as_u64()? as usize;
                Some(GoldPlace {
                    start,
                    end,
                    point: coords(Some(p)),
                })
            })
            .collect(),
    )
}

/// Which place candidates are right for gold points: the nearest to a point, provided it is
/// within the scorer's distance. Where several are as near within a few kilometres (Moscow the
/// capital and Moscow the oblast, a town and its district), the geography does not tell them
/// apart and the first in the rules' order is right: the model learns where the rules err, not
/// to prefer a province for being the same point. A province whose centre is 60 km from the
/// town the gold means is not right merely for being within 161 km. `None` for candidates that
/// are no place.
fn nearest_labels(candidates: &[Candidate], points: &[(f64, f64)]) -> Vec<Option<bool>> {
    let distance = |c: &Candidate| match c.proposal {
        Proposal::Place { lat, lon, .. } => Some(
            points
                .iter()
                .map(|&(glat, glon)| haversine(glat, glon, lat, lon))
                .fold(f64::INFINITY, f64::min),
        ),
        _ => None,
    };
    let nearest = candidates
        .iter()
        .filter_map(distance)
        .fold(f64::INFINITY, f64::min);
    let right = candidates.iter().position(|c| {
        distance(c).is_some_and(|d| d <= KM_THRESHOLD && d <= nearest + SAME_POINT_KM)
    });
    candidates
        .iter()
        .enumerate()
        .map(|(i, c)| distance(c).map(|_| Some(i) == right))
        .collect()
}

/// How much farther than the nearest candidate another may be and still be the same place.
const SAME_POINT_KM: f64 = 10.0;

/// The points of a record's gold events.
fn gold_event_points(record: &Value) -> Vec<(f64, f64)> {
    record
        .get("gold")
        .and_then(|g| g.get("events"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| coords(e.get("location")))
        .collect()
}

/// Rows from a record with gold events but no gold toponyms: a name's place is right when it
/// lies within the scorer's distance of one of the record's events. Only names with a place
/// near an event and another far from every event teach (the others are places the events
/// did not happen at, or names with one reading); "no place" is never labelled (the gold does
/// not say which names are toponyms).
fn event_rows(extractor: &Extractor, record: &Value) -> Vec<Row> {
    let points = gold_event_points(record);
    if points.is_empty() {
        return Vec::new();
    }
    let input = extract_input(record);
    let fold = Models::fold_of(&input.id);
    let (_, choices) = extractor.extract_explained(&input);
    let mut rows = Vec::new();
    for choice in choices.iter().filter(|c| c.decision == "place") {
        let labels = nearest_labels(&choice.candidates, &points);
        if !labels.contains(&Some(true)) || !labels.contains(&Some(false)) {
            continue;
        }
        rows.extend(labelled(fold, &choice.candidates, labels));
    }
    rows
}

fn record_rows(extractor: &Extractor, record: &Value) -> Vec<Row> {
    let Some(golds) = gold_places(record) else {
        return event_rows(extractor, record);
    };
    let input = extract_input(record);
    let fold = Models::fold_of(&input.id);
    let (_, choices) = extractor.extract_explained(&input);
    let mut rows = Vec::new();
    for choice in choices.iter().filter(|c| c.decision == "place") {
        let Subject::Mention { start, end } = choice.subject else {
            continue;
        };
        let gold = golds.iter().find(|g| g.start < end && start < g.end);
        // A toponym: the place nearest the gold point is right (when within the scorer's
        // distance), and "no place" is wrong. A name the gold does not call a place: only "no
        // place" is right. A toponym without a point teaches nothing.
        let labels: Vec<Option<bool>> = match gold {
            None => choice
                .candidates
                .iter()
                .map(|c| Some(c.proposal == Proposal::NoPlace))
                .collect(),
            Some(GoldPlace {
                point: Some(point), ..
            }) => nearest_labels(&choice.candidates, &[*point])
                .into_iter()
                .map(|l| Some(l.unwrap_or(false)))
                .collect(),
            Some(_) => continue,
        };
        if !labels.contains(&Some(true)) {
            continue;
        }
        rows.extend(labelled(fold, &choice.candidates, labels));
    }
    rows
}

/// The labelled candidates of every name in the records that carry gold places or gold
/// events, read in parallel (row order is the files' and records' order).
pub fn place_rows(extractor: &Extractor, files: &[TrainingFile]) -> Vec<Row> {
    rows_of(files, |r| record_rows(extractor, r))
}
